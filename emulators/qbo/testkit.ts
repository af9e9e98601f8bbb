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
    tokens: (realmId: string, clientId?: string) => post<TokenSet>('/tokens', { realmId, clientId }),
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
