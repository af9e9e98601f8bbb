// Alerts reach a company's Ledgerline admins (users whose Ledgerline Company is it and Ledgerline Admin is checked) in
// Salesforce: the Ledgerline Alert custom notification (customNotificationAction) and an email (emailSimple).
import { z } from 'zod';
import type { Alert } from '../alerts/decide';
import type { AlertChannel, WatchedCompany } from '../alerts/service';
import { soqlQuote, type ActionResult, type SalesforceRepository } from './repository';

/** The CustomNotificationType the package deploys (force-app/main/default/notificationtypes). */
export const ALERT_NOTIFICATION_TYPE = 'Ledgerline_Alert';
/** Recipients one email may have. */
const MAX_EMAIL_RECIPIENTS = 150;

const Admin = z.object({ Id: z.string(), Email: z.string().nullable() });
const CompanyRow = z.object({
  Id: z.string(),
  Name: z.string(),
  Accounting_System__c: z.string().nullable(),
  Authorization_Warning_Days__c: z.number().nullable(),
});

export class SalesforceAlertChannel implements AlertChannel {
  private typeId: string | null = null;

  constructor(private readonly repo: SalesforceRepository) {}

  async send(alert: Alert): Promise<number> {
    const admins = await this.repo.select(
      `SELECT Id, Email FROM User WHERE Ledgerline_Company__c = ${soqlQuote(alert.companyId)} AND Ledgerline_Admin__c = true AND IsActive = true ORDER BY Id`,
      Admin,
    );
    if (!admins.length) return 0;
    const title = alert.title.slice(0, 250);
    const notified = await this.repo.invokeAction('customNotificationAction', [
      {
        customNotifTypeId: await this.notificationType(),
        recipientIds: admins.map((a) => a.Id),
        title,
        body: alert.body.slice(0, 750),
        targetId: alert.targetId,
      },
    ]);
    refusedBy('custom notification', notified);
    const emails = admins.flatMap((a) => (a.Email ? [a.Email] : [])).slice(0, MAX_EMAIL_RECIPIENTS);
    if (emails.length) {
      refusedBy(
        'email',
        await this.repo.invokeAction('emailSimple', [
          { emailAddressesArray: emails, emailSubject: title, emailBody: alert.body, senderType: 'DefaultWorkflowUser' },
        ]),
      );
    }
    return admins.length;
  }

  /** The companies the alerts watch, with each one's warning window. */
  async companies(): Promise<WatchedCompany[]> {
    const rows = await this.repo.select('SELECT Id, Name, Accounting_System__c, Authorization_Warning_Days__c FROM Company__c ORDER BY Name', CompanyRow);
    return rows.map((r) => ({ id: r.Id, name: r.Name, accountingSystem: r.Accounting_System__c ?? 'Online', warningDays: r.Authorization_Warning_Days__c }));
  }

  private async notificationType(): Promise<string> {
    if (this.typeId) return this.typeId;
    const rows = await this.repo.select(
      `SELECT Id FROM CustomNotificationType WHERE DeveloperName = ${soqlQuote(ALERT_NOTIFICATION_TYPE)}`,
      z.object({ Id: z.string() }),
    );
    if (!rows[0])
      throw new Error(`The org has no ${ALERT_NOTIFICATION_TYPE} notification type: deploy force-app (notificationtypes) to send Ledgerline's alerts.`);
    this.typeId = rows[0].Id;
    return this.typeId;
  }
}

function refusedBy(what: string, results: ActionResult[]): void {
  const failed = results.find((r) => !r.isSuccess);
  if (failed)
    throw new Error(
      `Salesforce did not send the ${what}: ${(failed.errors ?? []).map((e) => `${e.statusCode}: ${e.message}`).join('; ') || 'no reason given'}`,
    );
}
