// QuickBooks Online v3 emulator: the accounting API, Intuit OAuth and an
// admin API on one HTTP server, faithful to recorded sandbox traffic.

import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { buildApp } from './app';
import { QboState, type BatchCounting, type OAuthClientCredentials, type QboSettings } from './state';

export { QboState } from './state';
export type { BatchCounting, CompanyPreferences, Entity, EntityName, FaultKind, QboSettings, QboStats } from './state';

export interface QboEmulatorOptions {
  clients?: { clientId: string; clientSecret: string }[];
  /** Items per batch; more gives a ValidationFault. Default 30. */
  batchMax?: number;
  /** Added to every API call (benchmarks). Default 0. */
  latencyMs?: number;
  /** Rate-limit windows are scaled by this (0.01 makes a "minute" last 600 ms). Default 1. */
  timeScale?: number;
  /**
   * Intuit's limits. Defaults: 500 requests a minute per company; 10 a second and 40 batch calls a minute per company
   * and app; 120 batch calls a minute per company across apps; 10 in flight per company and app.
   */
  limits?: Partial<QboSettings['limits']>;
  /**
   * Whether a batch call counts once per item (default) or once against the per-minute limit; Intuit's
   * "500 requests per minute, including batch requests" leaves it open. Batch calls always count against
   * batchPerMinute and take one concurrency slot.
   */
  batchCounts?: BatchCounting;
  /** How long a refresh token keeps working after a refresh replaced it. Default 0. */
  refreshTokenGraceMs?: number;
  /** Process every write afresh whatever its `requestid` (as public reports show QuickBooks doing). Default false. */
  ignoreRequestId?: boolean;
}

export const DEFAULT_CLIENTS: OAuthClientCredentials[] = [{ clientId: 'ledgerline-demo-client', clientSecret: 'ledgerline-demo-secret' }];

function settingsFrom(opts: QboEmulatorOptions): QboSettings {
  return {
    latencyMs: opts.latencyMs ?? 0,
    timeScale: opts.timeScale ?? 1,
    batchMax: opts.batchMax ?? 30,
    limits: {
      perMinute: opts.limits?.perMinute ?? 500,
      perSecond: opts.limits?.perSecond ?? 10,
      concurrent: opts.limits?.concurrent ?? 10,
      batchPerMinute: opts.limits?.batchPerMinute ?? 40,
      realmBatchPerMinute: opts.limits?.realmBatchPerMinute ?? 120,
    },
    batchCounts: opts.batchCounts ?? 'item',
    refreshTokenGraceMs: opts.refreshTokenGraceMs ?? 0,
    ignoreRequestId: opts.ignoreRequestId ?? false,
  };
}

export function createQboEmulator(opts: QboEmulatorOptions = {}): { app: Express; state: QboState } {
  const clients = (opts.clients ?? DEFAULT_CLIENTS).map((c) => ({ ...c }));
  const state = new QboState(settingsFrom(opts), clients);
  return { app: buildApp(state), state };
}

export async function startQboEmulator(
  opts: QboEmulatorOptions & { port?: number; host?: string } = {},
): Promise<{ url: string; port: number; state: QboState; close(): Promise<void> }> {
  const { app, state } = createQboEmulator(opts);
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// `tsx emulators/qbo/index.ts` runs a standalone emulator (port from QBO_EMULATOR_PORT, default 4010).
if (require.main === module) {
  const port = Number(process.env.QBO_EMULATOR_PORT ?? 4010);
  startQboEmulator({ port, host: process.env.QBO_EMULATOR_HOST ?? '127.0.0.1' })
    .then(({ url }) => console.log(`QuickBooks Online emulator listening on ${url}`))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
