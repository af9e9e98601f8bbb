// Pure: why each invoice number an export was asked for, and did not read, was left out.
import { requestedNotExported, type LogEntry, type NotSelectedReason } from './entries';
import type { CompanyModel, ExportOptions, RequestedInvoiceState } from './model';

export function requestedEntries(
  missing: string[],
  found: (RequestedInvoiceState & { id: string })[],
  company: CompanyModel,
  options: Pick<ExportOptions, 'fromDate' | 'toDate'>,
): LogEntry[] {
  const byNumber = new Map<string, (RequestedInvoiceState & { id: string })[]>();
  for (const f of found) byNumber.set(f.number, [...(byNumber.get(f.number) ?? []), f]);
  return missing.map((number) => {
    const candidates = byNumber.get(number) ?? [];
    const own = candidates.find((c) => c.companyId === company.id);
    if (!own) return requestedNotExported(number, candidates.length ? 'otherCompany' : 'unknown', company.name, candidates[0]?.id);
    const reason: NotSelectedReason = !own.approved ? 'notApproved' : own.transferred ? 'transferred' : 'outsideDates';
    return requestedNotExported(number, reason, company.name, own.id, options);
  });
}

/** The dry run's line for an invoice number it was asked for and left out. */
export function requestedDecision(e: LogEntry): { recordId: string; recordName: string; action: 'fail' | 'skip'; message: string; fix?: string } {
  return { recordId: e.recordId ?? '', recordName: e.recordName ?? '', action: e.level === 'ERROR' ? 'fail' : 'skip', message: e.message, fix: e.fix };
}
