// A reconciliation's differences as CSV (RFC 4180: every field quoted, quotes doubled, CRLF), for a spreadsheet.
import type { Difference } from './model';

const HEADER = [
  'Difference',
  'Sales Invoice',
  'Salesforce Id',
  'QuickBooks Form',
  'QuickBooks Number',
  'QuickBooks Id',
  'Salesforce Value',
  'QuickBooks Value',
  'Cause',
  'Fix',
];

const field = (v: string | null | undefined): string => `"${(v ?? '').replace(/"/g, '""')}"`;

export function differencesCsv(differences: Difference[]): string {
  const rows = differences.map((d) => [
    d.kind,
    [d.salesforce?.name, d.otherSalesforce?.name].filter(Boolean).join(' / '),
    [d.salesforce?.id, d.otherSalesforce?.id].filter(Boolean).join(' / '),
    d.quickbooks?.form ?? d.otherQuickbooks?.form ?? '',
    [d.quickbooks?.docNumber, d.otherQuickbooks?.docNumber].filter(Boolean).join(' / '),
    [d.quickbooks?.id, d.otherQuickbooks?.id].filter(Boolean).join(' / '),
    d.salesforceValue,
    d.quickbooksValue,
    d.cause,
    d.fix,
  ]);
  return [HEADER, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
