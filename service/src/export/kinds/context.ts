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
  now: () => Date;
  vendorClashSuffix: string;
}
