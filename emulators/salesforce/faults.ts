// Scripted failures: whole calls (expired session, limit hit, 5xx, dropped connection, delay)
// and per-record write errors (e.g. UNABLE_TO_LOCK_ROW) that surface in composite answers.
import { id15 } from './ids';
import type { SaveError } from './values';

export type CallKind = 'auth' | 'query' | 'queryMore' | 'composite' | 'sobject' | 'describe' | 'bulk' | 'other';

/** `answerLost`: the org does the work, then the connection drops before the answer (a write whose fate is unknown). */
export const CALL_FAULT_KINDS = ['INVALID_SESSION_ID', 'REQUEST_LIMIT_EXCEEDED', 'http500', 'http503', 'reset', 'answerLost', 'delay'] as const;
export type CallFaultKind = (typeof CALL_FAULT_KINDS)[number];

export interface FaultMatch {
  method?: string;
  /** Substring of the request path. */
  path?: string;
  kind?: CallKind;
}

export interface CallFaultSpec {
  kind: CallFaultKind;
  count?: number;
  delayMs?: number;
  match?: FaultMatch;
  /** Matching calls that go through before the fault fires (a failure part-way through a run). Default 0. */
  skip?: number;
}

export interface RecordFaultSpec {
  kind: 'recordError';
  recordId: string;
  errorCode: string;
  message: string;
  /** Default: until cleared. */
  count?: number;
}

export type FaultSpec = CallFaultSpec | RecordFaultSpec;

interface CallFault {
  kind: CallFaultKind;
  remaining: number;
  skip: number;
  delayMs: number;
  match: FaultMatch;
}

interface RecordFault {
  errorCode: string;
  message: string;
  remaining: number;
}

export interface CallInfo {
  method: string;
  path: string;
  kind: CallKind;
}

export class Faults {
  private calls: CallFault[] = [];
  private records = new Map<string, RecordFault>();

  add(spec: FaultSpec): void {
    if (spec.kind === 'recordError') {
      if (typeof spec.recordId !== 'string' || !spec.errorCode) throw new Error('recordError needs recordId and errorCode');
      this.records.set(id15(spec.recordId), {
        errorCode: spec.errorCode,
        message: spec.message ?? spec.errorCode,
        remaining: spec.count ?? Number.POSITIVE_INFINITY,
      });
      return;
    }
    if (!CALL_FAULT_KINDS.includes(spec.kind)) throw new Error(`unknown fault kind ${String(spec.kind)}`);
    this.calls.push({ kind: spec.kind, remaining: spec.count ?? 1, skip: spec.skip ?? 0, delayMs: spec.delayMs ?? 1000, match: spec.match ?? {} });
  }

  clear(): void {
    this.calls = [];
    this.records.clear();
  }

  /** Consumes and returns the first scripted fault matching this call. */
  takeCallFault(call: CallInfo): CallFault | undefined {
    const fault = this.calls.find(
      (f) =>
        f.remaining > 0 &&
        (!f.match.method || f.match.method.toUpperCase() === call.method.toUpperCase()) &&
        (!f.match.path || call.path.includes(f.match.path)) &&
        (!f.match.kind || f.match.kind === call.kind),
    );
    if (!fault) return undefined;
    if (fault.skip > 0) {
      fault.skip -= 1;
      return undefined;
    }
    fault.remaining -= 1;
    this.calls = this.calls.filter((f) => f.remaining > 0);
    return fault;
  }

  /** The injected error for a write to this record, if one is armed. */
  takeRecordFault(recordId: string): SaveError | undefined {
    const key = id15(recordId);
    const fault = this.records.get(key);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.records.delete(key);
    return { statusCode: fault.errorCode, message: fault.message, fields: [] };
  }

  pending(): { calls: number; records: number } {
    return { calls: this.calls.length, records: this.records.size };
  }
}
