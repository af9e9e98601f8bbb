// The page's test fixtures against the service's contract: which schema each fixture file stands for, and the
// problems of one fixture, worded as a test failure should read.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import {
  ExportStartedSchema,
  ReconciliationSchema,
  RunSchema,
  StatusSyncPageSchema,
  StatusSyncSchema,
  SummarySchema,
} from '../../service/src/contract/answers';
import { describeIssues } from '../../service/src/http/validation';

export const LWC_DIR = path.resolve(__dirname, '../../force-app/main/default/lwc');

/** Fixture files are named after the Apex method whose answer they stand for (getSummary*, getRunStatus*, …). */
const SCHEMA_BY_METHOD: [RegExp, z.ZodType][] = [
  // The summary's statusSync part, on its own (the status sync component's input).
  [/^getSummaryStatusSync/, StatusSyncPageSchema],
  [/^getSummary/, SummarySchema],
  [/^(getStatusSync|syncStatusNow)/, StatusSyncSchema],
  [/^getRunStatus/, RunSchema],
  [/^startExport/, ExportStartedSchema],
  [/^getReconciliation/, ReconciliationSchema],
];

/** Every fixture of a component that calls the service, with the schema it must meet. */
export function serviceFixtures(): { file: string; schema: z.ZodType }[] {
  const out: { file: string; schema: z.ZodType }[] = [];
  for (const component of readdirSync(LWC_DIR)) {
    const dir = path.join(LWC_DIR, component, '__tests__', 'data');
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    } catch {
      continue;
    }
    for (const name of files) {
      const schema = SCHEMA_BY_METHOD.find(([re]) => re.test(name))?.[1];
      if (schema) out.push({ file: path.join(dir, name), schema });
    }
  }
  return out;
}

/** The fixture's problems against the schema, or null when it meets it. */
export function fixtureProblems(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? null : describeIssues(parsed.error.issues);
}

export function readFixture(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}
