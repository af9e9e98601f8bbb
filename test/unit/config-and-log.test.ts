import { Writable } from 'node:stream';
import { ConfigError, loadConfig } from '../../service/src/config';
import { createLogger, registerSecret, scrubSecrets } from '../../service/src/log';

describe('configuration', () => {
  it('when nothing is set, then the defaults run the demo on port 3000 with the emulators on 4010 and 4020', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, demo: true, databaseUrl: undefined, publicUrl: 'http://localhost:3000' });
    expect(config.quickbooks.emulatorPort).toBe(4010);
    expect(config.salesforce.emulatorPort).toBe(4020);
    // Items count against the 500 operations a minute: twenty batches of 25 fill a window, sixteen of 30 leave 20.
    expect(config.quickbooks.batchSize).toBe(25);
    expect(config.quickbooks.redirectUri).toBe('http://localhost:3000/quickbooks/callback');
  });

  it('when a batch counts once against the limits, then batches carry the 30 items Intuit allows; a batch size set is kept', () => {
    expect(loadConfig({ QBO_BATCH_COUNTS: 'call' }).quickbooks.batchSize).toBe(30);
    expect(loadConfig({ QBO_REQUESTS_PER_MINUTE: '480' }).quickbooks.batchSize).toBe(30);
    expect(loadConfig({ QBO_BATCH_SIZE: '30' }).quickbooks.batchSize).toBe(30);
  });

  it('when values are bad, then one error names every bad setting', () => {
    try {
      loadConfig({ PORT: 'eighty', QBO_BATCH_SIZE: '31', DATABASE_URL: 'not a url' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/QBO_BATCH_SIZE/);
      expect(problems).toMatch(/DATABASE_URL/);
    }
  });

  it('when QuickBooks is real but its client credentials are missing, then the configuration is refused', () => {
    expect(() => loadConfig({ QBO_BASE_URL: 'https://sandbox-quickbooks.api.intuit.com' })).toThrow(/QBO_CLIENT_ID/);
  });

  it('when production runs against real systems without keys, then the configuration is refused', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        QBO_BASE_URL: 'https://quickbooks.api.intuit.com',
        QBO_CLIENT_ID: 'id',
        QBO_CLIENT_SECRET: 'secret',
        SF_LOGIN_URL: 'https://login.salesforce.com',
        SF_CLIENT_ID: 'id',
        SF_CLIENT_SECRET: 'secret',
      }),
    ).toThrow(/TOKEN_ENCRYPTION_KEY/);
  });
});

describe('log redaction', () => {
  function capture() {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    return { lines, logger: createLogger({ level: 'debug' }, stream) };
  }

  it('when secrets sit in known fields, then the log line holds none of their values', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        accessToken: 'eyJ-access-token-value-123',
        refreshToken: 'AB11-refresh-token-value',
        tokens: { access_token: 'nested-access-token-456', client_secret: 'client-secret-789' },
        req: { headers: { authorization: 'Bearer api-key-abcdef-0123' } },
        password: 'hunter2-password',
      },
      'connected',
    );
    const text = lines.join('');
    for (const secret of [
      'eyJ-access-token-value-123',
      'AB11-refresh-token-value',
      'nested-access-token-456',
      'client-secret-789',
      'api-key-abcdef-0123',
      'hunter2-password',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[REDACTED]');
  });

  it('when a registered secret appears inside a message, then it is scrubbed from the line', () => {
    const { lines, logger } = capture();
    registerSecret('live-token-zyxwvut-98765');
    logger.error(`request to https://x/?token=live-token-zyxwvut-98765 failed`);
    expect(lines.join('')).not.toContain('live-token-zyxwvut-98765');
    expect(scrubSecrets('a live-token-zyxwvut-98765 b')).toBe('a [REDACTED] b');
  });
});
