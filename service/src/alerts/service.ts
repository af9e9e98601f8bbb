// Alerts to a company's admins, each event once: claimed in the store (shared by every instance) before it is sent
// through the channel (Salesforce: a custom notification and an email), given back when sending failed so a later
// check sends it. The watch looks at what no run reports by itself: authorizations near their end and Web Connectors
// gone quiet.
import type { Logger } from 'pino';
import { errorMessage } from '../errors';
import type { SentAlertRepository } from '../store/types';
import { authorizationAlert, runAlert, webConnectorAlert, type Alert, type AuthorizationState, type FinishedRun } from './decide';

/** Where alerts reach the admins. */
export interface AlertChannel {
  /** Sends the alert to the company's admins; the number reached (0: the company names no admin). */
  send(alert: Alert): Promise<number>;
}

export interface WatchedCompany {
  id: string;
  name: string;
  accountingSystem: string;
  /** Days left from which the authorization's end is announced (null: the default, 14). */
  warningDays: number | null;
}

export interface AlertDeps {
  sent: SentAlertRepository;
  channel: AlertChannel;
  logger: Logger;
  now: () => Date;
  companies: () => Promise<WatchedCompany[]>;
  /** An Online company's authorization, as the page shows it (null: not connected). */
  authorization: (companyId: string) => Promise<AuthorizationState | null>;
  /** A Desktop company's Web Connector (null: none set up). */
  webConnector: (companyId: string) => Promise<{ lastContactAt: Date | null; runEveryMinutes: number } | null>;
  /**
   * The company's latest real run, finished within the last day (null: none): a run whose end was never announced —
   * its process died, or Salesforce did not take the alert — is announced by the next check.
   */
  latestRun?: (company: WatchedCompany) => Promise<FinishedRun | null>;
}

export class AlertService {
  constructor(private readonly deps: AlertDeps) {}

  /** A run that failed or ended with errors is announced once. */
  async runFinished(run: FinishedRun): Promise<boolean> {
    const alert = runAlert(run);
    return alert ? this.send(alert) : false;
  }

  /** Checks every company for an authorization in its warning window and a silent Web Connector; sends what is new. */
  async watch(): Promise<Alert[]> {
    const sent: Alert[] = [];
    for (const company of await this.deps.companies()) {
      const alert = await this.check(company).catch((err: unknown) => {
        this.deps.logger.warn({ companyId: company.id, err: errorMessage(err) }, 'could not check the company for alerts');
        return null;
      });
      if (alert && (await this.send(alert))) sent.push(alert);
      const run = await this.deps.latestRun?.(company).catch(() => null);
      const missed = run ? runAlert(run) : null;
      if (missed && (await this.send(missed))) sent.push(missed);
    }
    return sent;
  }

  private async check(company: WatchedCompany): Promise<Alert | null> {
    if (company.accountingSystem === 'Desktop') {
      const connector = await this.deps.webConnector(company.id);
      return connector ? webConnectorAlert(company, connector, this.deps.now()) : null;
    }
    const auth = await this.deps.authorization(company.id);
    return auth ? authorizationAlert(company, auth) : null;
  }

  /** Sends the alert unless its event was sent already (here or by another instance). */
  async send(alert: Alert): Promise<boolean> {
    if (!(await this.deps.sent.claim({ eventKey: alert.eventKey, companyId: alert.companyId, kind: alert.kind, title: alert.title }))) return false;
    try {
      const reached = await this.deps.channel.send(alert);
      if (reached === 0) this.deps.logger.warn({ companyId: alert.companyId, kind: alert.kind }, 'alert not sent: the company names no Ledgerline admin');
      else this.deps.logger.info({ companyId: alert.companyId, kind: alert.kind, eventKey: alert.eventKey, reached }, 'alert sent');
      return true;
    } catch (err) {
      this.deps.logger.warn({ companyId: alert.companyId, kind: alert.kind, err: errorMessage(err) }, 'could not send an alert; the next check tries again');
      await this.deps.sent.release(alert.eventKey).catch(() => undefined);
      return false;
    }
  }
}
