// What the API answers about status syncs: one sync (GET /api/companies/:id/status-sync/:syncId) and the page's view
// of a company's syncs (the last, the one going on, the next).
import type { StatusSyncAnswer, StatusSyncPageAnswer } from '../contract/answers';
import { isErrorCode } from '../contract/errorCodes';
import type { StatusSyncRecord } from '../store/types';
import type { SyncErrorView } from './messages';

/** One sync as the API answers it (the contract's StatusSync). */
export type StatusSyncView = StatusSyncAnswer;
/** A company's syncs as the page shows them: the last, the one going on, the next (the contract's StatusSyncPage). */
export type StatusSyncPageView = StatusSyncPageAnswer;

const iso = (d: Date | null) => d?.toISOString() ?? null;
const num = (v: unknown) => (typeof v === 'number' ? v : null);

export function statusSyncView(record: StatusSyncRecord): StatusSyncView {
  const usage = record.usage ?? {};
  return {
    syncId: record.id,
    companyId: record.companyId,
    startedBy: record.trigger,
    status: record.status,
    finished: record.status !== 'queued' && record.status !== 'running',
    requestedAt: record.requestedAt.toISOString(),
    startedAt: iso(record.startedAt),
    finishedAt: iso(record.finishedAt),
    changedSince: iso(record.changedSince),
    catchUp: record.catchUp,
    upTo: iso(record.upTo),
    reads: {
      sync: record.reads,
      company: num(usage.company),
      used: num(usage.used),
      budget: num(usage.budget),
      month: typeof usage.month === 'string' ? usage.month : null,
    },
    counts: record.counts,
    problems: record.problems,
    error: parseError(record.error),
  };
}

function parseError(error: string | null): SyncErrorView | null {
  if (!error) return null;
  try {
    const parsed = JSON.parse(error) as { code?: unknown; message?: unknown; fix?: unknown };
    if (typeof parsed.message === 'string') {
      return {
        code: isErrorCode(parsed.code) ? parsed.code : 'STATUS_SYNC_FAILED',
        message: parsed.message,
        fix: typeof parsed.fix === 'string' ? parsed.fix : null,
      };
    }
  } catch {
    // a plain sentence
  }
  return { code: 'STATUS_SYNC_FAILED', message: error, fix: null };
}
