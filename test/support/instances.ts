// Ledgerline service processes for tests of several instances (and of killing one): each its own process,
// settings from the environment, sharing one store.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/**
 * Settings of a service process against the two emulators: fresh keys, and a fifth of Intuit's allowance on a
 * 1.2 s "minute" with a short Company lock lease, so an export takes several windows and can be cut off part-way
 * and a dead run's company is free again soon.
 */
export function killableServiceEnv(ports: { qbo: number; sf: number }, more: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LEDGERLINE_API_KEY: randomBytes(24).toString('hex'),
    LEDGERLINE_ADMIN_KEY: randomBytes(24).toString('hex'),
    QBO_EMULATOR_PORT: String(ports.qbo),
    SF_EMULATOR_PORT: String(ports.sf),
    QBO_RATE_WINDOW_MS: '1200',
    QBO_REQUESTS_PER_MINUTE: '100',
    EXPORT_LOCK_LEASE_MS: '1500',
    SCHEDULE_TICK_MS: '250',
    LOG_LEVEL: 'silent',
    ...more,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

export interface ServiceProcess {
  url: string;
  instanceId: string;
  child: ChildProcess;
  /** SIGKILL, and wait for the process to be gone. */
  kill(): Promise<void>;
}

export function startServiceProcess(env: NodeJS.ProcessEnv, started: ChildProcess[]): Promise<ServiceProcess> {
  // One process (node --import tsx), so SIGKILL really kills the service.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'scripts', 'service-child.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const line = out.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) {
        const { url, instanceId } = JSON.parse(line) as { url: string; instanceId: string };
        resolve({
          url,
          instanceId,
          child,
          kill: () => new Promise<void>((done) => (child.exitCode !== null ? done() : (child.once('exit', () => done()), child.kill('SIGKILL')))),
        });
      }
    });
    child.stderr!.on('data', (d) => (err += String(d)));
    child.on('exit', (code) => reject(new Error(`service exited ${code}: ${err}`)));
  });
}

/** Calls the service API with the export (or admin) key. */
export async function call(url: string, key: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
