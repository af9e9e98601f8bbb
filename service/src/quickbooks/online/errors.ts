// QuickBooks Online answers errors in several shapes (JSON Fault, lower-case gateway JSON, XML, HTML).
// This module turns any of them into one typed QboFault.
import { XMLParser } from 'fast-xml-parser';

export type QboFaultKind = 'validation' | 'unauthorized' | 'throttled' | 'system' | 'network' | 'unknown';

export interface QboFaultDetail {
  code: string;
  message: string;
  detail: string;
  element: string;
}

export class QboFault extends Error {
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

interface RawError {
  Message?: string;
  message?: string;
  Detail?: string;
  detail?: string;
  code?: string | number;
  element?: string | null;
}

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

/** Parses a QuickBooks Fault from a body of any of the real shapes. */
export function parseFault(status: number, body: string, intuitTid: string | null): QboFault {
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, any>;
      const fault = json.Fault ?? json.fault;
      if (fault) {
        const type = String(fault.type ?? '');
        return new QboFault(kindFor(status, type), status, normalise(fault.Error ?? fault.error), intuitTid);
      }
    } catch {
      // fall through to the generic fault
    }
  } else if (text.startsWith('<') && !/^<(!doctype|html)/i.test(text)) {
    try {
      const doc = xml.parse(text) as Record<string, any>;
      const fault = doc.IntuitResponse?.Fault ?? doc.Fault;
      if (fault) {
        return new QboFault(kindFor(status, String(fault.type ?? '')), status, normalise(fault.Error), intuitTid);
      }
    } catch {
      // fall through
    }
  }
  const kind = kindFor(status, '');
  return new QboFault(kind, status, [{ code: String(status), message: `HTTP ${status}`, detail: text.slice(0, 200), element: '' }], intuitTid);
}

/** A fault inside a batch item answer: `{ Fault: { Error: [...], type } }`. */
export function batchItemFault(fault: { Error?: RawError[]; type?: string }, intuitTid: string | null): QboFault {
  const type = String(fault.type ?? '');
  const status = /auth/i.test(type) ? 401 : /validation/i.test(type) ? 400 : 500;
  return new QboFault(kindFor(status, type), status, normalise(fault.Error), intuitTid);
}

export function networkFault(cause: unknown): QboFault {
  const message = cause instanceof Error ? cause.message : String(cause);
  const fault = new QboFault('network', 0, [{ code: 'NETWORK', message: `Connection to QuickBooks failed: ${message}`, detail: '', element: '' }], null);
  return fault;
}
