// Salesforce REST emulator: the org the Ledgerline service talks to in tests and local runs.
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { buildApp } from './app';
import { SalesforceState, type SalesforceEmulatorOptions } from './state';

export { SalesforceState } from './state';
export type { SalesforceEmulatorOptions, SeedResult, Stats } from './state';
export type { FaultSpec } from './faults';

export function createSalesforceEmulator(opts: SalesforceEmulatorOptions = {}): { app: Express; state: SalesforceState } {
  const state = new SalesforceState(opts);
  return { app: buildApp(state), state };
}

export async function startSalesforceEmulator(
  opts: SalesforceEmulatorOptions & { port?: number; host?: string } = {},
): Promise<{ url: string; port: number; state: SalesforceState; close(): Promise<void> }> {
  const { port = 0, host = '127.0.0.1', ...rest } = opts;
  const { app, state } = createSalesforceEmulator(rest);
  const server = app.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
