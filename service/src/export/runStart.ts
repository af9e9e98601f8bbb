// What a run settles before it sends anything: the admin field mappings (checked against the source object and the
// target; one bad mapping stops the run with one entry), and the context the record kinds share.
import * as entry from './entries';
import type { RunContext } from './kinds/context';
import type { CompanyModel } from './model';
import { checkMappings, type ResolvedMapping } from './plan/fieldMappings';
import type { SourcePort } from './ports';
import type { JournalRepository } from '../store/types';
import { CustomerBook, RateBook, TargetLookups } from './runLookups';
import type { AccountingTarget, TargetSettings } from './target';

/** The field mappings cannot be used; `entry` says which and why. */
export class MappingsInvalid extends Error {
  constructor(readonly entry: entry.LogEntry) {
    super(entry.message);
    this.name = 'MappingsInvalid';
  }
}

/** The company's field mappings, checked; throws MappingsInvalid naming every problem. */
export async function checkedMappings(
  source: SourcePort,
  company: CompanyModel,
  target: AccountingTarget,
  settings: TargetSettings,
): Promise<ResolvedMapping[]> {
  const mappings = (await source.fieldMappings?.(company)) ?? [];
  if (!mappings.length) return [];
  const check = checkMappings(mappings, {
    system: target.system,
    fields: target.capabilities?.mappableFields ?? {},
    customFields: settings.customFields ?? [],
  });
  if (!check.ok) throw new MappingsInvalid(entry.mappingsInvalid(company.name, check.problems));
  return check.mappings;
}

export interface RunContextInput {
  runId: string;
  company: CompanyModel;
  target: AccountingTarget;
  settings: TargetSettings;
  dryRun: boolean;
  mappings: ResolvedMapping[];
  source: SourcePort;
  now: () => Date;
  vendorClashSuffix: string;
  /** Where the run journals what it linked (a real run looks up there the invoices it does not keep). */
  journal?: JournalRepository;
}

/** Source ids asked of the journal in one statement at most. */
const LOOKUP_PAGE = 1000;

export function runContext(input: RunContextInput): RunContext {
  const { company, target, settings, source } = input;
  const multi = settings.multiCurrency && target.capabilities?.currencies === true;
  return {
    company,
    target,
    settings,
    dryRun: input.dryRun,
    customers: new Map(),
    items: new Map(),
    invoices: new Map(),
    receiptPayments: new Set(),
    now: input.now,
    vendorClashSuffix: input.vendorClashSuffix,
    runId: input.runId,
    mappings: input.mappings,
    customerBook: new CustomerBook(settings.homeCurrency, multi),
    rates: new RateBook(settings.homeCurrency, multi && source.exchangeRates ? (c) => source.exchangeRates!(c) : undefined),
    lookups: new TargetLookups(target, company.depositAccount),
    firstInvoiceCurrencies: multi && source.firstInvoiceCurrencies ? (ids) => source.firstInvoiceCurrencies!(company, ids) : undefined,
    linkedInvoices: input.journal && !input.dryRun ? linkedIn(input.journal, company.id, input.runId) : undefined,
  };
}

/** Invoices this run linked, as its journal holds them (created, or written back since): source id -> target id. */
function linkedIn(journal: JournalRepository, companyId: string, runId: string): (sourceIds: string[]) => Promise<Map<string, string>> {
  return async (sourceIds) => {
    const linked = new Map<string, string>();
    const ids = [...new Set(sourceIds)];
    for (let i = 0; i < ids.length; i += LOOKUP_PAGE) {
      const rows = await journal.getMany(companyId, 'invoice', ids.slice(i, i + LOOKUP_PAGE));
      for (const [id, row] of rows) {
        // Another run's link is the source's to tell (a user may have cleared it since).
        if (row.runId === runId && row.targetId && (row.state === 'created' || row.state === 'written_back')) linked.set(id, row.targetId);
      }
    }
    return linked;
  };
}

/** The Salesforce fields the mappings read, for the invoice query. */
export function mappedFields(mappings: ResolvedMapping[]): string[] {
  return mappings.map((m) => m.field);
}
