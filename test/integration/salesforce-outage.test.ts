// When Salesforce fails — 5xx, a dropped connection, a slow answer, an API limit, an expired session — the API
// answers 503 naming Salesforce and the time to retry, at once (no hidden retries), over real HTTP to the Salesforce
// emulator's scripted faults. The org's remaining API allowance is watched from every answer, and the page's
// company and counts are reused until a run of the company ends instead of costing two calls a view (the company's
// query, and its counts in one /composite call).
import { randomBytes } from 'node:crypto';
import { startQboEmulator } from '../../emulators/qbo';
import { startSalesforceEmulator } from '../../emulators/salesforce';
import { freePort } from '../../scripts/demo-stack';
import { generateDemoData, type DemoData } from '../../scripts/demo/generate';
import { fetchKeyPrefixes, seedEmulators } from '../../scripts/demo/load';
import { loadConfig } from '../../service/src/config';
import { createContainer, type Container } from '../../service/src/container';
import { SalesforceUnavailableError } from '../../service/src/errors';
import { startServer, type RunningServer } from '../../service/src/server';

interface OutageStack {
  sf: Awaited<ReturnType<typeof startSalesforceEmulator>>;
  qbo: Awaited<ReturnType<typeof startQboEmulator>>;
  container: Container;
  server: RunningServer;
  data: DemoData;
  companyId: string;
  apiKey: string;
  close(): Promise<void>;
}

async function startOutageStack(opts: { dailyApiLimit?: number; env?: Record<string, string> } = {}): Promise<OutageStack> {
  const sf = await startSalesforceEmulator({ port: 0, dailyApiLimit: opts.dailyApiLimit });
  const qbo = await startQboEmulator({ port: 0 });
  const data = generateDemoData({ seed: 7, invoices: 6, keyPrefixes: await fetchKeyPrefixes(sf.url) });
  await seedEmulators(data, { sfUrl: sf.url, qboUrl: qbo.url });
  const apiKey = `export-${randomBytes(12).toString('hex')}`;
  const config = loadConfig({
    PORT: String(await freePort()),
    DATA_DIR: 'memory://',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LEDGERLINE_API_KEY: apiKey,
    LEDGERLINE_ADMIN_KEY: `admin-${randomBytes(12).toString('hex')}`,
    LOG_LEVEL: 'silent',
    ...opts.env,
  });
  const container = await createContainer(config, { sfUrl: sf.url, qboUrl: qbo.url });
  const server = await startServer(container, { port: 0 });
  return {
    sf,
    qbo,
    container,
    server,
    data,
    companyId: data.facts.primaryCompanyId,
    apiKey,
    async close() {
      await server.close();
      await Promise.all([sf.close(), qbo.close()]);
    },
  };
}

async function get(stack: OutageStack, path: string): Promise<{ status: number; body: any; retryAfter: string | null }> {
  const res = await fetch(`${stack.server.url}${path}`, { headers: { Authorization: `Bearer ${stack.apiKey}` } });
  return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') };
}

const fault = (stack: OutageStack, spec: Record<string, unknown>) => stack.sf.state.faults.add(spec as never);
const queries = (stack: OutageStack) => stack.sf.state.stats.byKind.query;
const composites = (stack: OutageStack) => stack.sf.state.stats.byEndpoint['POST /composite'] ?? 0;
const signIns = (stack: OutageStack) => stack.sf.state.stats.byKind.auth;

describe('when Salesforce cannot serve the call', () => {
  let stack: OutageStack;
  const summary = () => get(stack, `/api/companies/${stack.companyId}/summary`);

  beforeAll(async () => {
    // Counts reused for a minute here, so that "reused" does not depend on how fast this machine is.
    stack = await startOutageStack({ env: { SUMMARY_CACHE_MS: '60000', SF_REQUEST_TIMEOUT_MS: '1000' } });
  });
  afterAll(() => stack?.close());
  beforeEach(() => {
    stack.sf.state.faults.clear();
    stack.container.exports.forgetPageReads();
  });

  it.each([
    ['503 SERVER_UNAVAILABLE', 'http503', 'Salesforce answered SERVER_UNAVAILABLE', 30],
    ['500 UNKNOWN_EXCEPTION', 'http500', 'Salesforce answered UNKNOWN_EXCEPTION', 30],
    ['a connection reset', 'reset', 'the connection to Salesforce failed (ECONNRESET)', 15],
  ])(
    'when Salesforce keeps answering %s, then the summary is 503 naming Salesforce and the retry time, after one quick retry only',
    async (_label, kind, detail, seconds) => {
      fault(stack, { kind, count: 5, match: { kind: 'query' } });
      const before = queries(stack);
      const answer = await summary();
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('SALESFORCE_UNAVAILABLE');
      expect(answer.body.error.message).toBe(`Salesforce is not available right now: ${detail}. Try again in ${seconds} seconds.`);
      expect(answer.body.error.retryAfterSeconds).toBe(seconds);
      expect(answer.retryAfter).toBe(String(seconds));
      // jsforce alone would have sent this query six times over ~15 s.
      expect(queries(stack) - before).toBe(2);
    },
  );

  it('when Salesforce fails once, then the one quick retry hides it and the summary is 200', async () => {
    fault(stack, { kind: 'http503', count: 1, match: { kind: 'query' } });
    const answer = await summary();
    expect(answer.status).toBe(200);
    expect(answer.body.companyId).toBe(stack.companyId);
  });

  it('when Salesforce does not answer within SF_REQUEST_TIMEOUT_MS, then 503 says it timed out', async () => {
    fault(stack, { kind: 'delay', delayMs: 4000, count: 2, match: { kind: 'query' } });
    const answer = await summary();
    expect(answer.status).toBe(503);
    expect(answer.body.error.message).toMatch(/^Salesforce is not available right now: the call to Salesforce timed out\. Try again in 15 seconds\.$/);
  });

  it('when the org has hit REQUEST_LIMIT_EXCEEDED, then 503 says the daily allowance is used up, nothing is retried, and the allowance says pause', async () => {
    fault(stack, { kind: 'REQUEST_LIMIT_EXCEEDED', count: 1, match: { kind: 'query' } });
    const before = queries(stack);
    const answer = await summary();
    expect(answer.status).toBe(503);
    expect(answer.body.error.message).toBe(
      "Salesforce is not available right now: the org's daily API request allowance is used up (REQUEST_LIMIT_EXCEEDED). Try again in 1 hour.",
    );
    expect(answer.body.error.fix).toMatch(/API allowance/);
    expect(answer.retryAfter).toBe('3600');
    expect(queries(stack) - before).toBe(1);
    expect(stack.container.salesforceAllowance.remaining()).toBe(0);
    expect(stack.container.salesforceAllowance.shouldPause()).toBe(true);
    // The next answer's Sforce-Limit-Info header tells the truth again.
    expect((await summary()).status).toBe(200);
    expect(stack.container.salesforceAllowance.remaining()).toBe(15000 - stack.sf.state.apiUsage);
  });

  it('when the repository is used directly (the engine), then it throws a typed SalesforceUnavailableError', async () => {
    fault(stack, { kind: 'http503', count: 2, match: { kind: 'query' } });
    const company = await stack.container.exports.company(stack.companyId).catch((err) => err);
    expect(company).toBeInstanceOf(SalesforceUnavailableError);
    expect(company).toMatchObject({ reason: 'server', retryAfterSeconds: 30, salesforceCode: 'SERVER_UNAVAILABLE', status: 503 });
  });

  it('when the session has expired, then the service signs in again once and the summary is 200', async () => {
    stack.sf.state.expireSessions();
    const before = signIns(stack);
    expect((await summary()).status).toBe(200);
    expect(signIns(stack) - before).toBe(1);
  });

  it('when the page is viewed again, then neither the company nor its counts cost a call, until a run of the company ends', async () => {
    const first = await summary();
    expect(first.status).toBe(200);
    const before = { queries: queries(stack), composites: composites(stack) };
    const again = await summary();
    expect(again.body.counts).toEqual(first.body.counts);
    expect(again.body.countsAsOf).toBe(first.body.countsAsOf);
    expect({ queries: queries(stack), composites: composites(stack) }).toEqual(before);
    // A run of the company (here a dry run that cannot reach QuickBooks) forgets them when it starts and ends.
    const { runId } = await stack.container.exports.start(stack.companyId, { dryRun: true });
    const deadline = Date.now() + 30_000;
    while (!(await stack.container.exports.status(runId)).finished) {
      if (Date.now() > deadline) throw new Error('the dry run did not finish');
      await new Promise((r) => setTimeout(r, 50));
    }
    const afterRun = { queries: queries(stack), composites: composites(stack) };
    const fresh = await summary();
    expect(fresh.body.counts).toEqual(first.body.counts);
    expect(queries(stack) - afterRun.queries).toBeGreaterThanOrEqual(1); // the company, read again
    expect(composites(stack) - afterRun.composites).toBe(1); // and its counts, in one /composite call
  });
});

describe('when Salesforce rejects even the session it has just issued', () => {
  let stack: OutageStack;
  beforeAll(async () => {
    stack = await startOutageStack({ env: { SUMMARY_CACHE_MS: '0' } });
  });
  afterAll(() => stack?.close());

  it('then the service signs in again once, not in a loop, and answers 503 naming the session', async () => {
    fault(stack, { kind: 'INVALID_SESSION_ID', count: 10, match: { kind: 'query' } });
    const before = signIns(stack);
    const answer = await get(stack, `/api/companies/${stack.companyId}/summary`);
    expect(answer.status).toBe(503);
    expect(answer.body.error.message).toBe(
      'Salesforce is not available right now: the Salesforce session ended and could not be renewed. Try again in 1 minute.',
    );
    expect(answer.body.error.fix).toMatch(/SF_CLIENT_ID/);
    expect(signIns(stack) - before).toBe(1);
    // One query before the renewal, one after: then it stops.
    expect(stack.sf.state.faults.pending().calls).toBe(1);
  });
});

describe("when the org's daily API allowance runs low", () => {
  let stack: OutageStack;
  beforeAll(async () => {
    stack = await startOutageStack({ dailyApiLimit: 60, env: { SUMMARY_CACHE_MS: '0', SF_API_RESERVE_PERCENT: '25' } });
  });
  afterAll(() => stack?.close());

  it('then every answer updates the allowance, /limits agrees with it, and shouldPause turns true at the reserve', async () => {
    const allowance = stack.container.salesforceAllowance;
    expect((await get(stack, `/api/companies/${stack.companyId}/summary`)).status).toBe(200);
    expect(allowance.remaining()).toBe(60 - stack.sf.state.apiUsage);
    expect(allowance.reading()).toMatchObject({ limit: 60, source: 'header' });
    await stack.container.salesforce.refreshAllowance();
    expect(allowance.reading()).toMatchObject({ limit: 60, source: 'limits' });
    expect(allowance.remaining()).toBe(60 - stack.sf.state.apiUsage);
    expect(allowance.reserve()).toBe(15);
    while ((allowance.remaining() ?? 0) > 15) {
      expect(allowance.shouldPause()).toBe(false);
      await stack.container.salesforce.listCompanies();
    }
    expect(allowance.shouldPause()).toBe(true);
    expect(allowance.shouldPause(5)).toBe(false);
  });

  it('then, once the org has none left, the page keeps the counts it had (held) and a fresh read answers 503 naming the daily allowance', async () => {
    while (stack.sf.state.apiUsage < 60) await stack.container.salesforce.listCompanies();
    const held = await get(stack, `/api/companies/${stack.companyId}/summary`);
    expect(held.status).toBe(200);
    expect(held.body.countsHeld).toBe(true);
    stack.container.exports.forgetPageReads();
    const answer = await get(stack, `/api/companies/${stack.companyId}/summary`);
    expect(answer.status).toBe(503);
    expect(answer.body.error.message).toMatch(/daily API request allowance is used up/);
    expect(stack.container.salesforceAllowance.remaining()).toBe(0);
  });
});
