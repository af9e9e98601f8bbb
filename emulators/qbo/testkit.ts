// Thin HTTP helpers for tests that drive a running emulator: the admin API
// and authenticated v3 calls. Plain fetch, no client library in between.

import type { FaultKind, QboSettings, QboStats } from './state';

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

async function call<T>(url: string, init: RequestInit): Promise<HttpResult<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (XML or HTML faults): keep the text.
  }
  return { status: res.status, headers: res.headers, text, body };
}

export interface TokenSet {
  x_refresh_token_expires_in: number;
  refresh_token: string;
  access_token: string;
  token_type: string;
  expires_in: number;
  x_refresh_token_hard_expires_in?: number;
}

export interface FaultSpec {
  kind: FaultKind;
  count?: number;
  delayMs?: number;
  match?: { method?: string; path?: string; entity?: string };
}

export function qboAdmin(baseUrl: string) {
  const post = async <T = any>(path: string, body: unknown = {}) => {
    const r = await call<T>(`${baseUrl}/__admin${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (r.status >= 400) throw new Error(`admin ${path} failed: ${r.status} ${r.text}`);
    return r.body;
  };
  const get = async <T = any>(path: string) => (await call<T>(`${baseUrl}/__admin${path}`, { method: 'GET' })).body;
  return {
    reset: () => post('/reset'),
    seed: (realms: unknown[]) => post<{ realms: { realmId: string; counts: Record<string, number> }[] }>('/seed', { realms }),
    preferences: (realmId: string, prefs: Record<string, unknown>) => post(`/realms/${realmId}/preferences`, prefs),
    entities: <T = any>(realmId: string, entity: string) => get<T[]>(`/realms/${realmId}/entities/${entity}`),
    tokens: (realmId: string, clientId?: string, consentedAt?: string) => post<TokenSet>('/tokens', { realmId, clientId, consentedAt }),
    /** Other apps' standing use of the company's shared allowances (batch calls and requests a minute). */
    otherApps: (realmId: string, load: { batchesPerMinute?: number; requestsPerMinute?: number }) =>
      post<{ otherApps: { batchesPerMinute: number; requestsPerMinute: number } }>(`/realms/${realmId}/load`, load),
    fault: (spec: FaultSpec) => post('/faults', spec),
    clearFaults: async () => {
      await call(`${baseUrl}/__admin/faults`, { method: 'DELETE' });
    },
    stats: () => get<QboStats>('/stats'),
    resetStats: () => post<QboStats>('/stats/reset'),
    clock: () => get<{ now: string; offsetMs: number }>('/clock'),
    advanceClock: (advanceMs: number) => post<{ now: string; offsetMs: number }>('/clock', { advanceMs }),
    setClock: (iso: string) => post<{ now: string; offsetMs: number }>('/clock', { set: iso }),
    settings: (partial: Partial<QboSettings> | Record<string, unknown>) => post<QboSettings>('/settings', partial),
    /** A QuickBooks user receives a payment against an invoice (its whole open balance unless `amount` is given). */
    receivePayment: (realmId: string, payment: { invoiceId: string; amount?: number; txnDate?: string; reference?: string }) =>
      post(`/realms/${realmId}/payments`, payment),
    /** A QuickBooks user voids (invoices) or deletes a record. */
    userAction: (realmId: string, entity: string, id: string, operation: 'void' | 'delete') => post(`/realms/${realmId}/entities/${entity}/${id}/${operation}`),
    /** Where CloudEvents go (null: nowhere), and one delivery of those queued (`again`: the previous one once more). */
    webhooks: (endpoint: { url: string; verifierToken: string } | null) => post('/webhooks', endpoint ?? { url: null }),
    deliverWebhooks: (again = false) => post<{ status: number | null; events: number; error?: string }>('/webhooks/deliver', { again }),
    /** One company's own settings: `ignoreRequestId` true, false or null (follow the emulator-wide setting). */
    realmSettings: (realmId: string, partial: { ignoreRequestId?: boolean | null }) => post(`/realms/${realmId}/settings`, partial),
  };
}

/** Authenticated QBO v3 calls for one company. */
export function qboApi(baseUrl: string, realmId: string, accessToken: string) {
  const base = `${baseUrl}/v3/company/${realmId}`;
  const headers = () => ({ authorization: `Bearer ${accessToken}`, accept: 'application/json', 'content-type': 'application/json' });
  return {
    get: <T = any>(path: string) => call<T>(`${base}${path}`, { method: 'GET', headers: headers() }),
    post: <T = any>(path: string, body: unknown) => call<T>(`${base}${path}`, { method: 'POST', headers: headers(), body: JSON.stringify(body) }),
    query: <T = any>(q: string) => call<T>(`${base}/query?query=${encodeURIComponent(q)}&minorversion=75`, { method: 'GET', headers: headers() }),
    batch: <T = any>(items: unknown[], requestId?: string) =>
      call<T>(`${base}/batch${requestId ? `?requestid=${encodeURIComponent(requestId)}` : ''}`, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({ BatchItemRequest: items }),
      }),
  };
}
