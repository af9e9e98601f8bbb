// A thin, typed QuickBooks Online v3 client over fetch. It adds what node-quickbooks lacks and an exact
// export needs: `requestid` on every write, the intuit_tid of every answer, typed faults for every body shape,
// one refresh-and-retry on 401, back-off on 429/5xx, and counts of read and write calls (reads are metered).
// Every refresh after a 401, pause after a 429, time-out and retry is logged with the realm, the call path and the
// intuit_tid of the answer that caused it (never a token), and throttle pauses are announced through onThrottle.
// Reads and queries are metered by Intuit (the monthly read budget): each one is taken from the budget before it is
// sent and given back if QuickBooks did not answer it with success.
import type { Logger } from 'pino';
import { LedgerlineError } from '../../errors';
import { BatchAnswer, BatchItemAnswer, CompanyInfo, Entity, Preferences, QueryAnswer, QueryRows, readAnswer } from './answers';
import { QboFault, batchItemFault, describeProblem, networkFault, parseFault, unreadable } from './errors';
import type { CallKind, Hold, QboScheduler, ThrottleCause } from './scheduler';

export interface AccessTokenSource {
  /** A valid access token; refreshed first when it is about to expire. */
  get(): Promise<string>;
  /** After a 401 with `rejected`: refresh once (single-flight) and return the new token, or throw. */
  refreshAfterUnauthorized(rejected: string): Promise<string>;
}

export interface QboClientOptions {
  baseUrl: string;
  realmId: string;
  minorVersion: number;
  tokens: AccessTokenSource;
  scheduler: QboScheduler;
  /** Attempts for retryable faults (429, 5xx, dropped connections). */
  maxAttempts?: number;
  /** First back-off delay for 5xx and network faults; doubles each time. */
  retryBaseMs?: number;
  timeoutMs?: number;
  onCall?: (call: { kind: CallKind; path: string; status: number; intuitTid: string | null; ms: number }) => void;
  /** Told each time the client pauses for QuickBooks' rate limit (429), before the pause. */
  onThrottle?: (pause: ThrottlePause) => void;
  /** Told when a call waits for the scheduler's windows (pacing to the limits, before any 429). */
  onHold?: (hold: Hold & { realmId: string }) => void;
  /** The month's read budget, for reads and queries (unset: not metered). */
  reads?: ReadGate;
  logger?: Logger;
}

/** The monthly read budget as the client uses it. */
export interface ReadGate {
  /** Before a read is sent: takes one from the month's budget, or throws when it is spent. */
  take(): Promise<void>;
  /** After it: only reads QuickBooks answered with success are metered; others are given back. */
  settle(metered: boolean): Promise<void>;
  /** Most of the month's reads are spent: a 429 on a read is then the budget, which lasts until the next month. */
  nearlySpent(): boolean;
  /** The error that stops a run when the budget is spent. */
  spent(): Error;
}

/** A pause for QuickBooks' rate limit: what the page shows as "waiting for QuickBooks' rate limit". */
export interface ThrottlePause {
  realmId: string;
  path: string;
  /** How long the client waits before trying again. */
  waitMs: number;
  /** When it tries again. */
  until: Date;
  /** The attempt that was throttled (1 = the first). */
  attempt: number;
  intuitTid: string | null;
  /** Whose limit it was: this app's, the company's batch ceiling shared with its other apps, or the month's reads. */
  cause: ThrottleCause;
}

export type QboEntity = Record<string, any> & { Id?: string; SyncToken?: string };

export interface BatchRequestItem {
  bId: string;
  operation?: 'create' | 'update' | 'delete';
  entity?: string;
  body?: QboEntity;
  query?: string;
}

export type BatchItemResult =
  | { bId: string; ok: true; entity: QboEntity; queryResponse?: undefined }
  | { bId: string; ok: true; queryResponse: Record<string, any>; entity?: undefined }
  | { bId: string; ok: false; fault: QboFault };

export interface CallCounts {
  read: number;
  query: number;
  write: number;
  batch: number;
  batchItems: number;
  retries: number;
}

const QUERY_PAGE = 1000;

export class QboClient {
  readonly counts: CallCounts = { read: 0, query: 0, write: 0, batch: 0, batchItems: 0, retries: 0 };
  /** The `time` of QuickBooks' last successful answer: its own clock. */
  lastAnswerTime: string | null = null;

  constructor(private readonly opts: QboClientOptions) {}

  get realmId(): string {
    return this.opts.realmId;
  }

  async companyInfo(): Promise<CompanyInfo> {
    const { body, intuitTid } = await this.requestWithMeta('read', 'GET', `/companyinfo/${this.opts.realmId}`);
    return readAnswer(CompanyInfo, body.CompanyInfo, 'the company information', intuitTid);
  }

  async preferences(): Promise<Preferences> {
    const { body, intuitTid } = await this.requestWithMeta('read', 'GET', '/preferences');
    return readAnswer(Preferences, body.Preferences, 'the company preferences', intuitTid);
  }

  /**
   * Change Data Capture: the entities changed since `since`, as QuickBooks answers (parsed by quickbooks/online/changes.ts).
   * One read, metered like any other.
   */
  async changeDataCapture(entities: string[], since: Date): Promise<unknown> {
    const { body } = await this.requestWithMeta('read', 'GET', `/cdc?entities=${entities.join(',')}&changedSince=${encodeURIComponent(since.toISOString())}`);
    return body;
  }

  /** One page of a query. */
  async queryPage(sql: string): Promise<Record<string, unknown>> {
    const { body, intuitTid } = await this.requestWithMeta('query', 'GET', `/query?query=${encodeURIComponent(sql)}`);
    return readAnswer(QueryAnswer, body, 'a query', intuitTid).QueryResponse ?? {};
  }

  /**
   * Every row of `SELECT * FROM entity [WHERE ...]`, 1000 a page (the most QuickBooks gives), handed to `onPage`
   * page by page so large books never sit in memory twice.
   */
  async queryAll(entity: string, where: string | undefined, onPage: (rows: QboEntity[]) => void | Promise<void>): Promise<number> {
    let start = 1;
    let total = 0;
    for (;;) {
      const sql = `SELECT * FROM ${entity}${where ? ` WHERE ${where}` : ''} ORDERBY Id STARTPOSITION ${start} MAXRESULTS ${QUERY_PAGE}`;
      const page = await this.queryPage(sql);
      const rows: QboEntity[] = readAnswer(QueryRows, page[entity], `a query of ${entity}`) ?? [];
      total += rows.length;
      if (rows.length) await onPage(rows);
      if (rows.length < QUERY_PAGE) return total;
      start += QUERY_PAGE;
    }
  }

  /**
   * A batch of independent operations (at most the batch size). Per-item faults come back as values; so does an
   * item answered without a record that has an Id (a system fault: it may have been saved). With `resendUnsure:
   * false`, a call whose outcome is unknown (5xx, time-out, dropped connection) is not sent again here: the fault is
   * thrown with the time it was sent, for the caller to look for what it saved first.
   */
  /** Items the next batch should carry to keep the realm's windows whole (QboScheduler.fitBatch). */
  fitBatch(size: number): number {
    return this.opts.scheduler.fitBatch(this.opts.realmId, size);
  }

  /** The batch sized by fitBatch leaves with `items` fewer. */
  unfit(items: number): void {
    this.opts.scheduler.unfit(this.opts.realmId, items);
  }

  async batch(items: BatchRequestItem[], requestId: string, options: { resendUnsure?: boolean } = {}): Promise<BatchItemResult[]> {
    const payload = {
      BatchItemRequest: items.map((item) =>
        item.query !== undefined ? { bId: item.bId, Query: item.query } : { bId: item.bId, operation: item.operation ?? 'create', [item.entity!]: item.body },
      ),
    };
    this.counts.batchItems += items.length;
    const { body, intuitTid } = await this.requestWithMeta('batch', 'POST', '/batch', payload, requestId, items.length, options.resendUnsure ?? true);
    const answers = readAnswer(BatchAnswer, body, 'a batch', intuitTid).BatchItemResponse;
    return answers.flatMap((raw): BatchItemResult[] => {
      const parsed = BatchItemAnswer.safeParse(raw);
      // An answer that names no item cannot be matched to one: its item counts as unanswered.
      if (!parsed.success) return [];
      const answer = parsed.data;
      const bId = answer.bId;
      if (answer.Fault) return [{ bId, ok: false, fault: batchItemFault(answer.Fault, intuitTid) }];
      if (answer.QueryResponse) return [{ bId, ok: true, queryResponse: answer.QueryResponse }];
      const key = Object.keys(answer).find((k) => k !== 'bId' && /^[A-Z]/.test(k));
      if (!key) return [{ bId, ok: false, fault: unreadable('a batch item', 'no record in the answer', intuitTid) }];
      const entity = Entity.safeParse(answer[key]);
      if (!entity.success) return [{ bId, ok: false, fault: unreadable(`a batch item's ${key}`, describeProblem(entity.error), intuitTid) }];
      // entity.data is zod's own copy: the answer's trace id goes on it without copying the record again.
      return [{ bId, ok: true, entity: Object.assign(entity.data, { _intuitTid: intuitTid }) }];
    });
  }

  private async requestWithMeta(
    kind: CallKind,
    method: string,
    path: string,
    body?: unknown,
    requestId?: string,
    units = 1,
    resendUnsure = true,
  ): Promise<{ body: any; intuitTid: string | null }> {
    const maxAttempts = this.opts.maxAttempts ?? 5;
    const log = this.opts.logger;
    // The path without its query string: a query's text is data, not a trace.
    const trace = { realmId: this.opts.realmId, call: `${method} ${path.split('?')[0]}`, ...(requestId ? { requestId } : {}) };
    let token = await this.opts.tokens.get();
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      let sentAt: number | null = null;
      try {
        const onHold = this.opts.onHold && ((hold: Hold) => this.opts.onHold!({ ...hold, realmId: this.opts.realmId }));
        return await this.opts.scheduler.schedule(
          this.opts.realmId,
          kind,
          () => {
            sentAt = Date.now();
            return this.send(kind, method, path, token, body, requestId);
          },
          units,
          onHold,
        );
      } catch (err) {
        // Our own refusals (the month's reads are spent) are not QuickBooks faults: nothing to retry.
        if (err instanceof LedgerlineError) throw err;
        const timedOut = isTimeout(err);
        const fault = err instanceof QboFault ? err : networkFault(err);
        fault.sentAt ??= sentAt;
        const context = { ...trace, attempt, status: fault.status, intuitTid: fault.intuitTid, code: fault.code };
        if (fault.kind === 'unauthorized' && !refreshed) {
          refreshed = true;
          log?.info(context, 'QuickBooks answered 401: refreshing the access token, then trying again');
          try {
            token = await this.opts.tokens.refreshAfterUnauthorized(token);
          } catch (refreshErr) {
            log?.warn({ ...context, err: refreshErr instanceof Error ? refreshErr.name : String(refreshErr) }, 'QuickBooks token refresh after 401 failed');
            throw refreshErr;
          }
          log?.info(trace, 'QuickBooks access token refreshed after 401');
          continue;
        }
        if (fault.kind === 'unauthorized') log?.warn(context, 'QuickBooks refused the refreshed access token too (401)');
        // Reads refused with most of the month's budget spent: blocked until the next month, no use waiting a minute.
        if (fault.kind === 'throttled' && (kind === 'read' || kind === 'query') && this.opts.reads?.nearlySpent()) {
          log?.warn(context, "QuickBooks refused a read (429) with the month's read budget nearly spent");
          throw this.opts.reads.spent();
        }
        if (fault.retryable && !resendUnsure && (fault.kind === 'system' || fault.kind === 'network')) {
          log?.warn({ ...context, timedOut }, 'QuickBooks call failed with its outcome unknown: looking for what it saved before sending it again');
          throw fault;
        }
        if (!fault.retryable || attempt >= maxAttempts) {
          if (fault.retryable) log?.error({ ...context, timedOut }, `QuickBooks call failed ${attempt} times; giving up`);
          throw fault;
        }
        this.counts.retries++;
        const waitMs = this.backoff(fault, attempt);
        if (fault.kind === 'throttled') {
          // Slow the realm down rather than fail: its allowance shrinks and the call waits Intuit's minute.
          const cause = this.opts.scheduler.throttled(this.opts.realmId, kind);
          log?.warn({ ...context, waitMs, cause }, 'QuickBooks rate limit (429): pausing before trying again');
          this.opts.onThrottle?.({
            cause,
            realmId: this.opts.realmId,
            path: path.split('?')[0]!,
            waitMs,
            until: new Date(Date.now() + waitMs),
            attempt,
            intuitTid: fault.intuitTid,
          });
        } else if (timedOut) {
          log?.warn(
            { ...context, waitMs, timeoutMs: this.opts.timeoutMs ?? 120_000 },
            `QuickBooks call timed out; trying again${requestId ? ' with the same requestid' : ''}`,
          );
        } else {
          log?.warn({ ...context, waitMs }, `QuickBooks call failed (${fault.kind === 'network' ? 'connection' : `HTTP ${fault.status}`}); trying again`);
        }
        await sleep(waitMs);
      }
    }
  }

  private backoff(fault: QboFault, attempt: number): number {
    // Intuit asks for a minute's pause after a 429; everything else backs off exponentially.
    if (fault.kind === 'throttled') return this.opts.scheduler.windowMs;
    return (this.opts.retryBaseMs ?? 500) * 2 ** (attempt - 1);
  }

  private async send(kind: CallKind, method: string, path: string, token: string, body?: unknown, requestId?: string) {
    const sep = path.includes('?') ? '&' : '?';
    const params = `minorversion=${this.opts.minorVersion}${requestId ? `&requestid=${encodeURIComponent(requestId)}` : ''}`;
    const url = `${this.opts.baseUrl}/v3/company/${this.opts.realmId}${path}${sep}${params}`;
    const started = Date.now();
    const metered = (kind === 'read' || kind === 'query') && this.opts.reads;
    if (metered) await metered.take();
    this.counts[kind]++;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 120_000),
      });
    } catch (err) {
      if (metered) await metered.settle(false);
      throw err;
    }
    if (metered) await metered.settle(res.ok);
    const intuitTid = res.headers.get('intuit_tid');
    const text = await res.text();
    this.opts.onCall?.({ kind, path: path.split('?')[0]!, status: res.status, intuitTid, ms: Date.now() - started });
    if (!res.ok) throw parseFault(res.status, text, intuitTid);
    try {
      const parsed = JSON.parse(text);
      if (typeof parsed?.time === 'string') this.lastAnswerTime = parsed.time;
      return { body: parsed, intuitTid };
    } catch (err) {
      throw networkFault(new Error(`QuickBooks answered HTTP ${res.status} with a body that is not JSON`, { cause: err }));
    }
  }
}

/** fetch gave up after AbortSignal.timeout. */
function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || (name === 'AbortError' && /timeout/i.test(String((err as Error).message)));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Escapes a value for a QuickBooks query string literal. */
export function qboQuote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
