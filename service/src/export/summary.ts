// The Sales Invoice Export page's view of a company: what waits to be exported, the accounting connection, the run
// going on (in any instance), and the schedule.
import type { Store } from '../store/types';
import { lockKey } from './companyLock';
import type { HeldReads } from './heldReads';
import type { CompanyModel } from './model';
import type { ExportCounts, SourcePort } from './ports';
import type { ExportSchedules } from './schedules';
import type { CompanySummary, TargetStatus } from './views';

/** What the page counts of a company: kept (see HeldReads) so a page view costs the org no call. */
export interface PageCounts {
  counts: ExportCounts;
  pendingSync: number;
}

export interface SummaryDeps {
  store: Store;
  source: SourcePort;
  /** The company's connection, connector and whether its invoices queue, as its target's side answers them. */
  targetStatus: (company: CompanyModel) => Promise<TargetStatus>;
  /** The company's QuickBooks status syncs (the last, the one going on, the next), where it has them. */
  statusSync?: (company: CompanyModel) => Promise<CompanySummary['statusSync']>;
}

/**
 * Of the customers its invoices need, how many a company whose links are kept in the journal has linked already:
 * told by id, as the journal's other links are customers the count does not hold.
 */
async function linkedOfInvoiced(deps: SummaryDeps, company: CompanyModel): Promise<number> {
  if (!deps.source.customerIdsToExport) return 0;
  const ids = await deps.source.customerIdsToExport(company);
  const journal = await deps.store.journal.getMany(company.id, 'customer', ids);
  return [...journal.values()].filter((e) => e.state === 'created' || e.state === 'written_back').length;
}

export async function companySummary(
  deps: SummaryDeps,
  company: CompanyModel,
  schedules: ExportSchedules,
  kept: HeldReads<PageCounts>,
): Promise<CompanySummary> {
  const status = deps.targetStatus(company);
  const [counted, { connection, connector }, holder, linked, statusSync] = await Promise.all([
    kept.get(company.id, async () => {
      // Only a target whose connector takes invoices from a queue has any Pending Sync.
      const queues = (await status).queues;
      const [counts, pendingSync, linkedOfCounted] = await Promise.all([
        deps.source.counts(company),
        queues && deps.source.pendingCount ? deps.source.pendingCount(company) : Promise.resolve(0),
        company.customerIdsShared && company.customerScope !== 'all' ? linkedOfInvoiced(deps, company) : Promise.resolve(0),
      ]);
      return { counts: { ...counts, customers: counts.customers - linkedOfCounted }, pendingSync };
    }),
    status,
    deps.store.locks.holder(lockKey(company.id)),
    // A company whose customer links are kept in the journal (not in the source's field) that sends every customer
    // matches them all each run: the ones it has linked already are not what the next run sends.
    company.customerIdsShared && company.customerScope === 'all'
      ? deps.store.journal.countByState(company.id, 'customer', ['created', 'written_back'])
      : Promise.resolve(0),
    deps.statusSync ? deps.statusSync(company) : Promise.resolve(null),
  ]);
  const source = counted.value.counts;
  return {
    companyId: company.id,
    companyName: company.name,
    accountingSystem: company.accountingSystem,
    pendingSync: counted.value.pendingSync,
    webConnector: connector,
    counts: { ...source, customers: Math.max(0, source.customers - linked) },
    countsAsOf: counted.asOf.toISOString(),
    countsHeld: counted.held,
    connection: {
      state: connection.state,
      realmId: connection.realmId ?? company.realmId,
      quickBooksCompanyName: connection.companyName ?? null,
      hardExpiresAt: connection.hardExpiresAt?.toISOString() ?? null,
      reads: connection.reads ?? null,
      refreshTokenExpiresAt: connection.refreshTokenExpiresAt?.toISOString() ?? null,
      daysLeft: connection.daysLeft,
      lastRefreshedAt: connection.lastRefreshedAt?.toISOString() ?? null,
      disconnectedAt: connection.disconnectedAt?.toISOString() ?? null,
      reason: connection.reason,
      authenticationUrl: connection.authenticationUrl,
    },
    activeRunId: holder?.owner ?? null,
    schedule: await schedules.stored(company.id), // the company is read already: no second Salesforce call
    statusSync,
  };
}
