// Start-up while Salesforce is briefly down: the service signs in again with back-off and says why each attempt
// failed, instead of stopping at the first 503 or reset with "Ledgerline stopped: " and no reason; credentials
// Salesforce refuses, or an outage that outlasts the attempts, stop it with the reason and what to check.
import { randomBytes } from 'node:crypto';
import { startSalesforceEmulator } from '../../emulators/salesforce';
import { loadConfig } from '../../service/src/config';
import { createContainer } from '../../service/src/container';
import { createLogger } from '../../service/src/log';

jest.setTimeout(120_000);

describe('when the service starts while Salesforce cannot sign it in', () => {
  let sf: Awaited<ReturnType<typeof startSalesforceEmulator>>;
  beforeAll(async () => {
    sf = await startSalesforceEmulator({ port: 0 });
  });
  afterAll(() => sf?.close());
  beforeEach(() => sf.state.faults.clear());

  const start = (env: Record<string, string> = {}) => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', format: 'json' }, { write: (line: string) => void lines.push(line) });
    const config = loadConfig({
      DATA_DIR: 'memory://',
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      LEDGERLINE_API_KEY: `k-${randomBytes(12).toString('hex')}`,
      LEDGERLINE_ADMIN_KEY: `a-${randomBytes(12).toString('hex')}`,
      ...env,
    });
    return { lines, started: createContainer(config, { sfUrl: sf.url, qboUrl: 'http://127.0.0.1:9', logger, retryBaseMs: 20 }) };
  };

  it('when the sign-in meets a 503, a reset and another 503, then it tries again with back-off, logs each reason and starts', async () => {
    sf.state.faults.add({ kind: 'http503', count: 1, match: { kind: 'auth' } } as never);
    sf.state.faults.add({ kind: 'reset', count: 1, match: { kind: 'auth' } } as never);
    sf.state.faults.add({ kind: 'http503', count: 1, match: { kind: 'auth' } } as never);
    const { lines, started } = start();
    const container = await started;
    try {
      const retries = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'Salesforce sign-in failed at start-up; trying again');
      expect(retries.map((r) => r.reason)).toEqual([
        'Salesforce is not available right now: Salesforce answered HTTP 503.',
        'Salesforce is not available right now: the connection to Salesforce failed (ECONNRESET).',
        'Salesforce is not available right now: Salesforce answered HTTP 503.',
      ]);
      expect((await container.exports.companies()).length).toBeGreaterThanOrEqual(0);
    } finally {
      await container.close();
    }
  });

  it('when Salesforce stays down past the attempts, then start-up fails naming the attempts, the reason and what to check', async () => {
    sf.state.faults.add({ kind: 'http503', count: 10, match: { kind: 'auth' } } as never);
    const { started } = start({ SF_SIGN_IN_ATTEMPTS: '3' });
    const err = (await started.catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/^Salesforce sign-in failed 3 times over \d+ s: Salesforce is not available right now: Salesforce answered HTTP 503\./);
    expect(err.message).toMatch(/trust\.salesforce\.com/);
  });

  it('when Salesforce refuses the credentials, then start-up stops at once and names them', async () => {
    const { started } = start({ SF_LOGIN_URL: sf.url, SF_CLIENT_ID: 'wrong-client', SF_CLIENT_SECRET: 'wrong-secret' });
    const before = sf.state.stats.byKind.auth;
    const err = (await started.catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(
      /^Salesforce refused the sign-in: client identifier invalid \(invalid_client_id\)\. Check SF_LOGIN_URL, SF_CLIENT_ID and SF_CLIENT_SECRET/,
    );
    expect(sf.state.stats.byKind.auth - before).toBe(1);
  });
});
