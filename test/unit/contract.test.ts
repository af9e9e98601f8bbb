// One contract: the page's fixtures are what the service answers, the page handles only codes the service sends,
// and no property name of an answer is one Apex cannot deserialize into a class.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SummarySchema } from '../../service/src/contract/answers';
import { ERROR_CODES } from '../../service/src/contract/errorCodes';
import { fixtureProblems, LWC_DIR, readFixture, serviceFixtures } from '../support/contract';

describe('the page’s fixtures and the service’s contract', () => {
  const fixtures = serviceFixtures();

  it('when the fixtures are listed, then every answer the page reads has at least one', () => {
    const names = fixtures.map((f) => path.basename(f.file));
    expect(names).toEqual(
      expect.arrayContaining([
        'getSummary.json',
        'getRunStatusRunning.json',
        'getRunStatusFinished.json',
        'getRunStatusDryRun.json',
        'getSummaryStatusSync.json',
        'getStatusSyncFinished.json',
        'getReconciliation.json',
      ]),
    );
  });

  it.each(serviceFixtures().map((f) => [path.relative(LWC_DIR, f.file), f] as const))('when %s is read, then it meets the contract', (_name, f) => {
    expect(fixtureProblems(f.schema, readFixture(f.file))).toBeNull();
  });

  it.each(Object.keys(SummarySchema.shape))('when the summary fixture lacks %s, then the check fails naming it', (field) => {
    const summary = readFixture(fixtures.find((f) => f.file.endsWith('getSummary.json'))!.file) as Record<string, unknown>;
    delete summary[field];
    expect(fixtureProblems(SummarySchema, summary)).toContain(field);
  });

  it('when a fixture has a field the service does not send, then the check fails naming it', () => {
    const summary = { ...(readFixture(fixtures.find((f) => f.file.endsWith('getSummary.json'))!.file) as object), invoiceExportQty: 25 };
    expect(fixtureProblems(SummarySchema, summary)).toBe('Unknown field invoiceExportQty');
  });
});

describe('the error codes', () => {
  function literalCodes(dir: string, ext: RegExp): Map<string, string> {
    const found = new Map<string, string>();
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      const file = path.join(entry.parentPath, entry.name);
      if (!entry.isFile() || !ext.test(entry.name) || file.includes('__tests__')) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) found.set(m[1]!, path.relative(dir, file));
    }
    return found;
  }

  it('when the page’s components name an error code, then it is one the service sends', () => {
    const unknown = [...literalCodes(LWC_DIR, /\.js$/)].filter(([code]) => !(ERROR_CODES as readonly string[]).includes(code));
    expect(unknown).toEqual([]);
  });

  it('when the list is read, then no code is listed twice', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });
});

describe('property names', () => {
  // Apex keywords that may not name a property of a class JSON.deserialize fills (the answers' other words are fine).
  const APEX_RESERVED = [
    'from',
    'limit',
    'order',
    'group',
    'select',
    'where',
    'update',
    'delete',
    'insert',
    'new',
    'case',
    'when',
    'end',
    'type',
    'desc',
    'asc',
    'trigger',
  ];

  it('when the answers Apex reads are walked, then only renamed.from is an Apex keyword (Apex reads renamed as a map)', () => {
    const clashes: string[] = [];
    const walk = (schema: unknown, at: string) => {
      if (!schema || typeof schema !== 'object') return;
      const s = schema as { properties?: Record<string, unknown>; items?: unknown; anyOf?: unknown[] };
      for (const [name, child] of Object.entries(s.properties ?? {})) {
        if (APEX_RESERVED.includes(name.toLowerCase())) clashes.push(`${at}.${name}`);
        walk(child, `${at}.${name}`);
      }
      walk(s.items, `${at}[]`);
      for (const option of s.anyOf ?? []) walk(option, at);
    };
    const all = z.toJSONSchema(z.globalRegistry, { uri: (id) => id }) as { schemas: Record<string, unknown> };
    for (const id of [
      'Summary',
      'Run',
      'Plan',
      'PlanDecision',
      'LogEntry',
      'ExportStarted',
      'ErrorAnswer',
      'StatusSync',
      'StatusSyncPage',
      'Reconciliation',
      'Difference',
    ])
      walk(all.schemas[id], id);
    expect(clashes).toEqual(['PlanDecision.renamed.from']);
  });
});
