// The console the demo prints: readable lines by default, JSON with LOG_FORMAT=json, secrets redacted either way.
import { Writable } from 'node:stream';
import { loadConfig } from '../../service/src/config';
import { createLogger, registerSecret } from '../../service/src/log';

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('log format', () => {
  it('when LOG_FORMAT is unset, then lines are readable; json and a bad value are parsed as such', () => {
    expect(loadConfig({}).logFormat).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });

  it('when the format is pretty, then a line reads as time, level, message and fields, with secrets redacted', () => {
    registerSecret('pretty-secret-value-1234');
    const out = sink();
    const logger = createLogger({ format: 'pretty' }, out.stream);

    logger.info({ runId: 'run-7', refreshToken: 'abc', note: 'saw pretty-secret-value-1234' }, 'export started');

    const line = out.text().trim();
    expect(line).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: export started /);
    expect(line).toContain('"runId":"run-7"');
    expect(line).toContain('"refreshToken":"[REDACTED]"');
    expect(line).not.toContain('pretty-secret-value-1234');
    expect(() => JSON.parse(line)).toThrow();
  });

  it('when the format is json, then each line is one JSON object', () => {
    const out = sink();
    const logger = createLogger({ format: 'json' }, out.stream);

    logger.warn({ companyId: 'a0B' }, 'could not read the QuickBooks company name');

    expect(JSON.parse(out.text())).toMatchObject({ level: 40, companyId: 'a0B', msg: 'could not read the QuickBooks company name' });
  });
});
