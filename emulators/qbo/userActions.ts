// Admin API: what a person does in the QuickBooks company itself, not through an app — receives a payment against
// an invoice, keys or edits a document, voids or deletes one — through the same rules as the API (so Change Data Capture and webhooks
// see it), and the app's webhook endpoint (where CloudEvents go, and when they are delivered).
import { Router, type Response } from 'express';
import { entityName, writeEntity } from './entities';
import { QboFault } from './faults';
import { isObject, refValue, type WriteContext } from './rules';
import type { QboState, Realm } from './state';

function realmOr404(state: QboState, realmId: string, res: Response): Realm | undefined {
  const realm = state.realm(realmId);
  if (!realm) res.status(404).json({ error: `unknown realm ${realmId}` });
  return realm;
}

function contextOf(state: QboState, realm: Realm): WriteContext {
  return { state, realm, now: state.now(), allowDuplicateDocNum: false };
}

/** Runs a write as QuickBooks would; a refusal answers 400 with QuickBooks' own fault. */
function asUser(res: Response, write: () => unknown): void {
  try {
    res.json(write());
  } catch (e) {
    if (e instanceof QboFault) return void res.status(400).json({ error: e.message, Fault: e.fault() });
    throw e;
  }
}

export function userActionsRouter(state: QboState): Router {
  const router = Router();

  // Receive Payment: `{ invoiceId, amount?, txnDate?, reference? }` — the whole open balance unless an amount is given.
  router.post('/realms/:realmId/payments', (req, res) => {
    const realm = realmOr404(state, req.params.realmId, res);
    if (!realm) return;
    const body = (isObject(req.body) ? req.body : {}) as Record<string, unknown>;
    const invoice = realm.table('Invoice').get(String(body.invoiceId ?? ''));
    if (!invoice) return void res.status(404).json({ error: `no invoice ${String(body.invoiceId)} in realm ${realm.realmId}` });
    const amount = body.amount === undefined ? Number(invoice.Balance) : Number(body.amount);
    if (!Number.isFinite(amount) || amount <= 0) return void res.status(400).json({ error: 'amount must be a positive number' });
    asUser(res, () =>
      writeEntity(
        contextOf(state, realm),
        'Payment',
        {
          CustomerRef: { value: refValue(invoice.CustomerRef) },
          TotalAmt: amount,
          Line: [{ Amount: amount, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] }],
          ...(typeof body.txnDate === 'string' ? { TxnDate: body.txnDate } : {}),
          ...(typeof body.reference === 'string' ? { PaymentRefNum: body.reference } : {}),
        },
        'create',
      ),
    );
  });

  // A document keyed in QuickBooks by a user (no app, no marker): the body is the entity as the API takes it.
  router.post('/realms/:realmId/entities/:entity', (req, res) => {
    const realm = realmOr404(state, req.params.realmId, res);
    if (!realm) return;
    const name = entityName(req.params.entity);
    if (!name) return void res.status(400).json({ error: `unknown entity ${req.params.entity}` });
    asUser(res, () => writeEntity(contextOf(state, realm), name, isObject(req.body) ? req.body : {}, 'create'));
  });

  // A user edits a record: the body holds the fields changed (a sparse update, its SyncToken taken as current).
  router.post('/realms/:realmId/entities/:entity/:id/update', (req, res) => {
    const realm = realmOr404(state, req.params.realmId, res);
    if (!realm) return;
    const name = entityName(req.params.entity);
    if (!name) return void res.status(400).json({ error: `unknown entity ${req.params.entity}` });
    const existing = realm.table(name).get(req.params.id);
    if (!existing) return void res.status(404).json({ error: `no ${name} ${req.params.id} in realm ${realm.realmId}` });
    const changes = isObject(req.body) ? req.body : {};
    asUser(res, () => writeEntity(contextOf(state, realm), name, { ...changes, Id: existing.Id, SyncToken: existing.SyncToken, sparse: true }, 'update'));
  });

  // Void or delete a record as a QuickBooks user: `operation` is `void` (invoices) or `delete`.
  router.post('/realms/:realmId/entities/:entity/:id/:operation', (req, res) => {
    const realm = realmOr404(state, req.params.realmId, res);
    if (!realm) return;
    const name = entityName(req.params.entity);
    if (!name) return void res.status(400).json({ error: `unknown entity ${req.params.entity}` });
    const { operation } = req.params;
    if (operation !== 'void' && operation !== 'delete') return void res.status(400).json({ error: 'operation must be void or delete' });
    const existing = realm.table(name).get(req.params.id);
    if (!existing) return void res.status(404).json({ error: `no ${name} ${req.params.id} in realm ${realm.realmId}` });
    asUser(res, () => writeEntity(contextOf(state, realm), name, { Id: existing.Id, SyncToken: existing.SyncToken }, operation));
  });

  // Where CloudEvents go: `{ url, verifierToken }` (null turns webhooks off). Changes are queued from now on.
  router.post('/webhooks', (req, res) => {
    const body = req.body as unknown;
    if (body === null || (isObject(body) && body.url === null)) {
      state.webhooks.configure(null);
      return void res.json({ endpoint: null });
    }
    if (!isObject(body) || typeof body.url !== 'string' || typeof body.verifierToken !== 'string' || body.verifierToken === '') {
      return void res.status(400).json({ error: 'give { url, verifierToken }' });
    }
    state.webhooks.configure({ url: body.url, verifierToken: body.verifierToken });
    res.json({ endpoint: { url: body.url }, queued: state.webhooks.queued });
  });

  router.get('/webhooks', (_req, res) => {
    res.json({ endpoint: state.webhooks.endpoint ? { url: state.webhooks.endpoint.url } : null, queued: state.webhooks.queued });
  });

  // One delivery of every queued event (`{ again: true }`: the previous delivery once more, as Intuit retries).
  router.post('/webhooks/deliver', async (req, res) => {
    try {
      res.json(await state.webhooks.deliver(isObject(req.body) && req.body.again === true));
    } catch (e) {
      res.status(409).json({ error: (e as Error).message });
    }
  });

  return router;
}
