// QBO_SCHEDULER_TRACE=<file>: every 50 ms, each realm's scheduler state (operations out and asked for, calls waiting
// and running), one line each, to see whether a window's tokens sat idle while the run had work.
import { appendFileSync } from 'node:fs';
import type { QboScheduler } from './scheduler';

const EVERY_MS = 50;

export function traceScheduler(scheduler: QboScheduler, file: string): () => void {
  const timer = setInterval(() => {
    const lines = scheduler.realmIds.map((realmId) => {
      const s = scheduler.stats(realmId);
      return `${Date.now()} ${realmId} ${s.operationsOut} ${s.operationsAsked} ${s.waiting} ${s.running}\n`;
    });
    if (lines.length) appendFileSync(file, lines.join(''));
  }, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
