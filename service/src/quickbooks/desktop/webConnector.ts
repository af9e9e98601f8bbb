// The Web Connector's side of an export: authenticate a Company's Web Connector user (one session per company at a
// time: a new sign-in ends the last session, whose calls are then refused; password guesses limited per user and
// address), hand out what its run queued, take the answers back, and report real progress — 100 once the run's
// last answer is in, never an empty request while the run still works.
// Sessions and the queue live in the store, so any instance can answer any call. When work is waiting for
// QuickBooks (invoices still Pending Sync) and no run is going — the service restarted, or the last session was cut
// off — authenticate starts a run that resumes only those invoices.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { LedgerlineError, errorMessage } from '../../errors';
import type { CompanyModel } from '../../export/model';
import type { ExportService } from '../../export/service';
import type { WebConnectorQueueRepository, WebConnectorUserRepository } from '../../store/types';
import { verifyPassword } from '../../store/webConnectorUsers';
import { QBXML_VERSION, buildMessage } from './qbxml';
import { closingWords, tallyAnswer, type Tally } from './tally';
import type { DesktopTransport } from './transport';

export const SERVER_VERSION = 'Ledgerline 0.1.0';
/** Tickets outlive any Web Connector session (its calls time out after about two minutes each). */
const TICKET_TTL_MS = 4 * 60 * 60_000;
/** The request handed out while the run works on its side: QuickBooks answers it at once and changes nothing. */
const KEEP_ALIVE = 'keep-alive';

/** Refused sign-ins counted per user name and address (express-rate-limit's store, as the admin sign-in counts them). */
export interface SignInLimiter {
  /** True when this user and address may try again. */
  allowed(key: string): Promise<boolean>;
  failed(key: string): Promise<void>;
  succeeded(key: string): Promise<void>;
}

export interface WebConnectorDeps {
  users: WebConnectorUserRepository;
  queue: WebConnectorQueueRepository;
  transport: DesktopTransport;
  exports: Pick<ExportService, 'company' | 'running' | 'pendingCount' | 'start'>;
  logger: Logger;
  limiter?: SignInLimiter;
  /** How long sendRequestXML waits for the run's next message before handing out a keep-alive (well under 2 minutes). */
  waitMs?: number;
}

export class WebConnectorService {
  private readonly waitMs: number;

  constructor(private readonly deps: WebConnectorDeps) {
    this.waitMs = deps.waitMs ?? 20_000;
  }

  serverVersion(): string {
    return SERVER_VERSION;
  }

  /** "" accepts any Web Connector version (2.x speaks the interface this service serves). */
  clientVersion(_version: string): string {
    return '';
  }

  async authenticate(username: string, password: string, address = 'unknown'): Promise<string[]> {
    const { logger, limiter } = this.deps;
    const guessKey = `${username.toLowerCase().slice(0, 64)}|${address}`;
    if (limiter && !(await limiter.allowed(guessKey))) {
      logger.warn({ username: username.slice(0, 64), address }, 'Web Connector sign-in locked out after too many wrong passwords');
      return ['', 'nvu'];
    }
    const user = username ? await this.deps.users.byUsername(username) : null;
    if (!user || !(await verifyPassword(password, user.passwordHash))) {
      await limiter?.failed(guessKey);
      logger.warn({ username: username.slice(0, 64), address }, 'Web Connector sign-in refused');
      return ['', 'nvu'];
    }
    await limiter?.succeeded(guessKey);
    let company: CompanyModel;
    try {
      company = await this.deps.exports.company(user.companyId);
    } catch (err) {
      logger.error({ companyId: user.companyId, err: errorMessage(err) }, 'Web Connector: company not readable');
      return ['', 'nvu'];
    }
    if (company.accountingSystem !== 'Desktop') {
      logger.warn({ companyId: company.id }, 'Web Connector sign-in for a company that exports to QuickBooks Online');
      return ['', 'nvu'];
    }
    const { transport, queue } = this.deps;
    await transport.touch(company.id);
    await queue.expireSessions(new Date(Date.now() - TICKET_TTL_MS));
    const ticket = randomBytes(20).toString('hex');
    // A Web Connector runs one session of an application at a time: an earlier session of the company is over.
    // A message handed out in it that never answered: its sender looks up what QuickBooks saved.
    await transport.lose(company.id, 'the Web Connector session that took it ended without an answer');
    if (!(await transport.hasWork(company.id)) && !(await this.deps.exports.running(company.id))) {
      const pending = await this.deps.exports.pendingCount(company);
      if (!pending) return [ticket, 'none'];
      try {
        const { runId } = await this.deps.exports.start(company.id, { dryRun: false, pendingOnly: true });
        logger.info({ companyId: company.id, runId, pending }, 'Web Connector: resuming the invoices still pending');
      } catch (err) {
        // Another instance (or a crashed run's lease) holds the company: try again next time.
        if (!(err instanceof LedgerlineError && err.code === 'EXPORT_RUNNING')) throw err;
      }
    }
    await queue.openSession({ ticket, companyId: company.id, qbxmlVersion: QBXML_VERSION });
    logger.info({ companyId: company.id }, 'Web Connector session started');
    // "" = the company file open in QuickBooks.
    return [ticket, ''];
  }

  async sendRequestXML(ticket: string, _hcp: string, _file: string, _country: string, major: string, minor: string): Promise<string> {
    const session = await this.session(ticket);
    if (!session) return '';
    const { companyId } = session;
    // Never ask QuickBooks for a newer qbXML than it speaks.
    const qbMajor = Number(major);
    const qbxmlVersion = Number.isFinite(qbMajor) && qbMajor > 0 && qbMajor < 13 ? `${qbMajor}.${Number(minor) || 0}` : session.qbxmlVersion;
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const next = await this.deps.transport.next(companyId, ticket, qbxmlVersion);
      if (next) {
        await this.deps.queue.updateSession(ticket, { qbxmlVersion, lastError: null, keepAlive: null });
        return next.xml;
      }
      const run = await this.deps.exports.running(companyId);
      if (!run || (await this.deps.queue.companyState(companyId)).finishedRunId === run.runId) break;
      const left = deadline - Date.now();
      if (left <= 0) break;
      await this.deps.transport.waitForChange(companyId, Math.min(250, left));
    }
    // The run still works on its side (reading Salesforce, writing back), or has nothing more: a request QuickBooks
    // answers at once keeps the session going — an empty string would be an error to the Web Connector.
    const requestID = `${KEEP_ALIVE}-${Date.now().toString(36)}`;
    await this.deps.queue.updateSession(ticket, { qbxmlVersion, lastError: null, keepAlive: requestID });
    return buildMessage([{ rq: 'HostQueryRq', requestID, content: {} }], qbxmlVersion);
  }

  async receiveResponseXML(ticket: string, response: string, hresult: string, message: string): Promise<number> {
    const session = await this.session(ticket);
    if (!session) return -1;
    const { companyId } = session;
    if (session.keepAlive && (hresult || response.includes(`requestID="${session.keepAlive}"`))) {
      await this.deps.queue.updateSession(ticket, { keepAlive: null });
    } else {
      const taken = await this.deps.transport.answer(companyId, ticket, hresult ? { hresult, message } : { xml: response });
      if (hresult) this.deps.logger.warn({ companyId, hresult, message }, 'QuickBooks could not process a request');
      if (!taken) this.deps.logger.warn({ companyId }, 'Web Connector answer for no request handed out (late or repeated): ignored');
      const tally: Tally = tallyAnswer(session.tally, hresult ? { refused: true } : { xml: response });
      await this.deps.queue.updateSession(ticket, { tally });
    }
    return this.percentOnceSettled(companyId);
  }

  /**
   * Waits a little for the run to queue its next message or to say it has sent everything, then answers the
   * percentage: 100 once the last answer is in (the Web Connector ends the session; write-back may go on after).
   */
  private async percentOnceSettled(companyId: string): Promise<number> {
    const deadline = Date.now() + Math.min(this.waitMs, 5_000);
    for (;;) {
      const [run, state, work] = await Promise.all([
        this.deps.exports.running(companyId),
        this.deps.queue.companyState(companyId),
        this.deps.transport.hasWork(companyId),
      ]);
      if (!work && (!run || state.finishedRunId === run.runId)) return 100;
      if (work || Date.now() >= deadline) return percent(run?.progress);
      await this.deps.transport.waitForChange(companyId, Math.min(250, deadline - Date.now()));
    }
  }

  async connectionError(ticket: string, hresult: string, message: string): Promise<string> {
    const session = await this.session(ticket);
    if (session) {
      // QuickBooks never saw the request: it goes again next session.
      await this.deps.transport.requeue(session.companyId);
      await this.deps.queue.connectionError(session.companyId, `${message} (${hresult})`);
      await this.deps.queue.updateSession(ticket, { lastError: `The Web Connector could not reach QuickBooks: ${message} (${hresult})` });
      this.deps.logger.warn({ companyId: session.companyId, hresult, message }, 'Web Connector could not reach QuickBooks');
    }
    return 'done';
  }

  async getLastError(ticket: string): Promise<string> {
    const session = await this.deps.queue.session(ticket);
    if (!session) return 'This Web Connector session is over (it expired, or a newer session of the company replaced it): run the Web Connector again.';
    return session.lastError ?? closingWords(session.tally, 0);
  }

  async closeConnection(ticket: string): Promise<string> {
    const session = await this.deps.queue.session(ticket);
    if (!session) return 'Ledgerline: session closed.';
    const { companyId } = session;
    await this.deps.queue.closeSession(ticket);
    await this.deps.transport.lose(companyId, 'the Web Connector closed the session before answering');
    const left = (await this.deps.queue.counts(companyId)).requests;
    return `Ledgerline: ${closingWords(session.tally, left)}`;
  }

  /** The session of a ticket, its last contact noted; null for an unknown (or replaced) ticket. */
  private async session(ticket: string) {
    const session = await this.deps.queue.session(ticket);
    if (!session) return null;
    await Promise.all([this.deps.queue.updateSession(ticket, {}), this.deps.transport.touch(session.companyId)]);
    return session;
  }
}

/** The run's progress over what goes to QuickBooks, as the Web Connector's whole percentage (below 100). */
export function percent(progress: Record<string, { done: number; total: number }> | undefined): number {
  if (!progress) return 0;
  const phases = ['customers', 'products', 'invoices', 'payments'].map((p) => progress[p] ?? { done: 0, total: 0 });
  const total = phases.reduce((n, p) => n + p.total, 0);
  const done = phases.reduce((n, p) => n + Math.min(p.done, p.total), 0);
  return total ? Math.max(0, Math.min(99, Math.floor((done / total) * 100))) : 0;
}
