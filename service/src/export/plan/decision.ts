// The plan as data: one decision per source record. A dry run returns it whole; a real run carries it out.
import type { RecordKind } from '../model';
import { recordType, type RecordType, type RenameReason } from '../entries';

export type PlanAction = 'match' | 'create' | 'fail' | 'skip';

export interface PlanDecision {
  recordType: RecordType;
  recordId: string;
  recordName: string;
  action: PlanAction;
  /** For a match: by what (email, display name, SKU, an earlier export, …). */
  matchedBy?: string;
  quickBooksId?: string;
  /** The name the record has, or will have, in the accounting system. */
  quickBooksName?: string;
  renamed?: { from: string; to: string; reason: string };
  /** What was changed to fit the accounting system, one phrase per field. */
  shortened?: string[];
  warnings?: string[];
  /** For fail / skip: why, and what to do. */
  message?: string;
  fix?: string;
}

export interface KindTotals {
  match: number;
  create: number;
  rename: number;
  fail: number;
}

export type PlanTotals = Record<'customers' | 'products' | 'invoices' | 'payments', KindTotals>;

export interface PlanView {
  totals: PlanTotals;
  decisions: PlanDecision[];
  /** More decisions were made than a plan keeps (the totals still count them all). */
  truncated: boolean;
  /** The admin field mappings the run applies. */
  fieldMappings?: { name: string; salesforceField: string; quickBooksField: string }[];
}

const TOTALS_KEY: Partial<Record<RecordKind, keyof PlanTotals>> = { customer: 'customers', product: 'products', invoice: 'invoices', payment: 'payments' };

export const RENAME_REASON: Record<RenameReason, string> = {
  reserved: 'a QuickBooks vendor, employee or customer already uses the name',
  emailDiffers: 'a QuickBooks customer of that name has another email',
};

/** Collects decisions and their totals. Real runs keep only the totals (memory stays flat on large exports). */
export class PlanBook {
  readonly totals: PlanTotals = {
    customers: { match: 0, create: 0, rename: 0, fail: 0 },
    products: { match: 0, create: 0, rename: 0, fail: 0 },
    invoices: { match: 0, create: 0, rename: 0, fail: 0 },
    payments: { match: 0, create: 0, rename: 0, fail: 0 },
  };
  private readonly decisions: PlanDecision[] = [];
  private truncated = false;
  private fieldMappings?: PlanView['fieldMappings'];

  constructor(private readonly keep: number) {}

  add(kind: RecordKind, decision: Omit<PlanDecision, 'recordType'>): void {
    const key = TOTALS_KEY[kind];
    if (key) {
      const t = this.totals[key];
      if (decision.action === 'match') t.match++;
      else if (decision.action === 'create') t.create++;
      else t.fail++;
      if (decision.renamed) t.rename++;
    }
    if (this.decisions.length < this.keep) this.decisions.push({ recordType: recordType(kind), ...decision });
    else if (this.keep > 0) this.truncated = true;
  }

  setMappings(mappings: NonNullable<PlanView['fieldMappings']>): void {
    this.fieldMappings = mappings;
  }

  view(): PlanView {
    return { totals: this.totals, decisions: this.decisions, truncated: this.truncated, ...(this.fieldMappings ? { fieldMappings: this.fieldMappings } : {}) };
  }
}
