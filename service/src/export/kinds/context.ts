// What the kinds of one run share: the company, the target, its settings, and the ids records got in this run.
import type { CompanyModel } from '../model';
import type { AccountingTarget, TargetSettings } from '../target';

export const PLANNED = 'planned';

export interface RunContext {
  company: CompanyModel;
  target: AccountingTarget;
  settings: TargetSettings;
  dryRun: boolean;
  /** Source customer id -> target id (or PLANNED in a dry run), for customers linked in this run. */
  customers: Map<string, string>;
  /** Source product id -> target item id (or PLANNED). */
  items: Map<string, string>;
  /** Source invoice id -> the invoice in the target, for invoices linked in this run (payments go on them). */
  invoices: Map<string, { targetId: string; totalCents: number | null; customerId: string | null }>;
  /** Payments that went as part of a sales receipt (nothing more to send for them). */
  receiptPayments: Set<string>;
  now: () => Date;
  vendorClashSuffix: string;
}
