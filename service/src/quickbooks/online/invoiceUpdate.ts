// An exported invoice brought in line with Salesforce: a sparse update of what an export sends (customer, dates,
// lines, tax) at the SyncToken the caller names, and the invoice's standing (SyncToken, total, balance) read by Id.
import { createHash } from 'node:crypto';
import type { InvoiceDoc, InvoiceStanding, InvoiceUpdateResult, TargetFault } from '../../export/target';
import { readAnswer, StandingRow } from './answers';
import { qboQuote, type QboClient } from './client';
import { invoiceBody } from './mapping';

/** The fields of an invoice an update replaces; the rest (number, notes, marker) stays as QuickBooks holds it. */
const UPDATED = ['CustomerRef', 'Line', 'TxnDate', 'DueDate', 'TxnTaxDetail'] as const;

export function updateBody(id: string, syncToken: string, doc: InvoiceDoc): Record<string, unknown> {
  const full = invoiceBody(doc);
  const body: Record<string, unknown> = { Id: id, SyncToken: syncToken, sparse: true };
  for (const field of UPDATED) if (full[field] !== undefined) body[field] = full[field];
  return body;
}

export async function updateInvoice(
  client: QboClient,
  classify: (fault: unknown) => TargetFault,
  id: string,
  syncToken: string,
  doc: InvoiceDoc,
  context: { runId: string },
): Promise<InvoiceUpdateResult> {
  // One requestid per version: a resend of the same update is answered once, a retry at a new SyncToken is new.
  const requestId = `u-${createHash('sha256').update(`${context.runId}:${id}:${syncToken}`).digest('base64url').slice(0, 40)}`;
  const [answer] = await client.batch([{ bId: '0', operation: 'update', entity: 'Invoice', body: updateBody(id, syncToken, doc) }], requestId);
  if (!answer) return { ok: false, fault: { class: 'transient', message: 'QuickBooks returned no answer for the update' } };
  if (!answer.ok) return { ok: false, fault: classify(answer.fault) };
  if (!('entity' in answer) || !answer.entity)
    return { ok: false, fault: { class: 'transient', message: 'QuickBooks answered the update without the invoice' } };
  return { ok: true, standing: toStanding(answer.entity) };
}

/** The invoice's SyncToken, total and balance (one query: reads are metered). */
export async function invoiceStanding(client: QboClient, id: string): Promise<InvoiceStanding | null> {
  let found: InvoiceStanding | null = null;
  await client.queryAll('Invoice', `Id IN (${qboQuote(id)})`, (rows) => {
    if (rows[0]) found = toStanding(rows[0]);
  });
  return found;
}

function toStanding(row: unknown): InvoiceStanding {
  const r = readAnswer(StandingRow, row, 'an Invoice');
  return { version: r.SyncToken, total: r.TotalAmt, balance: r.Balance };
}
