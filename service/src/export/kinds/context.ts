// What the kinds of one run share: the company, the target, its settings, and the ids records got in this run.
import type { CompanyModel } from '../model';
import type { ResolvedMapping } from '../plan/fieldMappings';
import type { CustomerBook, RateBook, TargetLookups } from '../runLookups';
import type { AccountingTarget, TargetSettings } from '../target';

export const PLANNED = 'planned';

/** The id a dry run gives an invoice it would create, one per invoice: its payments are planned on it. */
export const plannedInvoiceId = (sourceId: string): string => `${PLANNED}:${sourceId}`;

export const isPlanned = (targetId: string): boolean => targetId === PLANNED || targetId.startsWith(`${PLANNED}:`);

export interface RunContext {
  company: CompanyModel;
  target: AccountingTarget;
  settings: TargetSettings;
  dryRun: boolean;
  /** Source customer id -> target id (or PLANNED in a dry run), for customers linked in this run. */
  customers: Map<string, string>;
  /** Source product id -> target item id (or PLANNED). */
  items: Map<string, string>;
  /**
   * Source invoice id -> the invoice in the target, for invoices linked in this run that the payments phase looks up
   * (those with payments when read, credit memos, those linked from the journal): not every invoice of a large run.
   * A dry run keeps every invoice it would create too (plannedInvoiceId), so their payments plan as the real run
   * sends them.
   */
  invoices: Map<string, { targetId: string; totalCents: number | null; customerId: string | null }>;
  /**
   * Source invoice id -> target id of the invoices this run linked, from the journal (a real run): what the payments
   * phase looks up when the run does not keep the invoice and the source may not hold its id yet.
   */
  linkedInvoices?: (sourceIds: string[]) => Promise<Map<string, string>>;
  /** Payments that went as part of a sales receipt (nothing more to send for them). */
  receiptPayments: Set<string>;
  now: () => Date;
  vendorClashSuffix: string;
  runId: string;
  /** Admin field mappings in force for this run (checked when it started). */
  mappings: ResolvedMapping[];
  /** The target's customers with their currencies. */
  customerBook: CustomerBook;
  /** The source's dated exchange rates. */
  rates: RateBook;
  lookups: TargetLookups;
  /** Customer id -> its first invoice's currency (for customers without one). */
  firstInvoiceCurrencies?: (customerIds: string[]) => Promise<Map<string, string>>;
}
