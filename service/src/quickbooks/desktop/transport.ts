// The pull-based transport: per Company, a queue of qbXML messages the Web Connector takes one per round
// (sendRequestXML) and answers (receiveResponseXML). `send` resolves when the answer came back. A message handed
// out whose answer never came (the Web Connector closed, the PC went off, the answer was lost) is rejected with
// AnswerLost: the sender looks up what QuickBooks saved before sending anything again. The queue lives in this
// process: after a restart, the journal and the next run's lookups take over.
import { buildMessage, parseResponse, type QbRequest, type QbResponse } from './qbxml';

export class AnswerLost extends Error {
  override name = 'AnswerLost';
  constructor(readonly reason: string) {
    super(`QuickBooks' answer was lost (${reason})`);
  }
}

/** A whole message QuickBooks could not process (hresult from the Web Connector, e.g. an XML parse error). */
export class MessageRefused extends Error {
  override name = 'MessageRefused';
  constructor(
    readonly hresult: string,
    message: string,
  ) {
    super(message);
  }
}

/** The service is stopping: nothing more will be handed out. */
export class TransportClosed extends Error {
  override name = 'TransportClosed';
  constructor() {
    super('The Ledgerline service stopped while waiting for the Web Connector. Export again: nothing is created twice.');
  }
}

export interface SendOptions {
  /** Goes before the queued messages (look-ups that decide what may be sent again). */
  priority?: boolean;
  /** Per request: the source record it is for (an invoice can be taken off the queue by it). */
  tags?: (string | null)[];
}

/** Answer for a request taken off the queue before QuickBooks saw it. */
export const WITHDRAWN = 'Withdrawn';

interface Message {
  id: number;
  requests: QbRequest[];
  tags: (string | null)[];
  withdrawn: Set<number>;
  ticket?: string;
  handedOutAt?: number;
  timer?: NodeJS.Timeout;
  resolve(responses: QbResponse[]): void;
  reject(err: unknown): void;
}

interface CompanyQueue {
  queued: Message[];
  out: Message | null;
  waiters: Set<() => void>;
  answered: number;
  lastContactAt: Date | null;
}

export interface TransportStats {
  queued: number;
  handedOut: boolean;
  answered: number;
  lastContactAt: Date | null;
}

export class DesktopTransport {
  private readonly companies = new Map<string, CompanyQueue>();
  private seq = 0;
  private closed = false;
  /** Per company: source records taken back (un-pended); a later add for one is withdrawn at once. */
  private readonly takenBack = new Map<string, Set<string>>();

  constructor(private readonly opts: { answerTimeoutMs: number; qbxmlVersion?: string }) {}

  private queue(companyId: string): CompanyQueue {
    let q = this.companies.get(companyId);
    if (!q) {
      q = { queued: [], out: null, waiters: new Set(), answered: 0, lastContactAt: null };
      this.companies.set(companyId, q);
    }
    return q;
  }

  /** Queues one message; resolves with one answer per request, in request order. */
  send(companyId: string, requests: QbRequest[], options: SendOptions = {}): Promise<QbResponse[]> {
    if (this.closed) return Promise.reject(new TransportClosed());
    const q = this.queue(companyId);
    const id = ++this.seq;
    const back = this.takenBack.get(companyId);
    return new Promise<QbResponse[]>((resolve, reject) => {
      const message: Message = {
        id,
        // The message id in every requestID: a late answer to an older message can never be taken for this one.
        requests: requests.map((r, i) => ({ ...r, requestID: `${id}.${i}` })),
        tags: options.tags ?? requests.map(() => null),
        withdrawn: new Set(),
        resolve,
        reject,
      };
      // Taken back while the run was planning it: never handed out.
      message.tags.forEach((t, i) => t && back?.has(t) && message.withdrawn.add(i));
      if (message.withdrawn.size === message.requests.length) {
        resolve(message.requests.map((r) => withdrawnAnswer(r)));
        return;
      }
      if (options.priority) q.queued.unshift(message);
      else q.queued.push(message);
      this.wake(q);
    });
  }

  stats(companyId: string): TransportStats {
    const q = this.queue(companyId);
    return { queued: q.queued.length, handedOut: q.out !== null, answered: q.answered, lastContactAt: q.lastContactAt };
  }

  hasWork(companyId: string): boolean {
    const q = this.queue(companyId);
    return q.queued.length > 0 || q.out !== null;
  }

  touch(companyId: string, at: Date): void {
    this.queue(companyId).lastContactAt = at;
  }

  /** The next message for a Web Connector session, as qbXML; null when nothing is queued. */
  next(companyId: string, ticket: string, qbxmlVersion?: string): string | null {
    const q = this.queue(companyId);
    if (q.out) this.lose(companyId, 'a new request was asked for before the last answer came');
    const message = q.queued.shift();
    if (!message) return null;
    message.ticket = ticket;
    message.handedOutAt = Date.now();
    message.timer = setTimeout(() => {
      if (q.out === message) this.lose(companyId, 'no answer within the Web Connector’s time-out');
    }, this.opts.answerTimeoutMs);
    message.timer.unref?.();
    q.out = message;
    return buildMessage(
      message.requests.filter((_, i) => !message.withdrawn.has(i)),
      qbxmlVersion ?? this.opts.qbxmlVersion,
    );
  }

  /** The answer to the message handed out on this ticket. False when there was none (a late or foreign answer). */
  answer(companyId: string, ticket: string, response: { xml: string } | { hresult: string; message: string }): boolean {
    const q = this.queue(companyId);
    const message = q.out;
    if (!message || message.ticket !== ticket) return false;
    clearTimeout(message.timer);
    q.out = null;
    q.answered++;
    if ('hresult' in response) {
      message.reject(new MessageRefused(response.hresult, response.message || `QuickBooks could not process the request (${response.hresult})`));
      return true;
    }
    let answers: QbResponse[];
    try {
      answers = parseResponse(response.xml);
    } catch (err) {
      message.reject(err);
      return true;
    }
    const byId = new Map(answers.filter((a) => a.requestID.startsWith(`${message.id}.`)).map((a) => [a.requestID, a]));
    message.resolve(message.requests.map((r, i) => (message.withdrawn.has(i) ? withdrawnAnswer(r) : (byId.get(r.requestID) ?? missing(r)))));
    return true;
  }

  /** The Web Connector could not reach QuickBooks for this message: QuickBooks never saw it, so it goes again. */
  requeue(companyId: string): void {
    const q = this.queue(companyId);
    const message = q.out;
    if (!message) return;
    clearTimeout(message.timer);
    q.out = null;
    q.queued.unshift(message);
  }

  /** The message handed out will get no answer: its sender must find out what QuickBooks saved. */
  lose(companyId: string, reason: string): void {
    const q = this.queue(companyId);
    const message = q.out;
    if (!message) return;
    clearTimeout(message.timer);
    q.out = null;
    message.reject(new AnswerLost(reason));
  }

  /**
   * Takes a queued request for this source record off the queue. 'handedOut' when the Web Connector already took
   * it (QuickBooks may be saving it now), 'notQueued' when no queued message carries it.
   */
  withdraw(companyId: string, sourceId: string): 'withdrawn' | 'handedOut' | 'notQueued' {
    const q = this.queue(companyId);
    if (q.out?.tags.some((t, i) => t === sourceId && !q.out!.withdrawn.has(i))) return 'handedOut';
    let back = this.takenBack.get(companyId);
    if (!back) this.takenBack.set(companyId, (back = new Set()));
    back.add(sourceId);
    for (const message of q.queued) {
      const i = message.tags.findIndex((t, n) => t === sourceId && !message.withdrawn.has(n));
      if (i < 0) continue;
      message.withdrawn.add(i);
      if (message.withdrawn.size === message.requests.length) {
        q.queued.splice(q.queued.indexOf(message), 1);
        message.resolve(message.requests.map((r) => withdrawnAnswer(r)));
      }
      return 'withdrawn';
    }
    return 'notQueued';
  }

  /** A new export of the company starts: what was taken back before may be queued again. */
  clearTakenBack(companyId: string): void {
    this.takenBack.delete(companyId);
  }

  /** Rejects everything queued or handed out, and every later send (the service is stopping). */
  close(): void {
    this.closed = true;
    for (const q of this.companies.values()) {
      const all = [...q.queued, ...(q.out ? [q.out] : [])];
      q.queued = [];
      q.out = null;
      for (const m of all) {
        clearTimeout(m.timer);
        m.reject(new TransportClosed());
      }
      this.wake(q);
    }
  }

  /** Resolves when a message is queued for the company, `until` settles, or `ms` passed. */
  async waitForWork(companyId: string, ms: number, until?: Promise<unknown>): Promise<void> {
    const q = this.queue(companyId);
    if (q.queued.length) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        q.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      q.waiters.add(done);
      until?.then(done, done);
    });
  }

  private wake(q: CompanyQueue): void {
    for (const w of [...q.waiters]) w();
  }

  /** Requests waiting to be handed out (withdrawn ones not counted). */
  pendingRequests(companyId: string): number {
    return this.queue(companyId).queued.reduce((n, m) => n + m.requests.length - m.withdrawn.size, 0);
  }
}

function missing(r: QbRequest): QbResponse {
  return {
    rs: r.rq.replace(/Rq$/, 'Rs'),
    requestID: r.requestID,
    statusCode: -1,
    statusSeverity: 'Error',
    statusMessage: 'QuickBooks returned no answer for this request',
    rets: [],
  };
}

function withdrawnAnswer(r: QbRequest): QbResponse {
  return { rs: WITHDRAWN, requestID: r.requestID, statusCode: -1, statusSeverity: 'Info', statusMessage: 'taken off the queue', rets: [] };
}
