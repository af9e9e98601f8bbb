// What a create whose outcome is unknown (a time-out, a 5xx, a dropped connection, an answer without the record) may
// have saved in QuickBooks, looked for before anything is sent again: `requestid` alone does not keep QuickBooks from
// saving a record twice (intuit/QuickBooks-V3-DotNET-SDK issue 352). One query per entity for a whole batch —
// customers and items by name, invoices and payments by the marker in their private note, the rows narrowed by
// DocNumber or payment reference (by creation time where a record has none). Reads are metered: this runs only
// after an unsure outcome.
import { readMarker } from '../../export/marker';
import type { CreatableKind, CreatedRecord, CustomerDoc, DocByKind, InvoiceDoc, ItemDoc, PaymentDoc } from '../../export/target';
import { MarkedRow, readAnswer } from './answers';
import { qboQuote, type QboClient } from './client';
import { FORM_ENTITY, toCreated } from './mapping';

/** QuickBooks' clock and ours may differ: a creation-time window starts this long before the first send. */
export const CLOCK_MARGIN_MS = 15 * 60_000;

/** For each document, the record QuickBooks already holds for it (null: none). */
export async function findSaved<K extends CreatableKind>(
  client: QboClient,
  kind: K,
  docs: DocByKind[K][],
  firstSentAt: Date,
): Promise<(CreatedRecord | null)[]> {
  if (kind === 'customer' || kind === 'product') return byName(client, kind, docs as (CustomerDoc | ItemDoc)[]);
  const found: (CreatedRecord | null)[] = docs.map(() => null);
  const groups = new Map<string, number[]>();
  docs.forEach((doc, i) => {
    const entity = kind === 'payment' ? 'Payment' : FORM_ENTITY[(doc as InvoiceDoc).form];
    groups.set(entity, [...(groups.get(entity) ?? []), i]);
  });
  for (const [entity, which] of groups) {
    const wanted = new Map(which.map((i) => [(docs[i] as InvoiceDoc | PaymentDoc).sourceId, i]));
    const keys = which.map((i) => keyOf(docs[i] as InvoiceDoc | PaymentDoc));
    const where = keys.every((k): k is string => !!k)
      ? `${entity === 'Payment' ? 'PaymentRefNum' : 'DocNumber'} IN (${[...new Set(keys)].map(qboQuote).join(', ')})`
      : `MetaData.CreateTime >= '${new Date(firstSentAt.getTime() - CLOCK_MARGIN_MS).toISOString()}'`;
    await client.queryAll(entity, where, (rows) => {
      for (const row of rows) {
        const i = wanted.get(readMarker(readAnswer(MarkedRow, row, `a ${entity}`).PrivateNote) ?? '');
        if (i === undefined) continue;
        const doc = docs[i] as InvoiceDoc | PaymentDoc;
        found[i] = { ...toCreated(row), ...('form' in doc ? { form: doc.form } : {}) };
      }
    });
  }
  return found;
}

function keyOf(doc: InvoiceDoc | PaymentDoc): string | null {
  return ('form' in doc ? doc.docNumber : doc.reference) || null;
}

async function byName(client: QboClient, kind: 'customer' | 'product', docs: (CustomerDoc | ItemDoc)[]): Promise<(CreatedRecord | null)[]> {
  const names = docs.map((d) => ('displayName' in d ? d.displayName : d.name));
  const held = new Map<string, CreatedRecord>();
  const [entity, field] = kind === 'customer' ? ['Customer', 'DisplayName'] : ['Item', 'Name'];
  await client.queryAll(entity, `${field} IN (${[...new Set(names)].map(qboQuote).join(', ')})`, (rows) => {
    for (const row of rows) {
      const record = toCreated(row);
      // QuickBooks keeps names unique whatever their case.
      if (record.name) held.set(record.name.toLowerCase(), record);
    }
  });
  return names.map((n) => held.get(n.toLowerCase()) ?? null);
}
