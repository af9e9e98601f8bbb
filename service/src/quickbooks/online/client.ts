// A thin, typed QuickBooks Online v3 client over fetch. It adds what node-quickbooks lacks and an exact
// export needs: `requestid` on every write, the intuit_tid of every answer, typed faults for every body shape,
// one refresh-and-retry on 401, back-off on 429/5xx, and counts of read and write calls (reads are metered).
// Every refresh after a 401, pause after a 429, time-out and retry is logged with the realm, the call path and the
// intuit_tid of the answer that caused it (never a token), and throttle pauses are announced through onThrottle.
import type { Logger } from 'pino';
import { QboFault, batchItemFault, networkFault, parseFault } from './errors';
import type { CallKind, QboScheduler } from './scheduler';

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
  logger?: Logger;
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

  constructor(private readonly opts: QboClientOptions) {}

  get realmId(): string {
    return this.opts.realmId;
  }

  async companyInfo(): Promise<QboEntity> {
    const body = await this.request('read', 'GET', `/companyinfo/${this.opts.realmId}`);
    return body.CompanyInfo;
  }

  async preferences(): Promise<QboEntity> {
    const body = await this.request('read', 'GET', '/preferences');
    return body.Preferences;
  }

  /** One page of a query. */
  async queryPage(sql: string): Promise<Record<string, any>> {
    const body = await this.request('query', 'GET', `/query?query=${encodeURIComponent(sql)}`);
    return body.QueryResponse ?? {};
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
      const rows: QboEntity[] = page[entity] ?? [];
      total += rows.length;
      if (rows.length) await onPage(rows);
      if (rows.length < QUERY_PAGE) return total;
      start += QUERY_PAGE;
    }
  }

  /** A batch of independent operations (at most the batch size). Per-item faults come back as values. */
  async batch(items: BatchRequestItem[], requestId: string): Promise<BatchItemResult[]> {
    const payload = {
      BatchItemRequest: items.map((item) =>
        item.query !== undefined ? { bId: item.bId, Query: item.query } : { bId: item.bId, operation: item.operation ?? 'create', [item.entity!]: item.body },
      ),
    };
    this.counts.batchItems += items.length;
    const { body, intuitTid } = await this.requestWithMeta('batch', 'POST', '/batch', payload, requestId, items.length);
    const answers: any[] = body.BatchItemResponse ?? [];
    return answers.map((answer): BatchItemResult => {
      const bId = String(answer.bId);
      if (answer.Fault) return { bId, ok: false, fault: batchItemFault(answer.Fault, intuitTid) };
      if (answer.QueryResponse) return { bId, ok: true, queryResponse: answer.QueryResponse };
      const key = Object.keys(answer).find((k) => k !== 'bId' && /^[A-Z]/.test(k));
      return { bId, ok: true, entity: key ? { ...answer[key], _intuitTid: intuitTid } : {} };
    });
  }

  private async request(kind: CallKind, method: string, path: string, body?: unknown, requestId?: string): Promise<any> {
    return (await this.requestWithMeta(kind, method, path, body, requestId)).body;
  }

  private async requestWithMeta(
    kind: CallKind,
    method: string,
    path: string,
    body?: unknown,
    requestId?: string,
    units = 1,
  ): Promise<{ body: any; intuitTid: string | null }> {
    const maxAttempts = this.opts.maxAttempts ?? 5;
    const log = this.opts.logger;
    // The path without its query string: a query's text is data, not a trace.
    const trace = { realmId: this.opts.realmId, call: `${method} ${path.split('?')[0]}`, ...(requestId ? { requestId } : {}) };
    let token = await this.opts.tokens.get();
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.opts.scheduler.schedule(this.opts.realmId, kind, () => this.send(kind, method, path, token, body, requestId), units);
      } catch (err) {
        const timedOut = isTimeout(err);
        const fault = err instanceof QboFault ? err : networkFault(err);
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
        if (!fault.retryable || attempt >= maxAttempts) {
          if (fault.retryable) log?.error({ ...context, timedOut }, `QuickBooks call failed ${attempt} times; giving up`);
          throw fault;
        }
        this.counts.retries++;
        const waitMs = this.backoff(fault, attempt);
        if (fault.kind === 'throttled') {
          // Slow the realm down rather than fail: its allowance shrinks and the call waits Intuit's minute.
          this.opts.scheduler.throttled(this.opts.realmId);
          log?.warn({ ...context, waitMs }, 'QuickBooks rate limit (429): pausing before trying again');
          this.opts.onThrottle?.({
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
    this.counts[kind]++;
    const res = await fetch(url, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 120_000),
    });
    const intuitTid = res.headers.get('intuit_tid');
    const text = await res.text();
    this.opts.onCall?.({ kind, path: path.split('?')[0]!, status: res.status, intuitTid, ms: Date.now() - started });
    if (!res.ok) throw parseFault(res.status, text, intuitTid);
    try {
      return { body: JSON.parse(text), intuitTid };
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
