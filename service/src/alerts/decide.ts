// Pure: which events an admin hears about, each under a key that names the event once — a run, an authorization's
// warning window (by the day it ends), a Web Connector's silence (by its last call) — and what the alert says.

import type { RunEnd } from '../export/execution';

/** The default warning window of an authorization, in days left (a Company's own setting wins). */
export const DEFAULT_WARNING_DAYS = 14;
/** A Web Connector that has not called for this many of its intervals has stopped. */
export const SILENT_INTERVALS = 2;

export type AlertKind = 'runFailed' | 'runCompletedWithErrors' | 'authorizationExpiring' | 'webConnectorSilent';

export interface Alert {
  /** Names the event: the same event always has the same key, so it is sent once. */
  eventKey: string;
  companyId: string;
  kind: AlertKind;
  title: string;
  body: string;
  /** The record the notification opens (the run's Process Log), else the Company. */
  targetId: string;
}

/** How a run ended, as its alert needs it. */
export type FinishedRun = RunEnd;

/** A run that failed or ended with errors; none for one that succeeded. */
export function runAlert(run: FinishedRun): Alert | null {
  if (run.status === 'succeeded') return null;
  const failed = run.status === 'failed';
  return {
    eventKey: `run:${run.runId}`,
    companyId: run.companyId,
    kind: failed ? 'runFailed' : 'runCompletedWithErrors',
    title: failed
      ? `Ledgerline: the export of ${run.companyName} failed`
      : `Ledgerline: the export of ${run.companyName} ended with ${plural(run.errors, 'error')}`,
    body: failed
      ? `${run.message ?? 'The export stopped.'} Open its Process Log for what was done and the fix.`
      : `${plural(run.errors, 'record was', 'records were')} not exported. Open the Process Log: each error names the record and the fix, and Retry sends it again once fixed.`,
    targetId: run.processLogId ?? run.companyId,
  };
}

export interface AuthorizationState {
  state: string;
  daysLeft: number | null;
  /** When it ends: the earlier of the 100-day refresh window and the five-year end. */
  endsAt: Date | null;
  hardEndsAt: Date | null;
}

/**
 * An authorization with `warningDays` or fewer days left. The key holds the day it ends, so a refresh that moves the
 * end on starts a new window (a new alert when it too comes near), and each poll inside one window finds it sent.
 */
export function authorizationAlert(company: { id: string; name: string; warningDays: number | null }, auth: AuthorizationState): Alert | null {
  const days = company.warningDays ?? DEFAULT_WARNING_DAYS;
  if (auth.state !== 'connected' && auth.state !== 'expiring') return null;
  if (auth.daysLeft === null || !auth.endsAt || auth.daysLeft > days) return null;
  const hard = auth.hardEndsAt !== null && auth.hardEndsAt.getTime() === auth.endsAt.getTime();
  const day = auth.endsAt.toISOString().slice(0, 10);
  return {
    eventKey: `authorization:${company.id}:${hard ? 'hard' : 'refresh'}:${day}`,
    companyId: company.id,
    kind: 'authorizationExpiring',
    title: `Ledgerline: the QuickBooks authorization of ${company.name} ends in ${plural(auth.daysLeft, 'day')}`,
    body: hard
      ? `QuickBooks ends this authorization on ${day}, five years after it was given, whatever its use. An admin must Connect again on the QuickBooks Authentication page before then.`
      : `The authorization ends on ${day} unless it is used: an export or a status sync renews it, or an admin clicks Connect on the QuickBooks Authentication page.`,
    targetId: company.id,
  };
}

/** A Web Connector that has not called for more than SILENT_INTERVALS of its intervals; keyed by its last call. */
export function webConnectorAlert(
  company: { id: string; name: string },
  connector: { lastContactAt: Date | null; runEveryMinutes: number },
  now: Date,
): Alert | null {
  if (!connector.lastContactAt) return null;
  const allowedMs = SILENT_INTERVALS * connector.runEveryMinutes * 60_000;
  const silentMs = now.getTime() - connector.lastContactAt.getTime();
  if (silentMs <= allowedMs) return null;
  const since = connector.lastContactAt.toISOString();
  return {
    eventKey: `webConnector:${company.id}:${since}`,
    companyId: company.id,
    kind: 'webConnectorSilent',
    title: `Ledgerline: the QuickBooks Web Connector of ${company.name} has not called since ${since.slice(0, 16).replace('T', ' ')} UTC`,
    body:
      `It is set to call every ${plural(connector.runEveryMinutes, 'minute')}; nothing reaches QuickBooks Desktop until it calls again. ` +
      'Check that the PC with QuickBooks is on, that the Web Connector runs with Auto-Run checked, and that it can reach the service.',
    targetId: company.id,
  };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
