// The settings of a production start and the strict-input helpers every route uses.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { nodeFlagsOf, productionNodeFlags } from '../../scripts/bench/processes';
import { ConfigError, PRODUCTION_SETTINGS, loadConfig, loadProductionConfig } from '../../service/src/config';
import { clientError, describeIssues, isCalendarDate } from '../../service/src/http/validation';

const REAL = {
  QBO_BASE_URL: 'https://quickbooks.api.intuit.com',
  QBO_CLIENT_ID: 'intuit-client-id',
  QBO_CLIENT_SECRET: 'intuit-client-secret',
  SF_LOGIN_URL: 'https://example.my.salesforce.com',
  SF_CLIENT_ID: 'sf-consumer-key',
  SF_CLIENT_SECRET: 'sf-consumer-secret',
  TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32),
  LEDGERLINE_API_KEY: 'export-key-0123456789',
  LEDGERLINE_ADMIN_KEY: 'admin-key-0123456789',
};

describe('the production configuration', () => {
  it('when every real setting is given, then it is a production configuration, not the demo', () => {
    const config = loadProductionConfig(REAL);
    expect(config).toMatchObject({ env: 'production', demo: false, apiKey: REAL.LEDGERLINE_API_KEY });
    expect(config.quickbooks.baseUrl).toBe(REAL.QBO_BASE_URL);
    expect(config.salesforce.loginUrl).toBe(REAL.SF_LOGIN_URL);
  });

  it('when settings are missing or blank, then one error names each of them and what it is', () => {
    const { SF_CLIENT_SECRET: _s, LEDGERLINE_ADMIN_KEY: _a, ...rest } = REAL;
    try {
      loadProductionConfig({ ...rest, QBO_CLIENT_ID: '  ' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([
        `QBO_CLIENT_ID is not set: ${PRODUCTION_SETTINGS.QBO_CLIENT_ID}`,
        `SF_CLIENT_SECRET is not set: ${PRODUCTION_SETTINGS.SF_CLIENT_SECRET}`,
        `LEDGERLINE_ADMIN_KEY is not set: ${PRODUCTION_SETTINGS.LEDGERLINE_ADMIN_KEY}`,
      ]);
    }
  });

  it('when TRUST_PROXY is given, then it becomes express trust proxy values', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  it('when the new Salesforce settings are not given, then the defaults apply; bad ones are named', () => {
    const config = loadConfig({});
    expect(config.salesforce).toMatchObject({ requestTimeoutMs: 60_000, apiReservePercent: 10 });
    expect(config.summaryCacheMs).toBe(60_000);
    expect(() => loadConfig({ SF_API_RESERVE_PERCENT: '95' })).toThrow(/SF_API_RESERVE_PERCENT/);
    expect(() => loadConfig({ SUMMARY_CACHE_MS: '-1' })).toThrow(/SUMMARY_CACHE_MS/);
  });
});

describe('the production start command', () => {
  const file = (name: string) => readFileSync(path.join(__dirname, '../..', name), 'utf8');

  it('when the service is started by the Procfile, the Dockerfile or npm run serve, then each gives node the same heap limit, and the bench runs the service with it', () => {
    const procfile = productionNodeFlags(file('Procfile'));
    const cmd = /^CMD (\[.*\])$/m.exec(file('Dockerfile'))![1]!;
    const docker = nodeFlagsOf((JSON.parse(cmd) as string[]).join(' '));
    const serve = nodeFlagsOf(JSON.parse(file('package.json')).scripts.serve);

    expect(procfile).toContain('--max-old-space-size=1024');
    expect(docker).toEqual(procfile);
    expect(serve).toEqual(procfile);
    expect(productionNodeFlags()).toEqual(procfile);
  });

  it('when a command line is read, then only the flags between node and its script are taken', () => {
    expect(nodeFlagsOf('HOST=0.0.0.0 node --a=1 --b dist/main.js --c')).toEqual(['--a=1', '--b']);
    expect(nodeFlagsOf('npm start')).toEqual([]);
  });
});

describe('strict input helpers', () => {
  it('when a date is checked, then only days on the calendar pass', () => {
    expect(['2026-02-28', '2028-02-29', '2026-12-31'].every(isCalendarDate)).toBe(true);
    expect(['2026-02-30', '2026-13-01', '2027-02-29', '2026-00-10', '2026-1-01', '20260101'].some(isCalendarDate)).toBe(false);
  });

  it('when zod reports issues, then they read as one sentence per problem naming the field', () => {
    const schema = z.strictObject({ dryRun: z.boolean().optional(), nested: z.strictObject({ a: z.string() }).optional() });
    const result = schema.safeParse({ dryrun: true, nested: { a: 1, b: 2 } });
    expect(result.success).toBe(false);
    expect(describeIssues(result.error!.issues)).toBe(
      'nested.a: Invalid input: expected string, received number; Unknown field nested.b; Unknown field dryrun',
    );
  });

  it('when the body parser or router refuses a request, then it keeps its 4xx and says why; a 403 from a file lookup is a 404', () => {
    expect(clientError(Object.assign(new Error('too large'), { status: 413, type: 'entity.too.large', limit: 1048576 }))).toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is too large (the limit is 1 MB).',
    });
    expect(clientError(Object.assign(new Error('Forbidden'), { status: 403 }))).toMatchObject({ status: 404, message: 'Not found.' });
    expect(clientError(Object.assign(new Error('boom'), { status: 500 }))).toBeNull();
    expect(clientError(new Error('plain'))).toBeNull();
  });
});
