// The pull-based transport: per Company, a queue of qbXML messages in the store that the Web Connector takes one
// per round (sendRequestXML) and answers (receiveResponseXML) — on whichever instance it reaches. `send` resolves
// when the answer is in. A message handed out whose answer never came (the Web Connector closed, the PC went off,
// the answer was lost) is rejected with AnswerLost: the sender looks up what QuickBooks saved before sending
// anything again. Waiting is by a store read every `pollMs`, woken at once when this instance took the answer.
import { EventEmitter } from 'node:events';
import type { QbwcMessage, WebConnectorQueueRepository } from '../../store/types';
import { UNANSWERED_STATUS } from './answers';
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
  /** The run that sends it: when another run of the company starts, what this one left queued is never sent. */
  runId?: string | null;
  /** Called once when the Web Connector takes the message (or it is settled without being taken). */
  onTaken?: () => void;
}

/** Answer for a request taken off the queue before QuickBooks saw it. */
export const WITHDRAWN = 'Withdrawn';

export interface TransportStats {
  /** Messages waiting to be handed out, and requests in them. */
  queued: number;
  requests: number;
  handedOut: boolean;
  lastContactAt: Date | null;
}

export interface TransportOptions {
  answerTimeoutMs: number;
  qbxmlVersion?: string;
  /** How often a waiter reads the store for an answer another instance took (default 200 ms). */
  pollMs?: number;
}

export class DesktopTransport {
  private closed = false;
  private readonly events = new EventEmitter().setMaxListeners(0);
  /** Messages this process is waiting on: closed (never handed out) when it stops. */
  private readonly waiting = new Map<number, () => void>();

  constructor(
    private readonly queue: WebConnectorQueueRepository,
    private readonly opts: TransportOptions,
  ) {}

  /** Queues one message; resolves with one answer per request, in request order. */
  async send(companyId: string, requests: QbRequest[], options: SendOptions = {}): Promise<QbResponse[]> {
    if (this.closed) throw new TransportClosed();
    const queued = await this.queue.enqueue({
      companyId,
      runId: options.runId ?? null,
      requests,
      tags: options.tags ?? requests.map(() => null),
      priority: options.priority ?? false,
    });
    // Taken back while the run was planning it: never handed out.
    if (!queued) return requests.map((r) => withdrawnAnswer(r));
    this.changed(companyId);
    return this.settled(queued, options.onTaken);
  }

  /** Waits until the message is answered (or lost, refused, withdrawn) and reads its answers. */
  private async settled(queued: QbwcMessage, onTaken?: () => void): Promise<QbResponse[]> {
    let taken = false;
    let wake: () => void = () => undefined;
    const woken = () => wake();
    this.events.on(`settled:${queued.id}`, woken);
    this.waiting.set(queued.id, woken);
    try {
      for (;;) {
        if (this.closed) throw new TransportClosed();
        const m = await this.queue.get(queued.id);
        if (!m) throw new AnswerLost('the message is no longer in the queue');
        if (!taken && m.state !== 'queued') {
          taken = true;
          onTaken?.();
        }
        const answers = this.outcome(m);
        if (answers) return answers;
        if (m.state === 'out' && m.handedOutAt && Date.now() - m.handedOutAt.getTime() > this.opts.answerTimeoutMs) {
          if (await this.queue.settle(m.id, ['out'], 'lost', { message: 'no answer within the Web Connector’s time-out' })) {
            throw new AnswerLost('no answer within the Web Connector’s time-out');
          }
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.opts.pollMs ?? 200);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      this.events.off(`settled:${queued.id}`, woken);
      this.waiting.delete(queued.id);
    }
  }

  /** The answers of a settled message; undefined while it is queued or out. */
  private outcome(m: QbwcMessage): QbResponse[] | undefined {
    const requests = m.requests as QbRequest[];
    const ids = requests.map((_, i) => `${m.id}.${i}`);
    switch (m.state) {
      case 'queued':
      case 'out':
        return undefined;
      case 'withdrawn':
        return requests.map((r, i) => withdrawnAnswer({ ...r, requestID: ids[i]! }));
      case 'lost':
        throw new AnswerLost(m.message ?? 'the Web Connector session ended without an answer');
      case 'closed':
        throw new TransportClosed();
      case 'refused':
        throw new MessageRefused(m.hresult ?? '', m.message || `QuickBooks could not process the request (${m.hresult})`);
      case 'answered': {
        const answers = parseResponse(m.response ?? '');
        const byId = new Map(answers.filter((a) => a.requestID.startsWith(`${m.id}.`)).map((a) => [a.requestID, a]));
        return requests.map((r, i) => {
          const request = { ...r, requestID: ids[i]! };
          return m.withdrawn.includes(i) ? withdrawnAnswer(request) : (byId.get(request.requestID) ?? missing(request));
        });
      }
    }
  }

  async stats(companyId: string): Promise<TransportStats> {
    const [counts, state] = await Promise.all([this.queue.counts(companyId), this.queue.companyState(companyId)]);
    return { queued: counts.queued, requests: counts.requests, handedOut: counts.out > 0, lastContactAt: state.lastContactAt };
  }

  async hasWork(companyId: string): Promise<boolean> {
    const counts = await this.queue.counts(companyId);
    return counts.queued > 0 || counts.out > 0;
  }

  async touch(companyId: string): Promise<void> {
    await this.queue.touch(companyId);
  }

  /**
   * The next message for a Web Connector session, as qbXML; null when nothing is queued. One handed out earlier
   * and not answered is lost first (the Web Connector asks for a new request only after answering the last).
   */
  async next(companyId: string, ticket: string, qbxmlVersion?: string): Promise<{ id: number; xml: string } | null> {
    const { message: m, lost } = await this.queue.takeNext(companyId, ticket, 'a new request was asked for before the last answer came');
    if (lost) this.changed(companyId);
    if (!m) return null;
    const requests = (m.requests as QbRequest[])
      // The message id in every requestID: a late answer to an older message can never be taken for this one.
      .map((r, i) => ({ ...r, requestID: `${m.id}.${i}` }))
      .filter((_, i) => !m.withdrawn.includes(i));
    return { id: m.id, xml: buildMessage(requests, qbxmlVersion ?? this.opts.qbxmlVersion) };
  }

  /** The answer to the message handed out on this ticket. False when there was none (a late or foreign answer). */
  async answer(companyId: string, ticket: string, response: { xml: string } | { hresult: string; message: string }): Promise<boolean> {
    const out = await this.queue.out(companyId);
    if (!out || out.ticket !== ticket) return false;
    const taken =
      'hresult' in response
        ? await this.queue.settle(out.id, ['out'], 'refused', {
            hresult: response.hresult,
            message: response.message || `QuickBooks could not process the request (${response.hresult})`,
          })
        : await this.queue.settle(out.id, ['out'], 'answered', { response: response.xml });
    if (taken) this.events.emit(`settled:${out.id}`);
    this.changed(companyId);
    return taken;
  }

  /** The Web Connector could not reach QuickBooks for this message: QuickBooks never saw it, so it goes again. */
  async requeue(companyId: string): Promise<void> {
    await this.queue.requeueOut(companyId);
    this.changed(companyId);
  }

  /** The message handed out will get no answer: its sender must find out what QuickBooks saved. */
  async lose(companyId: string, reason: string): Promise<void> {
    const out = await this.queue.out(companyId);
    if (out && (await this.queue.settle(out.id, ['out'], 'lost', { message: reason }))) this.events.emit(`settled:${out.id}`);
  }

  /**
   * Takes a queued request for this source record off the queue. 'handedOut' when the Web Connector already took
   * it (QuickBooks may be saving it now), 'notQueued' when no queued message carries it.
   */
  async withdraw(companyId: string, sourceId: string): Promise<'withdrawn' | 'handedOut' | 'notQueued'> {
    const result = await this.queue.withdraw(companyId, sourceId);
    this.changed(companyId);
    return result;
  }

  /**
   * A run of the company starts: what was taken back before may be queued again, and what an earlier run left
   * queued (it stopped, or its process died) is never handed out — the new run finds what QuickBooks holds itself.
   */
  async runStarts(companyId: string, runId: string): Promise<void> {
    await this.queue.clearTakenBack(companyId);
    await this.queue.closeQueued(companyId, runId);
  }

  /** The run will queue nothing more for QuickBooks: the session may end once its last answer is in. */
  async runFinished(companyId: string, runId: string): Promise<void> {
    await this.queue.runFinished(companyId, runId);
    this.changed(companyId);
  }

  /** Rejects every wait of this process, and every later send; what it queued is never handed out (it is stopping). */
  async close(): Promise<void> {
    this.closed = true;
    const ids = [...this.waiting.keys()];
    for (const wake of this.waiting.values()) wake();
    await this.queue.closeMessages(ids).catch(() => undefined);
    this.events.emit('changed');
  }

  /** Resolves when this process sees the company's queue change, or `ms` passed (another instance may change it). */
  async waitForChange(companyId: string, ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.events.off(`changed:${companyId}`, done);
        this.events.off('changed', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.events.on(`changed:${companyId}`, done);
      this.events.on('changed', done);
    });
  }

  private changed(companyId: string): void {
    this.events.emit(`changed:${companyId}`);
  }
}

function missing(r: QbRequest): QbResponse {
  return {
    rs: r.rq.replace(/Rq$/, 'Rs'),
    requestID: r.requestID,
    statusCode: UNANSWERED_STATUS,
    statusSeverity: 'Error',
    statusMessage: 'QuickBooks returned no answer for this request',
    rets: [],
  };
}

function withdrawnAnswer(r: QbRequest): QbResponse {
  return { rs: WITHDRAWN, requestID: r.requestID, statusCode: -1, statusSeverity: 'Info', statusMessage: 'taken off the queue', rets: [] };
}
