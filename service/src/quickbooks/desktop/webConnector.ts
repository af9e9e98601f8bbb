// The Web Connector's side of an export: authenticate a Company's Web Connector user, hand out what its run
// queued, take the answers back, and report real progress. When work is waiting for QuickBooks (invoices still
// Pending Sync) and no run is going — the service restarted, or the last session was cut off — authenticate
// starts a run that resumes only those invoices.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { LedgerlineError, errorMessage } from '../../errors';
import type { CompanyModel } from '../../export/model';
import type { ExportService } from '../../export/service';
import type { WebConnectorUserRepository } from '../../store/types';
import { verifyPassword } from '../../store/webConnectorUsers';
import { QBXML_VERSION } from './qbxml';
import type { DesktopTransport } from './transport';

export const SERVER_VERSION = 'Ledgerline 0.1.0';
/** Tickets outlive any Web Connector session (its calls time out after about two minutes each). */
const TICKET_TTL_MS = 4 * 60 * 60_000;

interface Session {
  companyId: string;
  createdAt: number;
  lastError: string | null;
  qbxmlVersion: string;
}

export interface WebConnectorDeps {
  users: WebConnectorUserRepository;
  transport: DesktopTransport;
  exports: Pick<ExportService, 'company' | 'activeRun' | 'pendingCount' | 'start'>;
  logger: Logger;
  now?: () => Date;
  /** How long sendRequestXML waits for the run to queue work before answering "NoOp" (well under 2 minutes). */
  waitMs?: number;
}

export class WebConnectorService {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => Date;
  private readonly waitMs: number;
  /** Per company: the last connection error the Web Connector reported (shown to admins). */
  readonly lastConnectionError = new Map<string, { at: Date; message: string }>();

  constructor(private readonly deps: WebConnectorDeps) {
    this.now = deps.now ?? (() => new Date());
    this.waitMs = deps.waitMs ?? 20_000;
  }

  serverVersion(): string {
    return SERVER_VERSION;
  }

  /** "" accepts any Web Connector version (2.x speaks the interface this service serves). */
  clientVersion(_version: string): string {
    return '';
  }

  async authenticate(username: string, password: string): Promise<string[]> {
    const user = username ? await this.deps.users.byUsername(username) : null;
    if (!user || !(await verifyPassword(password, user.passwordHash))) {
      this.deps.logger.warn({ username: username.slice(0, 64) }, 'Web Connector sign-in refused');
      return ['', 'nvu'];
    }
    let company: CompanyModel;
    try {
      company = await this.deps.exports.company(user.companyId);
    } catch (err) {
      this.deps.logger.error({ companyId: user.companyId, err: errorMessage(err) }, 'Web Connector: company not readable');
      return ['', 'nvu'];
    }
    if (company.accountingSystem !== 'Desktop') {
      this.deps.logger.warn({ companyId: company.id }, 'Web Connector sign-in for a company that exports to QuickBooks Online');
      return ['', 'nvu'];
    }
    const { transport } = this.deps;
    transport.touch(company.id, this.now());
    // A message handed out in an earlier session that never answered: its sender looks up what QuickBooks saved.
    transport.lose(company.id, 'the Web Connector session that took it ended without an answer');
    this.expire();
    const ticket = randomBytes(20).toString('hex');
    if (!transport.hasWork(company.id) && !this.deps.exports.activeRun(company.id)) {
      const pending = await this.deps.exports.pendingCount(company);
      if (!pending) return [ticket, 'none'];
      try {
        const { runId } = await this.deps.exports.start(company.id, { dryRun: false, pendingOnly: true });
        this.deps.logger.info({ companyId: company.id, runId, pending }, 'Web Connector: resuming the invoices still pending');
      } catch (err) {
        // Another instance (or a crashed run's lease) holds the company: try again next time.
        if (err instanceof LedgerlineError && err.code === 'EXPORT_RUNNING') return [ticket, 'none'];
        throw err;
      }
    }
    this.sessions.set(ticket, { companyId: company.id, createdAt: Date.now(), lastError: null, qbxmlVersion: QBXML_VERSION });
    this.deps.logger.info({ companyId: company.id }, 'Web Connector session started');
    // "" = the company file open in QuickBooks.
    return [ticket, ''];
  }

  async sendRequestXML(ticket: string, _hcp: string, _file: string, _country: string, major: string, minor: string): Promise<string> {
    const session = this.sessions.get(ticket);
    if (!session) return '';
    session.lastError = null;
    const qbMajor = Number(major);
    // Never ask QuickBooks for a newer qbXML than it speaks.
    if (Number.isFinite(qbMajor) && qbMajor > 0 && qbMajor < 13) session.qbxmlVersion = `${qbMajor}.${Number(minor) || 0}`;
    const { transport, exports } = this.deps;
    transport.touch(session.companyId, this.now());
    let xml = transport.next(session.companyId, ticket, session.qbxmlVersion);
    if (xml) return xml;
    const run = exports.activeRun(session.companyId);
    if (run) {
      await transport.waitForWork(session.companyId, this.waitMs, run.done);
      xml = transport.next(session.companyId, ticket, session.qbxmlVersion);
      if (xml) return xml;
      if (exports.activeRun(session.companyId)) {
        // Still working on our side (reading Salesforce, writing back): the Web Connector waits and asks again.
        session.lastError = 'NoOp';
        return '';
      }
    }
    session.lastError = 'Ledgerline has nothing more for QuickBooks.';
    return '';
  }

  receiveResponseXML(ticket: string, response: string, hresult: string, message: string): number {
    const session = this.sessions.get(ticket);
    if (!session) return -1;
    const { transport } = this.deps;
    transport.touch(session.companyId, this.now());
    const taken = transport.answer(session.companyId, ticket, hresult ? { hresult, message } : { xml: response });
    if (hresult) {
      this.deps.logger.warn({ companyId: session.companyId, hresult, message }, 'QuickBooks could not process a request');
    }
    if (!taken) this.deps.logger.warn({ companyId: session.companyId }, 'Web Connector answer for no request handed out (late or repeated): ignored');
    return this.percent(session.companyId);
  }

  /** 100 only when nothing is left: the Web Connector then closes the session. */
  percent(companyId: string): number {
    const run = this.deps.exports.activeRun(companyId);
    if (!run && !this.deps.transport.hasWork(companyId)) return 100;
    // Work queued by a run of another process: nothing to measure it by here.
    if (!run) return 0;
    const phases = [run.progress.customers, run.progress.products, run.progress.invoices];
    const total = phases.reduce((n, p) => n + p.total, 0);
    const done = phases.reduce((n, p) => n + Math.min(p.done, p.total), 0);
    return total ? Math.max(0, Math.min(99, Math.floor((done / total) * 100))) : 0;
  }

  connectionError(ticket: string, hresult: string, message: string): string {
    const session = this.sessions.get(ticket);
    if (session) {
      // QuickBooks never saw the request: it goes again next session.
      this.deps.transport.requeue(session.companyId);
      this.lastConnectionError.set(session.companyId, { at: this.now(), message: `${message} (${hresult})` });
      session.lastError = message;
      this.deps.logger.warn({ companyId: session.companyId, hresult, message }, 'Web Connector could not reach QuickBooks');
    }
    return 'done';
  }

  getLastError(ticket: string): string {
    const session = this.sessions.get(ticket);
    if (!session) return 'The Web Connector session is unknown or has expired: run the Web Connector again.';
    return session.lastError ?? 'No error.';
  }

  closeConnection(ticket: string): string {
    const session = this.sessions.get(ticket);
    if (!session) return 'Ledgerline: session closed.';
    this.sessions.delete(ticket);
    this.deps.transport.lose(session.companyId, 'the Web Connector closed the session before answering');
    const left = this.deps.transport.pendingRequests(session.companyId);
    return left ? `Ledgerline: ${left} request(s) wait for the next run.` : 'Ledgerline: all done.';
  }

  private expire(): void {
    const cutoff = Date.now() - TICKET_TTL_MS;
    for (const [ticket, s] of this.sessions) if (s.createdAt < cutoff) this.sessions.delete(ticket);
  }
}
