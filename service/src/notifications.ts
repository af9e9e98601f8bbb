// Things an admin should hear about when they happen, not only on the next page view: the month's QuickBooks reads
// running low, an authorization QuickBooks ended. Emitted here, logged by the service; a channel to Salesforce (custom
// notifications) subscribes with `on`.
import type { Logger } from 'pino';

export type Notification =
  | {
      type: 'quickbooks.readBudgetLow';
      companyId: string;
      /** 'YYYY-MM', UTC. */
      month: string;
      used: number;
      budget: number;
    }
  | {
      type: 'quickbooks.reauthorizationRequired';
      companyId: string;
      reason: string;
    };

export type NotificationListener = (notification: Notification) => void | Promise<void>;

export class Notifications {
  private readonly listeners: NotificationListener[] = [];

  constructor(private readonly logger?: Logger) {}

  on(listener: NotificationListener): void {
    this.listeners.push(listener);
  }

  /** Logs the notification and hands it to every listener; a listener's failure is logged, never thrown. */
  emit(notification: Notification): void {
    this.logger?.warn({ notification }, `notification: ${notification.type}`);
    for (const listener of this.listeners) {
      Promise.resolve()
        .then(() => listener(notification))
        .catch((err: unknown) =>
          this.logger?.error({ err: err instanceof Error ? err.message : String(err), type: notification.type }, 'a notification listener failed'),
        );
    }
  }
}
