// What QuickBooks holds of each Company's documents and payments, as the status syncs saw it, and whether Salesforce
// has it yet ('owed' until it does). A record is saved before Salesforce is written, so a sync that stops half-way
// (Salesforce down, the process killed) leaves it owed for the next one — and QuickBooks is not read again for it.
import { fromJson, toDate } from './rows';
import type { Queryable, SyncedDocument, SyncedPayment, SyncedPaymentLink, SyncedRecordsRepository } from './types';

interface DocumentRow {
  qbo_id: string;
  kind: SyncedDocument['kind'];
  number: string | null;
  txn_date: string | null;
  customer_id: string | null;
  total: string | number | null;
  balance: string | number | null;
  voided: boolean;
  deleted: boolean;
  source_id: string | null;
  salesforce_id: string | null;
  state: SyncedDocument['state'];
  qbo_updated_at: Date;
}

interface PaymentRow {
  qbo_id: string;
  total: string | number | null;
  txn_date: string | null;
  reference: string | null;
  customer_id: string | null;
  deleted: boolean;
  source_id: string | null;
  origin: SyncedPayment['origin'];
  state: SyncedPayment['state'];
  qbo_updated_at: Date;
  links: unknown;
}

const DOCUMENT_COLUMNS = 'qbo_id, kind, number, txn_date, customer_id, total, balance, voided, deleted, source_id, salesforce_id, state, qbo_updated_at';
const PAYMENT_COLUMNS = `p.qbo_id, p.total, p.txn_date, p.reference, p.customer_id, p.deleted, p.source_id, p.origin, p.state, p.qbo_updated_at,
  COALESCE((SELECT json_agg(json_build_object('documentId', l.document_id, 'kind', l.kind, 'amount', l.amount) ORDER BY l.document_id)
              FROM synced_payment_links l WHERE l.company_id = p.company_id AND l.payment_id = p.qbo_id), '[]'::json) AS links`;

const money = (v: string | number | null): number | null => (v === null ? null : Number(v));

function mapDocument(r: DocumentRow): SyncedDocument {
  return {
    qboId: r.qbo_id,
    kind: r.kind,
    number: r.number,
    txnDate: r.txn_date,
    customerId: r.customer_id,
    total: money(r.total),
    balance: money(r.balance),
    voided: r.voided,
    deleted: r.deleted,
    sourceId: r.source_id,
    salesforceId: r.salesforce_id,
    state: r.state,
    qboUpdatedAt: toDate(r.qbo_updated_at),
  };
}

function mapPayment(r: PaymentRow): SyncedPayment {
  return {
    qboId: r.qbo_id,
    total: money(r.total),
    txnDate: r.txn_date,
    reference: r.reference,
    customerId: r.customer_id,
    deleted: r.deleted,
    sourceId: r.source_id,
    origin: r.origin,
    state: r.state,
    qboUpdatedAt: toDate(r.qbo_updated_at),
    links: fromJson<{ documentId: string; kind: SyncedPaymentLink['kind']; amount: number | string }[]>(r.links).map((l) => ({
      ...l,
      amount: Number(l.amount),
    })),
  };
}

/** The last version of each record in a batch (ON CONFLICT cannot touch one row twice in a statement). */
function lastOf<T extends { qboId: string; qboUpdatedAt: Date }>(records: T[]): T[] {
  const byId = new Map<string, T>();
  for (const r of records) {
    const seen = byId.get(r.qboId);
    if (!seen || seen.qboUpdatedAt.getTime() <= r.qboUpdatedAt.getTime()) byId.set(r.qboId, r);
  }
  return [...byId.values()];
}

/**
 * Records Salesforce's answer on records saved before: their state, and a column kept unless the mark sets it. A record
 * saved again in a newer version since the mark was decided keeps its (owed) state.
 */
async function mark(
  db: Queryable,
  now: () => Date,
  table: 'synced_documents' | 'synced_payments',
  kept: 'salesforce_id' | 'origin',
  companyId: string,
  marks: { qboId: string; qboUpdatedAt: Date; state: string; extra: string | null }[],
): Promise<void> {
  if (marks.length === 0) return;
  await db.query(
    `UPDATE ${table} r SET state = m.state, ${kept} = COALESCE(m.extra, r.${kept}),
            written_at = CASE WHEN m.state = 'written' THEN $3::timestamptz ELSE r.written_at END
       FROM jsonb_to_recordset($2::text::jsonb) AS m(qbo_id text, qbo_updated_at timestamptz, state text, extra text)
      WHERE r.company_id = $1 AND r.qbo_id = m.qbo_id AND r.qbo_updated_at <= m.qbo_updated_at`,
    [companyId, JSON.stringify(marks.map((m) => ({ qbo_id: m.qboId, qbo_updated_at: m.qboUpdatedAt.toISOString(), state: m.state, extra: m.extra }))), now()],
  );
}

export function createSyncedRecordsRepository(db: Queryable, now: () => Date): SyncedRecordsRepository {
  return {
    async saveDocuments(companyId, documents) {
      if (documents.length === 0) return 0;
      const rows = lastOf(documents).map((d) => ({
        qbo_id: d.qboId,
        kind: d.kind,
        number: d.number,
        txn_date: d.txnDate,
        customer_id: d.customerId,
        total: d.total,
        balance: d.balance,
        voided: d.voided,
        deleted: d.deleted,
        source_id: d.sourceId,
        qbo_updated_at: d.qboUpdatedAt.toISOString(),
      }));
      // Owed again only when what Salesforce shows would change; an older version than the one kept is ignored.
      const changed = await db.query<{ qbo_id: string; state: string }>(
        `INSERT INTO synced_documents (company_id, qbo_id, kind, number, txn_date, customer_id, total, balance, voided, deleted, source_id, state, qbo_updated_at, synced_at)
         SELECT $1, r.qbo_id, r.kind, r.number, r.txn_date, r.customer_id, r.total, r.balance, r.voided, r.deleted, r.source_id, 'owed', r.qbo_updated_at, $3::timestamptz
           FROM jsonb_to_recordset($2::text::jsonb) AS r(qbo_id text, kind text, number text, txn_date text, customer_id text, total numeric,
                balance numeric, voided boolean, deleted boolean, source_id text, qbo_updated_at timestamptz)
         ON CONFLICT (company_id, qbo_id) DO UPDATE SET
           kind = EXCLUDED.kind, number = EXCLUDED.number, txn_date = EXCLUDED.txn_date, customer_id = EXCLUDED.customer_id,
           total = EXCLUDED.total, balance = EXCLUDED.balance, voided = EXCLUDED.voided, deleted = EXCLUDED.deleted,
           source_id = COALESCE(EXCLUDED.source_id, synced_documents.source_id),
           state = CASE WHEN (synced_documents.total, synced_documents.balance, synced_documents.voided, synced_documents.deleted)
                             IS DISTINCT FROM (EXCLUDED.total, EXCLUDED.balance, EXCLUDED.voided, EXCLUDED.deleted)
                        THEN 'owed' ELSE synced_documents.state END,
           qbo_updated_at = EXCLUDED.qbo_updated_at, synced_at = EXCLUDED.synced_at
         WHERE synced_documents.qbo_updated_at <= EXCLUDED.qbo_updated_at
         RETURNING qbo_id, state`,
        [companyId, JSON.stringify(rows), now()],
      );
      return changed.filter((r) => r.state === 'owed').length;
    },

    async savePayments(companyId, payments) {
      if (payments.length === 0) return 0;
      const latest = lastOf(payments);
      const rows = latest.map((p) => ({
        qbo_id: p.qboId,
        total: p.total,
        txn_date: p.txnDate,
        reference: p.reference,
        customer_id: p.customerId,
        deleted: p.deleted,
        source_id: p.sourceId,
        qbo_updated_at: p.qboUpdatedAt.toISOString(),
        links: p.deleted ? [] : p.links.map((l) => ({ document_id: l.documentId, kind: l.kind, amount: l.amount })),
      }));
      const saved = await db.query<{ qbo_id: string; state: string }>(
        `INSERT INTO synced_payments (company_id, qbo_id, total, txn_date, reference, customer_id, deleted, source_id, state, qbo_updated_at, synced_at)
         SELECT $1, r.qbo_id, r.total, r.txn_date, r.reference, r.customer_id, r.deleted, r.source_id, 'owed', r.qbo_updated_at, $3::timestamptz
           FROM jsonb_to_recordset($2::text::jsonb) AS r(qbo_id text, total numeric, txn_date text, reference text, customer_id text,
                deleted boolean, source_id text, qbo_updated_at timestamptz)
         ON CONFLICT (company_id, qbo_id) DO UPDATE SET
           total = EXCLUDED.total, txn_date = EXCLUDED.txn_date, reference = EXCLUDED.reference, customer_id = EXCLUDED.customer_id,
           deleted = EXCLUDED.deleted, source_id = COALESCE(EXCLUDED.source_id, synced_payments.source_id), state = 'owed',
           qbo_updated_at = EXCLUDED.qbo_updated_at, synced_at = EXCLUDED.synced_at
         WHERE synced_payments.qbo_updated_at <= EXCLUDED.qbo_updated_at
         RETURNING qbo_id, state`,
        [companyId, JSON.stringify(rows), now()],
      );
      // The applications of the payments just saved are replaced by what QuickBooks holds now.
      const savedIds = new Set(saved.map((r) => r.qbo_id));
      const links = rows.filter((r) => savedIds.has(r.qbo_id));
      if (links.length) {
        await db.query(`DELETE FROM synced_payment_links WHERE company_id = $1 AND payment_id = ANY($2::text[])`, [companyId, links.map((r) => r.qbo_id)]);
        const flat = links.flatMap((r) => r.links.map((l) => ({ payment_id: r.qbo_id, ...l })));
        if (flat.length) {
          await db.query(
            `INSERT INTO synced_payment_links (company_id, payment_id, document_id, kind, amount)
             SELECT $1, r.payment_id, r.document_id, r.kind, sum(r.amount)
               FROM jsonb_to_recordset($2::text::jsonb) AS r(payment_id text, document_id text, kind text, amount numeric)
              GROUP BY r.payment_id, r.document_id, r.kind`,
            [companyId, JSON.stringify(flat)],
          );
        }
      }
      return saved.length;
    },

    async owedDocuments(companyId, limit, afterId = '') {
      const rows = await db.query<DocumentRow>(
        `SELECT ${DOCUMENT_COLUMNS} FROM synced_documents WHERE company_id = $1 AND state = 'owed' AND qbo_id > $3 ORDER BY qbo_id LIMIT $2`,
        [companyId, limit, afterId],
      );
      return rows.map(mapDocument);
    },

    async owedPayments(companyId, limit, afterId = '') {
      const rows = await db.query<PaymentRow>(
        `SELECT ${PAYMENT_COLUMNS} FROM synced_payments p WHERE p.company_id = $1 AND p.state = 'owed' AND p.qbo_id > $3 ORDER BY p.qbo_id LIMIT $2`,
        [companyId, limit, afterId],
      );
      return rows.map(mapPayment);
    },

    async documents(companyId, qboIds) {
      const found = new Map<string, SyncedDocument>();
      if (qboIds.length === 0) return found;
      const rows = await db.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM synced_documents WHERE company_id = $1 AND qbo_id = ANY($2::text[])`, [
        companyId,
        [...new Set(qboIds)],
      ]);
      for (const row of rows) found.set(row.qbo_id, mapDocument(row));
      return found;
    },

    async paymentsOf(companyId, documentIds) {
      const found = new Map<string, { payment: SyncedPayment; amount: number }[]>();
      if (documentIds.length === 0) return found;
      const rows = await db.query<PaymentRow & { document_id: string; amount: string | number }>(
        `SELECT l.document_id, l.amount, ${PAYMENT_COLUMNS}
           FROM synced_payment_links l JOIN synced_payments p ON p.company_id = l.company_id AND p.qbo_id = l.payment_id
          WHERE l.company_id = $1 AND l.document_id = ANY($2::text[]) AND NOT p.deleted
          ORDER BY p.txn_date, p.qbo_id`,
        [companyId, [...new Set(documentIds)]],
      );
      for (const row of rows) {
        const list = found.get(row.document_id) ?? [];
        list.push({ payment: mapPayment(row), amount: Number(row.amount) });
        found.set(row.document_id, list);
      }
      return found;
    },

    markDocuments(companyId, marks) {
      return mark(
        db,
        now,
        'synced_documents',
        'salesforce_id',
        companyId,
        marks.map((m) => ({ ...m, extra: m.salesforceId })),
      );
    },

    markPayments(companyId, marks) {
      return mark(
        db,
        now,
        'synced_payments',
        'origin',
        companyId,
        marks.map((m) => ({ ...m, extra: m.origin })),
      );
    },

    async reopenDocuments(companyId, qboIds) {
      if (qboIds.length === 0) return;
      await db.query(`UPDATE synced_documents SET state = 'owed' WHERE company_id = $1 AND qbo_id = ANY($2::text[]) AND state = 'written'`, [
        companyId,
        [...new Set(qboIds)],
      ]);
    },

    async owedCount(companyId) {
      const rows = await db.query<{ n: number }>(
        `SELECT ((SELECT count(*) FROM synced_documents WHERE company_id = $1 AND state = 'owed')
               + (SELECT count(*) FROM synced_payments WHERE company_id = $1 AND state = 'owed'))::int AS n`,
        [companyId],
      );
      return Number(rows[0]?.n ?? 0);
    },
  };
}
