// Starts the whole product (both emulators, demo data, the service) on free ports for an integration test,
// and small helpers that talk to it over HTTP the way Salesforce and an admin would.
import { randomBytes } from 'node:crypto';
import { readMarker } from '../../service/src/export/marker';
import { startDemoStack, type DemoStack, type DemoStackOptions } from '../../scripts/demo-stack';

/** QuickBooks' limits on a clock 50 times faster: the emulator enforces them, the service schedules against them. */
export const FAST_LIMITS = { qboOptions: { timeScale: 0.02 }, rateWindowMs: 1200 };

export function startTestStack(opts: DemoStackOptions = {}): Promise<DemoStack> {
  return startDemoStack({
    port: 0,
    ephemeral: true,
    web: false,
    authPages: false,
    retryBaseMs: 20,
    // Long enough that a busy machine's stall never loses a run its lock; tests of a takeover set a short lease.
    lockLeaseMs: 10_000,
    ...FAST_LIMITS,
    ...opts,
    env: {
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
      // The emulator saves a call at once or never (a `delay` fault aside): a lost answer is looked up after 1 s.
      QBO_PROCESSING_LIMIT_MS: '1000',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      ...opts.env,
    },
  });
}

export async function api<T = any>(stack: DemoStack, method: string, path: string, body?: unknown, key = stack.apiKey): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.serviceUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Starts an export through the API and polls the run until it has finished. */
export async function exportAndWait(stack: DemoStack, companyId: string, body: Record<string, unknown> = {}): Promise<any> {
  const started = await api<{ runId: string }>(stack, 'POST', `/api/companies/${companyId}/exports`, body);
  if (started.status !== 202) throw new Error(`export did not start: ${started.status} ${JSON.stringify(started.body)}`);
  return waitForRun(stack, started.body.runId);
}

export async function waitForRun(stack: DemoStack, runId: string, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api(stack, 'GET', `/api/runs/${runId}`);
    if (body.finished) return body;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** QuickBooks emulator stats once no call is held by a `delay` fault any more (the held write has landed). */
export async function waitForHeldCalls(qboUrl: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await admin(qboUrl, 'GET', '/stats');
    if (stats.held === 0) return stats;
    if (Date.now() > deadline) throw new Error(`QuickBooks still holds ${stats.held} call(s)`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function admin<T = any>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}/__admin${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`admin ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const qboEntities = (stack: DemoStack, realmId: string, entity: string) => admin<any[]>(stack.qboUrl, 'GET', `/realms/${realmId}/entities/${entity}`);
export const sfRecords = (stack: DemoStack, sobject: string) => admin<any[]>(stack.sfUrl, 'GET', `/records/${sobject}`);

/** How many copies of each Salesforce record QuickBooks holds, by the marker each invoice or credit memo carries. */
export async function markerCopies(qboUrl: string, realmId: string): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  for (const entity of ['Invoice', 'CreditMemo']) {
    for (const doc of await admin<{ PrivateNote?: string }[]>(qboUrl, 'GET', `/realms/${realmId}/entities/${entity}`)) {
      const id = readMarker(doc.PrivateNote);
      if (id) map.set(id, (map.get(id) ?? 0) + 1);
    }
  }
  return map;
}
