// A run left "running" by a process that died: marked failed once (whichever instance wins), its Process Log closed
// with what it had done, and resumed by a new run a few times at most.
import type { Logger } from 'pino';
import { errorMessage } from '../errors';
import type { RunRecord, Store } from '../store/types';
import { emptyCounts, interruptedText, runInterrupted, type RunCounts } from './entries';
import type { ProcessLogPort, SourcePort } from './ports';

/** A run that keeps dying is resumed this many times, then left for someone to look at. */
export const MAX_RESUMES = 3;

/** An interrupted run's last entry sorts after every entry it wrote. */
const INTERRUPTED_SEQUENCE = 999_999;

/** Marks the run failed as interrupted; false when another instance closed it first. */
export async function markInterrupted(
  deps: { store: Store; source: SourcePort; processLog: ProcessLogPort; logger: Logger },
  record: RunRecord,
  at: Date,
): Promise<boolean> {
  const message = interruptedText(record.counts as Partial<RunCounts>);
  const won = await deps.store.runs.finishIfRunning(record.id, {
    status: 'failed',
    error: JSON.stringify({ code: 'EXPORT_INTERRUPTED', message }),
    finishedAt: at,
  });
  if (!won) return false;
  deps.logger.warn({ runId: record.id, companyId: record.companyId }, 'export found interrupted: marked failed');
  if (record.dryRun) return true;
  // A run killed in its first moments opened its log but never saved its id: the log is found by the run's id.
  const logId = record.processLogId ?? (await deps.processLog.findRunning?.(record.id).catch(() => null)) ?? null;
  if (logId) {
    const company = await deps.source.company(record.companyId).catch(() => null);
    try {
      await deps.processLog.append(logId, [runInterrupted(company?.name ?? record.companyId, message)], INTERRUPTED_SEQUENCE);
      await deps.processLog.close(logId, {
        status: 'failed',
        summary: message,
        at,
        counts: { ...emptyCounts(), ...(record.counts as Partial<RunCounts>) },
      });
    } catch (err) {
      deps.logger.warn({ runId: record.id, err: errorMessage(err) }, 'could not close the Process Log of an interrupted export');
    }
  }
  return true;
}

/** How many runs back this one's chain of resumes goes (capped at MAX_RESUMES). */
export async function resumeDepth(store: Store, record: RunRecord): Promise<number> {
  let depth = 0;
  for (let from = record.resumedFrom; from && depth < MAX_RESUMES; depth++) from = (await store.runs.get(from))?.resumedFrom ?? null;
  return depth;
}
