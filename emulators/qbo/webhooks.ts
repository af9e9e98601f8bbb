// Intuit's webhooks in the CloudEvents format (mandatory from 2026): changes are queued while an endpoint is
// configured, and one delivery posts every queued event — of every company — as one JSON array, signed in the
// `intuit-signature` header (base64 of the body's HMAC-SHA256 under the app's verifier token). Intuit delivers on
// its own schedule; here a test (or the demo) says when, through the admin API.
import { createHmac } from 'node:crypto';
import type { CloudEvent } from './changes';

export interface WebhookEndpoint {
  url: string;
  verifierToken: string;
}

export interface DeliveryResult {
  status: number | null;
  events: number;
  /** Why the endpoint could not be reached, when it could not. */
  error?: string;
}

/** The signature Intuit puts in `intuit-signature`. */
export function intuitSignature(body: string, verifierToken: string): string {
  return createHmac('sha256', verifierToken).update(body, 'utf8').digest('base64');
}

export class WebhookOutbox {
  endpoint: WebhookEndpoint | null = null;
  private pending: CloudEvent[] = [];
  private last: string | null = null;

  /** Queued only while an endpoint is configured (Intuit sends nothing to an app without one). */
  queue(event: CloudEvent): void {
    if (this.endpoint) this.pending.push(event);
  }

  get queued(): number {
    return this.pending.length;
  }

  configure(endpoint: WebhookEndpoint | null): void {
    this.endpoint = endpoint;
    if (!endpoint) this.pending = [];
  }

  /** Posts every queued event in one delivery; `again` posts the previous delivery once more (Intuit retries). */
  async deliver(again = false): Promise<DeliveryResult> {
    const endpoint = this.endpoint;
    if (!endpoint) throw new Error('no webhook endpoint is configured: POST /__admin/webhooks first');
    let body: string;
    let events: number;
    if (again) {
      if (!this.last) throw new Error('nothing was delivered yet');
      body = this.last;
      events = (JSON.parse(body) as unknown[]).length;
    } else {
      const batch = this.pending.splice(0);
      body = JSON.stringify(batch);
      events = batch.length;
      this.last = body;
    }
    try {
      const res = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'intuit-signature': intuitSignature(body, endpoint.verifierToken) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return { status: res.status, events };
    } catch (err) {
      return { status: null, events, error: (err as Error).message };
    }
  }

  reset(): void {
    this.endpoint = null;
    this.pending = [];
    this.last = null;
  }
}
