// The Salesforce records an export is limited to (a retry of Process Log errors): a list of record ids. Given but
// empty it is refused — an empty list never means "all".
import { z } from 'zod';

/** Records one export may name: as many as invoice numbers. */
export const MAX_RECORDS = 1000;

export const NO_RECORD = 'no record given: name at least one Salesforce record id (e.g. "a0B5g00000XyZ12AAB"), or leave the field out';

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

/** The `records` field of an export request: undefined when left out, else 1 to 1,000 Salesforce ids, each once. */
export const recordList = z
  .array(z.string())
  .optional()
  .transform((v) => (v === undefined ? undefined : [...new Set(v.map((s) => s.trim()).filter(Boolean))]))
  .superRefine((list, ctx) => {
    if (!list) return;
    if (!list.length) {
      ctx.addIssue({ code: 'custom', message: NO_RECORD });
      return;
    }
    if (list.length > MAX_RECORDS) {
      ctx.addIssue({
        code: 'custom',
        message: `at most ${MAX_RECORDS.toLocaleString('en-US')} records per export (${list.length.toLocaleString('en-US')} given); retry the rest in another run`,
      });
      return;
    }
    const bad = list.find((id) => !SALESFORCE_ID.test(id));
    if (bad !== undefined)
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(bad.slice(0, 40))} is not a Salesforce record id (15 or 18 letters and digits)` });
  });
