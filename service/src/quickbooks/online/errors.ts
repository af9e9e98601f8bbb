// QuickBooks Online answers errors in several shapes (JSON Fault, lower-case gateway JSON, XML, HTML).
// This module turns any of them into one typed QboFault; the JSON and XML shapes are read with zod schemas.
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

export type QboFaultKind = 'validation' | 'unauthorized' | 'throttled' | 'system' | 'network' | 'unknown';

export interface QboFaultDetail {
  code: string;
  message: string;
  detail: string;
  element: string;
}

export class QboFault extends Error {
  /** When the call this fault answers was sent (epoch ms), where known: a lost write may land until long after. */
  sentAt: number | null = null;

  constructor(
    readonly kind: QboFaultKind,
    readonly status: number,
    readonly errors: QboFaultDetail[],
    readonly intuitTid: string | null,
  ) {
    super(describe(kind, status, errors));
    this.name = 'QboFault';
  }

  get code(): string {
    return this.errors[0]?.code ?? '';
  }

  /** Worth trying again: throttling, server trouble, a dropped connection. */
  get retryable(): boolean {
    return this.kind === 'throttled' || this.kind === 'system' || this.kind === 'network';
  }
}

function describe(kind: QboFaultKind, status: number, errors: QboFaultDetail[]): string {
  const first = errors[0];
  if (!first) return `QuickBooks ${kind} error (HTTP ${status})`;
  const detail = first.detail && first.detail !== first.message ? ` — ${first.detail}` : '';
  return `${first.message}${detail} (code ${first.code})`;
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

// XML faults come with numbers where JSON has strings: every text is read as text.
const text = z
  .union([z.string(), z.number(), z.boolean()])
  .transform((v) => String(v))
  .optional();
const RawError = z.looseObject({
  Message: text,
  message: text,
  Detail: text,
  detail: text,
  code: text,
  element: text.nullable(),
});
type RawError = z.infer<typeof RawError>;
const Errors = z.union([z.array(RawError), RawError]).optional();

/** `{ Error: [...], type }` (the data service) or `{ error: [...], type }` (the gateway); one error may come bare. */
export const FaultBody = z.looseObject({ Error: Errors, error: Errors, type: text });
const FaultEnvelope = z.looseObject({ Fault: FaultBody.optional(), fault: FaultBody.nullish() });
const XmlFault = z.looseObject({ IntuitResponse: z.looseObject({ Fault: FaultBody.optional() }).optional(), Fault: FaultBody.optional() });

/** Intuit's gateway echoes the bearer token in an expired-token detail ("Token expired: <token>"); it must not travel on. */
function withoutToken(detail: string): string {
  return detail.replace(/(Token expired:\s*)\S+/gi, '$1[redacted]');
}

function normalise(list: RawError[] | RawError | undefined): QboFaultDetail[] {
  const items = Array.isArray(list) ? list : list ? [list] : [];
  return items.map((e) => ({
    code: String(e.code ?? ''),
    message: String(e.Message ?? e.message ?? ''),
    detail: withoutToken(String(e.Detail ?? e.detail ?? '')),
    element: String(e.element ?? ''),
  }));
}

function kindFor(status: number, faultType: string): QboFaultKind {
  if (status === 401 || /^auth/i.test(faultType)) return 'unauthorized';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'system';
  if (status === 400 || /validation/i.test(faultType)) return 'validation';
  return 'unknown';
}

/** The Fault a body of any of the real shapes carries, or undefined. */
function faultIn(text: string): FaultBody | undefined {
  try {
    if (text.startsWith('{')) {
      const json = FaultEnvelope.safeParse(JSON.parse(text));
      return json.success ? (json.data.Fault ?? json.data.fault ?? undefined) : undefined;
    }
    if (text.startsWith('<') && !/^<(!doctype|html)/i.test(text)) {
      const doc = XmlFault.safeParse(xml.parse(text));
      return doc.success ? (doc.data.IntuitResponse?.Fault ?? doc.data.Fault) : undefined;
    }
  } catch {
    // not JSON or XML after all: the generic fault below
  }
  return undefined;
}

/** Parses a QuickBooks Fault from a body of any of the real shapes. */
export function parseFault(status: number, body: string, intuitTid: string | null): QboFault {
  const text = body.trim();
  const fault = faultIn(text);
  if (fault) return new QboFault(kindFor(status, String(fault.type ?? '')), status, normalise(fault.Error ?? fault.error), intuitTid);
  const kind = kindFor(status, '');
  return new QboFault(kind, status, [{ code: String(status), message: `HTTP ${status}`, detail: text.slice(0, 200), element: '' }], intuitTid);
}

export type FaultBody = z.infer<typeof FaultBody>;

/** A fault inside a batch item answer: `{ Fault: { Error: [...], type } }`. */
export function batchItemFault(fault: FaultBody, intuitTid: string | null): QboFault {
  const type = String(fault.type ?? '');
  const status = /auth/i.test(type) ? 401 : /validation/i.test(type) ? 400 : 500;
  return new QboFault(kindFor(status, type), status, normalise(fault.Error ?? fault.error), intuitTid);
}

/** `QueryResponse.Customer.0.Id: an empty Id`: where an answer went wrong, for the log. */
export function describeProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'not readable';
  const at = issue.path.map(String).join('.');
  return at ? `${at}: ${issue.message}` : issue.message;
}

/**
 * An answer QuickBooks gave (HTTP 200) that Ledgerline cannot read, as a fault of the call or of one batch item. It
 * is a system fault: what the call was about may or may not have been saved, so a create is looked for before it is
 * sent again.
 */
export function unreadable(what: string, problem: string, intuitTid: string | null): QboFault {
  return new QboFault(
    'system',
    200,
    [{ code: 'UNREADABLE_ANSWER', message: `QuickBooks answered ${what} in a shape Ledgerline cannot read`, detail: problem, element: '' }],
    intuitTid,
  );
}

export function networkFault(cause: unknown): QboFault {
  const message = cause instanceof Error ? cause.message : String(cause);
  const fault = new QboFault('network', 0, [{ code: 'NETWORK', message: `Connection to QuickBooks failed: ${message}`, detail: '', element: '' }], null);
  return fault;
}
