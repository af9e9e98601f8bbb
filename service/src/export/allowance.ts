// The source system's daily API allowance: a run pauses while it is low, says so once, shows the wait on the page
// and goes on when the allowance recovers.
import type { Logger } from 'pino';
import { errorMessage } from '../errors';
import { allowancePause, type LogEntry } from './entries';

/** The org's daily API allowance as the engine needs it. */
export interface SourceAllowance {
  shouldPause(): boolean;
  /** "412 of 15,000 calls left, 1,500 kept for the org's other integrations" */
  describe(): string;
  /** Asks the source system again (its usage changes as the day goes on and other integrations call it). */
  refresh(): Promise<void>;
  /** How long to wait between two looks. */
  pollMs: number;
}

/** What a run offers while it waits: an entry, and the wait shown on the page. */
export interface WaitingRun {
  note(e: LogEntry): void;
  wait(w: { reason: string; until: Date } | null): void;
}

/** While the allowance is low: one entry saying so, the page shows the wait, and the run goes on after. */
export async function waitForAllowance(allowance: SourceAllowance, logger: Logger, run: WaitingRun, stop: () => boolean): Promise<void> {
  if (!allowance.shouldPause()) return;
  run.note(allowancePause(allowance.describe()));
  logger.warn({ allowance: allowance.describe() }, 'export paused: the Salesforce API allowance is low');
  while (allowance.shouldPause() && !stop()) {
    run.wait({ reason: `Salesforce API allowance low (${allowance.describe()})`, until: new Date(Date.now() + allowance.pollMs) });
    await new Promise((r) => setTimeout(r, allowance.pollMs));
    await allowance.refresh().catch((err) => logger.warn({ err: errorMessage(err) }, 'could not read the Salesforce API allowance'));
  }
  run.wait(null);
}
