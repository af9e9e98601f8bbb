// Process start and graceful stop: listen (port 0 = any free port), and on SIGINT/SIGTERM stop taking requests,
// let running exports reach a checkpoint, close the store.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import { createApp } from './app';
import type { Container } from './container';

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export interface StartServerOptions {
  port?: number;
  host?: string;
  quickbooksRouter?: Router;
  /** A server already listening (see listenOnFreePort): the app is attached to it instead of listening anew. */
  listening?: Server;
  /** Check every answer against the contract. Default: under a test runner (NODE_ENV=test). */
  checkAnswers?: boolean;
}

export async function startServer(container: Container, opts: StartServerOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? container.config.host;
  const app = createApp({
    exports: container.exports,
    credentials: container.credentials,
    logger: container.logger,
    quickbooksRouter: opts.quickbooksRouter,
    hsts: container.config.publicUrl.startsWith('https:'),
    trustProxy: container.config.trustProxy,
    qbwcRouter: container.qbwcRouter(),
    webConnectorRouter: container.webConnectorAdminRouter(),
    unpend: (companyId, invoiceId) => container.desktop.unpend(companyId, invoiceId),
    statusSync: container.statusSync,
    reconcile: (companyId, period) => container.reconcile(companyId, period),
    webhookRouter: container.webhookRouter(),
    checkAnswers: opts.checkAnswers ?? process.env.NODE_ENV === 'test',
    publicUrl: container.config.publicUrl,
  });
  const server = opts.listening ?? (await listen(app, opts.port ?? container.config.port, host));
  if (opts.listening) opts.listening.on('request', app);
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    port,
    server,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await container.close();
      })();
      return closing;
    },
  };
}

function listen(handler: RequestListener | undefined, port: number, host: string): Promise<Server> {
  const server = createServer(handler);
  return new Promise<Server>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/**
 * Listens on a port the system picks and keeps it, so a caller can build its configuration from the port before the
 * app exists and no other process can take the port in between (as it could after a probe-and-release).
 */
export function listenOnFreePort(host = '127.0.0.1'): Promise<Server> {
  return listen(undefined, 0, host);
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Stops cleanly on the first SIGINT/SIGTERM; a second one exits at once. */
export function stopOnSignals(stop: () => Promise<void>, log: (msg: string) => void = console.log): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${signal} received: stopping…`);
    stop()
      .then(() => process.exit(0))
      .catch((err) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
