// HTTP for QuickBooks Desktop:
//   GET  /qbwc?wsdl                     the Web Connector service's WSDL
//   POST /qbwc                          the Web Connector's SOAP calls
//   GET  /quickbooks/webconnector?companyId=       admin page: the Company's Web Connector user and .qwc file
//   POST /quickbooks/webconnector/setup            new password (shown once) and schedule (admin; CSRF for browsers)
//   GET  /quickbooks/webconnector/qwc?companyId=   the .qwc file to add to the Web Connector (admin)
import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { LedgerlineError, errorMessage } from '../../errors';
import type { ExportService } from '../../export/service';
import { createAdminSessions, type Caller } from '../../http/adminSession';
import type { Credentials } from '../../http/auth';
import { scrubSecrets } from '../../log';
import type { AdminSessionRepository, WebConnectorQueueRepository, WebConnectorUserRepository } from '../../store/types';
import {
  escapeHtml,
  formatWhen,
  layout,
  pageHeader,
  renderMessagePage,
  renderSignInPage,
  sendAdminPage,
  sldsAssets,
  type PageChrome,
} from '../../http/adminPage';
import { DEFAULT_RUN_EVERY_MINUTES, QwcError, qwcFile } from './qwc';
import { SoapFault, faultEnvelope, parseCall, resultEnvelope, wsdl, type Operation } from './soap';
import type { DesktopTransport, TransportStats } from './transport';
import type { WebConnectorService } from './webConnector';

export const QBWC_PATH = '/qbwc';
export const WEB_CONNECTOR_PAGE = '/quickbooks/webconnector';

export function createQbwcRouter(deps: { service: WebConnectorService; publicUrl: string; logger: Logger }): express.Router {
  const router = express.Router();
  const { service } = deps;
  router.get('/', (req, res) => {
    if (Object.keys(req.query).some((k) => k.toLowerCase() === 'wsdl')) {
      res.type('text/xml; charset=utf-8').send(wsdl(`${deps.publicUrl}${QBWC_PATH}`));
      return;
    }
    res
      .type('text/plain')
      .send('Ledgerline QuickBooks Web Connector service. Add the .qwc file from the Web Connector page of your Company to the QuickBooks Web Connector.');
  });
  router.post('/', express.text({ type: () => true, limit: '50mb' }), async (req, res) => {
    const send = (status: number, xml: string) => res.status(status).type('text/xml; charset=utf-8').send(xml);
    try {
      // A request that is not a well-formed envelope is a SOAP Fault, never a sign-in attempt.
      const { operation, params: p } = parseCall(typeof req.body === 'string' ? req.body : '');
      const result = await dispatch(service, operation, p, req.ip ?? 'unknown');
      send(200, resultEnvelope(operation, result));
    } catch (err) {
      const fault = err instanceof SoapFault ? err : new SoapFault('soap:Server', 'The Ledgerline service failed on this call. The error was logged.');
      if (!(err instanceof SoapFault)) deps.logger.error({ err: scrubSecrets(errorMessage(err)) }, 'Web Connector call failed');
      send(500, faultEnvelope(fault));
    }
  });
  return router;
}

async function dispatch(service: WebConnectorService, op: Operation, p: Record<string, string>, address: string): Promise<string | number | string[]> {
  const v = (k: string) => p[k] ?? '';
  switch (op) {
    case 'serverVersion':
      return service.serverVersion();
    case 'clientVersion':
      return service.clientVersion(v('strVersion'));
    case 'authenticate':
      return service.authenticate(v('strUserName'), v('strPassword'), address);
    case 'sendRequestXML':
      return service.sendRequestXML(v('ticket'), v('strHCPResponse'), v('strCompanyFileName'), v('qbXMLCountry'), v('qbXMLMajorVers'), v('qbXMLMinorVers'));
    case 'receiveResponseXML':
      return service.receiveResponseXML(v('ticket'), v('response'), v('hresult'), v('message'));
    case 'connectionError':
      return service.connectionError(v('ticket'), v('hresult'), v('message'));
    case 'getLastError':
      return service.getLastError(v('ticket'));
    case 'closeConnection':
      return service.closeConnection(v('ticket'));
  }
}

// ------------------------------------------------------------------ admin page and .qwc file

export interface WebConnectorAdminDeps {
  users: WebConnectorUserRepository;
  exports: Pick<ExportService, 'company'>;
  transport: DesktopTransport;
  queue: WebConnectorQueueRepository;
  credentials: Credentials;
  /** Where admin sessions live (signing out on one instance ends the session on all). */
  adminSessions: AdminSessionRepository;
  publicUrl: string;
  secureCookies: boolean;
  logger: Logger;
  now?: () => Date;
}

const SetupBody = z.object({
  companyId: z.string().trim().min(1).max(80),
  username: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._@-]{3,64}$/, 'use 3 to 64 letters, digits, . _ @ or -')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  runEveryMinutes: z.coerce.number().int().min(1).max(1440).optional(),
  csrf: z.string().optional(),
});

/** The default Web Connector user name of a company: readable and unique. */
export function defaultUsername(company: { id: string; name: string }): string {
  const slug = company.name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `ledgerline-${slug || company.id.slice(-6).toLowerCase()}`;
}

export function createWebConnectorAdminRouter(deps: WebConnectorAdminDeps): express.Router {
  const router = express.Router();
  const sessions = createAdminSessions({ credentials: deps.credentials, secureCookies: deps.secureCookies, now: deps.now, store: deps.adminSessions });
  const chrome: PageChrome = {
    sldsHref: sldsAssets(router, WEB_CONNECTOR_PAGE),
    // The admin sign-in and sign-out forms are the admin pages' own (one admin session for every page).
    base: '/quickbooks',
    product: 'QuickBooks Desktop',
    title: 'QuickBooks Web Connector',
    subtitle: 'Connect QuickBooks Desktop',
  };
  const form = express.urlencoded({ extended: false, limit: '10kb' });
  const page = sendAdminPage;

  async function admin(req: Request, res: Response, companyId: string): Promise<Caller | null> {
    const caller = await sessions.caller(req);
    if (caller.kind === 'admin') return caller;
    if (bearerWanted(req)) {
      res
        .status(caller.kind === 'forbidden' ? 403 : 401)
        .json({ error: { code: caller.kind === 'forbidden' ? 'FORBIDDEN' : 'UNAUTHENTICATED', message: 'Only a Ledgerline administrator can do this.' } });
    } else {
      page(
        res,
        caller.kind === 'forbidden' ? 403 : 401,
        renderSignInPage(chrome, { companyId, next: `${WEB_CONNECTOR_PAGE}?companyId=${encodeURIComponent(companyId)}` }),
      );
    }
    return null;
  }

  async function desktopCompany(res: Response, companyId: string) {
    const company = await deps.exports.company(companyId);
    if (company.accountingSystem !== 'Desktop') {
      page(
        res,
        409,
        renderMessagePage(chrome, {
          tone: 'warning',
          title: 'Not a QuickBooks Desktop company',
          message: `${company.name} exports to QuickBooks Online; the Web Connector is for QuickBooks Desktop.`,
          fix: 'Set the Company’s Accounting System to Desktop in Salesforce to export through the Web Connector.',
        }),
      );
      return null;
    }
    return company;
  }

  async function connectorState(companyId: string) {
    const [stats, state] = await Promise.all([deps.transport.stats(companyId), deps.queue.companyState(companyId)]);
    return { stats, error: state.connectionError };
  }

  /** The common start of a GET about one Desktop company: an admin caller, the company and its user. */
  async function adminGet(req: Request, res: Response) {
    const companyId = String(req.query.companyId ?? '');
    const caller = await admin(req, res, companyId);
    if (!caller) return null;
    const company = await desktopCompany(res, companyId);
    if (!company) return null;
    return { caller, company, user: await deps.users.get(company.id) };
  }

  router.get('/', async (req, res) => {
    const got = await adminGet(req, res);
    if (!got) return;
    const { caller, company, user } = got;
    page(res, 200, renderPage(chrome, { company, user, csrf: sessions.csrfToken(caller), password: null, ...(await connectorState(company.id)) }));
  });

  router.post('/setup', form, express.json(), async (req, res) => {
    const parsed = SetupBody.safeParse(req.body ?? {});
    if (!parsed.success)
      throw new LedgerlineError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), { status: 400 });
    const caller = await admin(req, res, parsed.data.companyId);
    if (!caller) return;
    if (!sessions.csrfValid(caller, parsed.data.csrf)) {
      page(
        res,
        403,
        renderMessagePage(chrome, { tone: 'error', title: 'Form expired', message: 'This form is no longer valid.', fix: 'Reload the page and try again.' }),
      );
      return;
    }
    const company = await desktopCompany(res, parsed.data.companyId);
    if (!company) return;
    const existing = await deps.users.get(company.id);
    const username = parsed.data.username ?? existing?.username ?? defaultUsername(company);
    const taken = await deps.users.byUsername(username);
    if (taken && taken.companyId !== company.id) {
      throw new LedgerlineError('USERNAME_TAKEN', `The Web Connector user name ${username} belongs to another Company.`, {
        status: 409,
        fix: 'Choose another user name.',
      });
    }
    const password = randomBytes(18).toString('base64url');
    const user = await deps.users.save({
      companyId: company.id,
      username,
      password,
      runEveryMinutes: parsed.data.runEveryMinutes ?? existing?.runEveryMinutes ?? DEFAULT_RUN_EVERY_MINUTES,
    });
    deps.logger.info({ companyId: company.id, username }, 'Web Connector user set up');
    if (bearerWanted(req)) {
      res.set('Cache-Control', 'no-store').json({
        companyId: company.id,
        username: user.username,
        password,
        runEveryMinutes: user.runEveryMinutes,
        qwcUrl: `${deps.publicUrl}${WEB_CONNECTOR_PAGE}/qwc?companyId=${encodeURIComponent(company.id)}`,
      });
      return;
    }
    page(res, 200, renderPage(chrome, { company, user, csrf: sessions.csrfToken(caller), password, ...(await connectorState(company.id)) }));
  });

  router.get('/qwc', async (req, res) => {
    const got = await adminGet(req, res);
    if (!got) return;
    const { company, user } = got;
    if (!user)
      throw new LedgerlineError('NOT_SET_UP', `${company.name} has no Web Connector user yet.`, {
        status: 409,
        fix: 'Open the Web Connector page and click Set up.',
      });
    let xml: string;
    try {
      xml = qwcFile({
        appUrl: `${deps.publicUrl}${QBWC_PATH}`,
        supportUrl: `${deps.publicUrl}${WEB_CONNECTOR_PAGE}?companyId=${encodeURIComponent(company.id)}`,
        companyName: company.name,
        user,
      });
    } catch (err) {
      if (err instanceof QwcError) throw new LedgerlineError('QWC_URL', err.message, { status: 409 });
      throw err;
    }
    const file = `Ledgerline-${company.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}.qwc`;
    res
      .set({ 'Content-Disposition': `attachment; filename="${file}"`, 'Cache-Control': 'no-store' })
      .type('application/xml')
      .send(xml);
  });

  router.use((err: unknown, req: Request, res: Response, next: (e: unknown) => void) => {
    if (res.headersSent) return next(err);
    const known = err instanceof LedgerlineError ? err : null;
    if (!known) deps.logger.error({ err: scrubSecrets(errorMessage(err)) }, 'Web Connector page failed');
    const status = known?.status ?? 500;
    const message = known ? known.message : 'The Web Connector page failed. The error was logged.';
    if (bearerWanted(req)) {
      res.status(status).json({ error: { code: known?.code ?? 'INTERNAL', message, ...(known?.fix ? { fix: known.fix } : {}) } });
      return;
    }
    page(res, status, renderMessagePage(chrome, { tone: 'error', title: 'Web Connector', message, fix: known?.fix }));
  });
  return router;
}

function bearerWanted(req: Request): boolean {
  return /^Bearer\s/i.test(req.get('authorization') ?? '') || (req.get('accept') ?? '').includes('application/json');
}

function renderPage(
  chrome: PageChrome,
  m: {
    company: { id: string; name: string };
    user: { username: string; runEveryMinutes: number; updatedAt: Date } | null;
    csrf: string;
    password: string | null;
    stats: TransportStats;
    error: { at: Date; message: string } | null;
  },
): string {
  const id = escapeHtml(m.company.id);
  const qwc = `${WEB_CONNECTOR_PAGE}/qwc?companyId=${encodeURIComponent(m.company.id)}`;
  const waiting = m.stats.requests + (m.stats.handedOut ? 1 : 0);
  const rows = m.user
    ? `<dl class="slds-dl_horizontal">
  <dt class="slds-dl_horizontal__label">User name</dt><dd class="slds-dl_horizontal__detail" data-username>${escapeHtml(m.user.username)}</dd>
  <dt class="slds-dl_horizontal__label">Runs every</dt><dd class="slds-dl_horizontal__detail">${m.user.runEveryMinutes} minutes</dd>
  <dt class="slds-dl_horizontal__label">Last contact</dt><dd class="slds-dl_horizontal__detail" data-last-contact>${escapeHtml(formatWhen(m.stats.lastContactAt))}</dd>
  <dt class="slds-dl_horizontal__label">Waiting for QuickBooks</dt><dd class="slds-dl_horizontal__detail" data-waiting>${waiting} request${waiting === 1 ? '' : 's'}</dd>
</dl>`
    : '<p>This Company has no Web Connector user yet. Set one up, then add the .qwc file to the QuickBooks Web Connector on the PC where QuickBooks runs.</p>';
  const password = m.password
    ? `<div class="slds-notify slds-notify_alert slds-theme_success" role="status" data-password><h2><strong>Password:</strong> <code class="ll-mono">${escapeHtml(m.password)}</code> — enter it in the Web Connector when it asks. It is shown only now.</h2></div>`
    : '';
  const error = m.error
    ? `<div class="slds-notify slds-notify_alert slds-theme_warning" role="status"><h2>The Web Connector could not reach QuickBooks (${escapeHtml(formatWhen(m.error.at))}): ${escapeHtml(m.error.message)}</h2></div>`
    : '';
  const body = `${pageHeader(chrome.title, `${escapeHtml(m.company.name)} — ${escapeHtml(chrome.subtitle)}`, undefined, undefined, 'll-icon-lock')}
${password}${error}
<article class="slds-card ll-narrow">
  <div class="slds-card__header slds-grid"><h2 class="slds-card__header-title">Web Connector user</h2></div>
  <div class="slds-card__body slds-card__body_inner">
    ${rows}
    <form method="post" action="${WEB_CONNECTOR_PAGE}/setup" class="slds-m-top_medium">
      <input type="hidden" name="companyId" value="${id}"><input type="hidden" name="csrf" value="${escapeHtml(m.csrf)}">
      <label class="slds-form-element__label" for="runEveryMinutes">Run every (minutes)</label>
      <input class="slds-input" type="number" min="1" max="1440" id="runEveryMinutes" name="runEveryMinutes" value="${m.user?.runEveryMinutes ?? DEFAULT_RUN_EVERY_MINUTES}">
      <button class="slds-button slds-button_brand slds-m-top_small" type="submit">${m.user ? 'New password' : 'Set up'}</button>
    </form>
    ${m.user ? `<p class="slds-m-top_medium"><a class="slds-button slds-button_neutral" href="${escapeHtml(qwc)}" download>Download .qwc file</a></p>` : ''}
  </div>
</article>`;
  return layout(chrome, chrome.title, body);
}
