// QuickBooks webhooks, CloudEvents format (Intuit's only format from 2026): `POST /webhooks/quickbooks` with a JSON
// array of events, possibly of several companies, signed in `intuit-signature` (base64 of the raw body's HMAC-SHA256
// under the app's verifier token). The endpoint checks the signature, records the events by id (a delivery Intuit
// repeats is recognised) and answers at once; the companies whose invoices, payments or credit memos changed get a
// status sync afterwards — the same Change Data Capture read as a scheduled one, never a read per event.
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { LedgerlineError, badRequest, errorMessage } from '../errors';

/** One CloudEvent as Intuit sends it (unknown attributes allowed: CloudEvents has extensions). */
export const CloudEventSchema = z.looseObject({
  specversion: z.string(),
  id: z.string().min(1).max(200),
  source: z.string().optional(),
  type: z.string().min(1).max(200),
  time: z.string().optional(),
  intuitaccountid: z.union([z.string(), z.number()]).transform(String),
  intuitentityid: z.union([z.string(), z.number()]).transform(String).optional(),
});
export const CloudEventsSchema = z.array(CloudEventSchema).max(10_000);
export type CloudEvent = z.infer<typeof CloudEventSchema>;

/** Event types that can change an invoice's status: invoices, payments and credit memos, any operation. */
const STATUS_TYPES = /^qbo\.(invoice|payment|creditmemo)\./i;

/** Whether `signature` is the body's HMAC-SHA256 under the verifier token, base64 (compared in constant time). */
export function validSignature(body: Buffer, signature: string | undefined, verifierToken: string): boolean {
  if (!signature) return false;
  const expected = createHmac('sha256', verifierToken).update(body).digest();
  const given = Buffer.from(signature.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The QuickBooks companies (realms) with status-relevant events among these. */
export function changedRealms(events: CloudEvent[]): string[] {
  return [...new Set(events.filter((e) => STATUS_TYPES.test(e.type)).map((e) => e.intuitaccountid))];
}

export interface WebhookDeps {
  verifierToken: string | undefined;
  /** Records the events; answers the ids not received before. */
  record(events: CloudEvent[]): Promise<Set<string>>;
  /** Starts a sync of the Companies of these realms (after the answer is sent). */
  changed(realmIds: string[]): Promise<void>;
  logger: Logger;
}

export function createWebhookRouter(deps: WebhookDeps): Router {
  const router = Router();
  // The signature is over the exact bytes Intuit sent: the body is read raw, whatever its content type.
  router.post('/', express.raw({ type: () => true, limit: '1mb' }), async (req: Request, res: Response) => {
    if (!deps.verifierToken) {
      throw new LedgerlineError('NOT_FOUND', 'QuickBooks webhooks are not set up on this service.', {
        status: 404,
        fix: 'Set QBO_WEBHOOK_VERIFIER_TOKEN to the verifier token of your Intuit app.',
      });
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!validSignature(body, req.get('intuit-signature'), deps.verifierToken)) {
      deps.logger.warn({ bytes: body.length }, 'QuickBooks webhook refused: the intuit-signature does not match');
      throw new LedgerlineError('UNAUTHENTICATED', 'The intuit-signature header does not match this delivery.', {
        status: 401,
        fix: 'Check that QBO_WEBHOOK_VERIFIER_TOKEN is the verifier token of the Intuit app sending it.',
      });
    }
    let events: CloudEvent[];
    try {
      events = CloudEventsSchema.parse(JSON.parse(body.toString('utf8')));
    } catch (err) {
      throw badRequest(`The delivery is not a JSON array of CloudEvents: ${errorMessage(err).slice(0, 200)}`);
    }
    const fresh = await deps.record(events);
    const realms = changedRealms(events.filter((e) => fresh.has(e.id)));
    res.json({ received: events.length, new: fresh.size });
    deps.logger.info({ events: events.length, new: fresh.size, realms: realms.length }, 'QuickBooks webhook received');
    // Answered first: Intuit expects a quick answer, the work comes after.
    if (realms.length)
      setImmediate(() => void deps.changed(realms).catch((err) => deps.logger.warn({ err: errorMessage(err) }, 'status syncs for a webhook failed')));
  });
  return router;
}
