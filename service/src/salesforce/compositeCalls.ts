// Pure: how reads and collection writes are packed into Salesforce's Composite resource (POST /composite), which counts
// as one API call for up to 25 subrequests, at most 5 of them queries (query, query more) or sObject Collections — and
// how its answer is read back. A subrequest that failed is turned into the error the same call made alone would have
// thrown (jsforce's: named after the REST errorCode), so callers handle it exactly as before.
import { z } from 'zod';

/** Query and sObject Collections subrequests one /composite call may carry. */
export const QUERIES_PER_COMPOSITE = 5;

export interface Subrequest {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  referenceId: string;
  body?: unknown;
}

const SubrequestResultSchema = z.object({
  body: z.unknown(),
  httpStatusCode: z.number(),
  referenceId: z.string().nullable(),
});
export const CompositeAnswerSchema = z.object({ compositeResponse: z.array(SubrequestResultSchema) });
export type CompositeAnswer = z.infer<typeof CompositeAnswerSchema>;

export const QueryPageSchema = z.object({
  totalSize: z.number(),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.record(z.string(), z.unknown())),
});
export type QueryPage = z.infer<typeof QueryPageSchema>;

/** What a failed subrequest throws: the shape of jsforce's HttpApiError for the same answer to a call of its own. */
export class SubrequestError extends Error {
  constructor(
    message: string,
    readonly errorCode: string,
    readonly data: unknown,
  ) {
    super(message);
    this.name = errorCode;
  }
}

/** The error a subrequest's answer of `status` with this body makes (jsforce's reading of an error body). */
export function subrequestError(status: number, body: unknown): SubrequestError {
  const list = Array.isArray(body) ? body : [body];
  if (list.length > 1) return new SubrequestError('Multiple errors returned.\n  Check `error.data` for the error details', 'MULTIPLE_API_ERRORS', list);
  const first = list[0] as { message?: unknown; errorCode?: unknown } | null | undefined;
  if (first && typeof first.message === 'string') {
    return new SubrequestError(first.message, typeof first.errorCode === 'string' ? first.errorCode : `ERROR_HTTP_${status}`, first);
  }
  return new SubrequestError(JSON.stringify(body ?? null), `ERROR_HTTP_${status}`, body);
}

/** `items` in consecutive groups of at most `size` (one call each). */
export function inGroups<T>(items: T[], size = QUERIES_PER_COMPOSITE): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

/**
 * The bodies of the answer, in the order of `sent`, matched by referenceId. Throws the first failure: a subrequest
 * the org refused, or a refusal of the whole call (a limit, named by no subrequest).
 */
export function subrequestBodies(sent: Subrequest[], answer: CompositeAnswer): unknown[] {
  const byRef = new Map(answer.compositeResponse.map((r) => [r.referenceId, r]));
  return sent.map((s) => {
    const result = byRef.get(s.referenceId);
    if (!result) {
      const refusal = answer.compositeResponse.find((r) => r.httpStatusCode >= 400);
      throw refusal ? subrequestError(refusal.httpStatusCode, refusal.body) : new Error(`Salesforce's composite answer has no result for ${s.referenceId}`);
    }
    if (result.httpStatusCode >= 400) throw subrequestError(result.httpStatusCode, result.body);
    return result.body;
  });
}
