// QuickBooks Online's Change Data Capture as the status sync's change feed: `GET /cdc?entities=Invoice,Payment,
// CreditMemo&changedSince=…` — one metered read for up to 1,000 changed records of each entity, their full payload,
// oldest change first, deleted ones after (`status: "Deleted"`). An entity that fills its 1,000 is asked for again from
// its last record's time, so any number of changes costs a handful of reads. Answers are checked with zod (tolerant
// of fields QuickBooks adds) and mapped to the sync's neutral shapes; a voided invoice is one with TotalAmt 0 and
// "Voided" at the start of its private note, as QuickBooks voids.
import { z } from 'zod';
import { readMarker } from '../../export/marker';
import type { ChangedDocument, ChangedPayment, ChangePage } from '../../status/model';
import type { QboClient, QboEntity } from './client';
import { QboId } from './answers';
import { batchItemFault, describeProblem, unreadable } from './errors';

/** What QuickBooks keeps: 30 days of changes, at most 1,000 objects of an entity per answer. */
export const CDC_WINDOW_MS = 30 * 86_400_000;
export const CDC_MAX_OBJECTS = 1000;
const ENTITIES = ['Invoice', 'CreditMemo', 'Payment'] as const;
type Entity = (typeof ENTITIES)[number];

const Ref = z.looseObject({ value: QboId });
const Meta = z.looseObject({ LastUpdatedTime: z.string() });
const Money = z.union([z.number(), z.string()]).transform(Number);

const DeletedRow = z.looseObject({ status: z.literal('Deleted'), Id: QboId, MetaData: Meta });
const SalesFormRow = z.looseObject({
  Id: QboId,
  MetaData: Meta,
  DocNumber: z.string().nullish(),
  TxnDate: z.string().nullish(),
  PrivateNote: z.string().nullish(),
  CustomerRef: Ref.nullish(),
  TotalAmt: Money.nullish(),
  Balance: Money.nullish(),
});
const PaymentRow = z.looseObject({
  Id: QboId,
  MetaData: Meta,
  TxnDate: z.string().nullish(),
  PaymentRefNum: z.string().nullish(),
  PrivateNote: z.string().nullish(),
  CustomerRef: Ref.nullish(),
  TotalAmt: Money.nullish(),
  Line: z
    .array(
      z.looseObject({
        Amount: Money.nullish(),
        LinkedTxn: z.array(z.looseObject({ TxnId: QboId, TxnType: z.string() })).nullish(),
      }),
    )
    .nullish(),
});
const Row = (schema: z.ZodType) => z.union([DeletedRow, schema]);

/** One entity's part of an answer: `{ Invoice: [...], startPosition, maxResults }`, or `{}` when nothing changed. */
const QueryResponse = z.looseObject({
  Invoice: z.array(Row(SalesFormRow)).optional(),
  CreditMemo: z.array(Row(SalesFormRow)).optional(),
  Payment: z.array(Row(PaymentRow)).optional(),
});
export const CdcAnswer = z.object({
  CDCResponse: z.array(z.looseObject({ QueryResponse: z.array(QueryResponse) })).min(1),
  time: z.string(),
});

type SalesForm = z.infer<typeof SalesFormRow>;
type Payment = z.infer<typeof PaymentRow>;
type Deleted = z.infer<typeof DeletedRow>;

const isDeleted = (row: unknown): row is Deleted => (row as { status?: unknown }).status === 'Deleted';
const updated = (row: { MetaData: { LastUpdatedTime: string } }) => new Date(row.MetaData.LastUpdatedTime);

export function toChangedDocument(entity: 'Invoice' | 'CreditMemo', row: SalesForm | Deleted): ChangedDocument {
  const kind = entity === 'Invoice' ? 'invoice' : 'creditMemo';
  const base = { qboId: row.Id, kind, qboUpdatedAt: updated(row) } as const;
  if (isDeleted(row)) {
    return { ...base, number: null, txnDate: null, customerId: null, total: null, balance: null, voided: false, deleted: true, sourceId: null };
  }
  const total = row.TotalAmt ?? null;
  return {
    ...base,
    number: row.DocNumber ?? null,
    txnDate: row.TxnDate ?? null,
    customerId: row.CustomerRef?.value ?? null,
    total,
    balance: row.Balance ?? null,
    voided: total === 0 && /^Voided\b/.test(row.PrivateNote ?? ''),
    deleted: false,
    sourceId: readMarker(row.PrivateNote),
  };
}

export function toChangedPayment(row: Payment | Deleted): ChangedPayment {
  const base = { qboId: row.Id, qboUpdatedAt: updated(row) };
  if (isDeleted(row)) return { ...base, total: null, txnDate: null, reference: null, customerId: null, deleted: true, sourceId: null, links: [] };
  const links = (row.Line ?? []).flatMap((line) =>
    (line.LinkedTxn ?? [])
      .filter((t) => t.TxnType === 'Invoice' || t.TxnType === 'CreditMemo')
      .slice(0, 1)
      .map((t) => ({ documentId: t.TxnId, kind: t.TxnType === 'Invoice' ? ('invoice' as const) : ('creditMemo' as const), amount: line.Amount ?? 0 })),
  );
  return {
    ...base,
    total: row.TotalAmt ?? null,
    txnDate: row.TxnDate ?? null,
    reference: row.PaymentRefNum ?? null,
    customerId: row.CustomerRef?.value ?? null,
    deleted: false,
    sourceId: readMarker(row.PrivateNote),
    links,
  };
}

function pageOf(rows: { entity: Entity; row: unknown }[]): ChangePage {
  const page: ChangePage = { documents: [], payments: [] };
  for (const { entity, row } of rows) {
    if (entity === 'Payment') page.payments.push(toChangedPayment(row as Payment | Deleted));
    else page.documents.push(toChangedDocument(entity, row as SalesForm | Deleted));
  }
  return page;
}

/** A CDC answer checked against its recorded shape (a refusal can come as HTTP 200 with a Fault, as recorded). */
export function parseCdcAnswer(body: unknown): z.infer<typeof CdcAnswer> {
  const fault = (body as { Fault?: unknown } | null)?.Fault;
  if (fault) throw batchItemFault(fault as Parameters<typeof batchItemFault>[0], null);
  const parsed = CdcAnswer.safeParse(body);
  if (!parsed.success) throw unreadable('the changes (Change Data Capture)', describeProblem(parsed.error), null);
  return parsed.data;
}

/**
 * Every change since `since`, an answer at a time. An entity that filled its answer (1,000 objects) is asked for
 * again from its newest change's time (changes of that second come again; saving them is idempotent).
 */
export async function changesSince(client: QboClient, since: Date, onPage: (page: ChangePage) => Promise<void>): Promise<{ upTo: Date }> {
  let from = since;
  for (;;) {
    const answer = parseCdcAnswer(await client.changeDataCapture([...ENTITIES], from));
    const parts = answer.CDCResponse[0]!.QueryResponse;
    const rows: { entity: Entity; row: unknown }[] = [];
    let next: number | null = null;
    for (const part of parts) {
      for (const entity of ENTITIES) {
        const list = (part[entity] ?? []) as { MetaData: { LastUpdatedTime: string } }[];
        for (const row of list) rows.push({ entity, row });
        if (list.length >= CDC_MAX_OBJECTS) {
          const newest = Math.max(...list.map((r) => updated(r).getTime()));
          next = next === null ? newest : Math.min(next, newest);
        }
      }
    }
    await onPage(pageOf(rows));
    if (next === null) return { upTo: new Date(answer.time) };
    // A full second of more than 1,000 changes cannot be paged by time: go on from the next second.
    from = new Date(next > from.getTime() ? next : from.getTime() + 1000);
  }
}

/** Every invoice, credit memo and payment as they stand, 1,000 a query page (when the changes are too old to ask for). */
export async function everything(client: QboClient, onPage: (page: ChangePage) => Promise<void>): Promise<{ upTo: Date }> {
  let upTo: Date | null = null;
  for (const entity of ENTITIES) {
    await client.queryAll(entity, undefined, async (rows: QboEntity[]) => {
      // QuickBooks' clock at the first answer: whatever changes after it comes again with the next sync's changes.
      upTo ??= client.lastAnswerTime ? new Date(client.lastAnswerTime) : null;
      await onPage(pageOf(rows.map((row) => ({ entity, row: parseRow(entity, row) }))));
    });
    upTo ??= client.lastAnswerTime ? new Date(client.lastAnswerTime) : null;
  }
  return { upTo: upTo ?? new Date() };
}

/** QuickBooks refused changedSince as older than it keeps changes ("… older than fixed days is not supported"). */
export function isTooOld(err: unknown): boolean {
  return /older than fixed days/i.test(err instanceof Error ? err.message : String(err));
}

function parseRow(entity: Entity, row: QboEntity): unknown {
  const parsed = (entity === 'Payment' ? PaymentRow : SalesFormRow).safeParse(row);
  if (!parsed.success) throw unreadable(`a ${entity} query`, describeProblem(parsed.error), null);
  return parsed.data;
}
