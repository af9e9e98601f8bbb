// One QuickBooks status sync of a Company: read what changed in the accounting system (a few reads for any number of
// records), save it in the store page by page, move the company's "synced up to" on once everything is saved, then
// write what Salesforce does not hold yet. The store is the hinge: a sync stopped anywhere loses nothing — what was
// saved is written by the next sync without reading QuickBooks again, and what was not saved is read again.
import type { Logger } from 'pino';
import { errorMessage } from '../errors';
import type { CompanyModel } from '../export/model';
import type { StatusSyncRepository, StatusSyncStatus, SyncedRecordsRepository } from '../store/types';
import { readPlan } from './decide';
import { syncError, type SyncErrorView } from './messages';
import type { ChangeFeed, ChangePage } from './model';
import type { StatusSourcePort } from './ports';
import { emptyWriteSummary, writeOwed } from './writeBack';

export interface SyncDeps {
  syncs: StatusSyncRepository;
  synced: SyncedRecordsRepository;
  feed(company: CompanyModel): Promise<ChangeFeed>;
  source: StatusSourcePort;
  /** Owed records read from the store at a time when writing to the source system. */
  pageSize?: number;
  now: () => Date;
  logger: Logger;
}

export interface SyncOutcome {
  status: StatusSyncStatus;
  error: SyncErrorView | null;
}

export async function runStatusSync(deps: SyncDeps, company: CompanyModel, syncId: string, heartbeat: () => Promise<void>): Promise<SyncOutcome> {
  const counts: Record<string, number> = { documentsChanged: 0, paymentsChanged: 0 };
  let feed: ChangeFeed | undefined;
  let failure: unknown;
  const saveReads = async () => {
    if (feed) await deps.syncs.update(syncId, { reads: feed.usage().reads.run });
  };
  try {
    feed = await deps.feed(company);
    const state = await deps.syncs.company(company.id);
    const plan = readPlan(state?.syncedUpTo ?? null, await deps.syncs.firstExportAt(company.id), deps.now(), feed.windowMs);
    await deps.syncs.update(syncId, { changedSince: plan.mode === 'changes' ? plan.since : null, catchUp: plan.mode === 'everything' });
    const onPage = async (page: ChangePage) => {
      counts.documentsChanged! += page.documents.length;
      counts.paymentsChanged! += page.payments.length;
      await deps.synced.saveDocuments(company.id, page.documents);
      await deps.synced.savePayments(company.id, page.payments);
      await saveReads();
      await heartbeat();
    };
    const { upTo } = plan.mode === 'changes' ? await feed.changesSince(plan.since, onPage) : await feed.everything(onPage);
    // Everything up to here is saved: the next sync starts from here.
    await deps.syncs.setSyncedUpTo(company.id, upTo);
    await deps.syncs.update(syncId, { upTo });
  } catch (err) {
    failure = err;
    deps.logger.warn({ companyId: company.id, syncId, err: errorMessage(err) }, 'status sync could not read the QuickBooks changes');
  }
  await saveReads();
  // What is saved goes to Salesforce even when QuickBooks failed half-way (this sync's pages and earlier syncs' owed records).
  const written = emptyWriteSummary();
  try {
    // Still this sync's company before anything is written (a sync that lost its lease leaves the writing to the next).
    await heartbeat();
    await writeOwed({ synced: deps.synced, source: deps.source, now: deps.now, onPage: heartbeat, pageSize: deps.pageSize }, company, written);
  } catch (err) {
    failure ??= err;
    deps.logger.warn({ companyId: company.id, syncId, err: errorMessage(err) }, 'status sync could not write to Salesforce');
  }
  // What Salesforce took counts even when the write stopped part-way (the rest is still owed, see waiting).
  const { problems, ...done } = written;
  Object.assign(counts, done);
  counts.waiting = await deps.synced.owedCount(company.id);
  await deps.syncs.update(syncId, {
    counts,
    problems,
    ...(feed ? { usage: { ...feed.usage().reads } } : {}),
  });
  if (failure) return { status: 'failed', error: syncError(failure, company.name) };
  return { status: problems.length ? 'completed_with_errors' : 'succeeded', error: null };
}
