// Writing Salesforce records in integration tests the way any API client would: composite sobjects over HTTP.
import type { DemoStack } from '../../scripts/demo-stack';
import { admin, api } from './stack';

export async function sfWrite(stack: DemoStack, method: 'POST' | 'PATCH', records: Record<string, unknown>[]): Promise<string[]> {
  const { access_token, instance_url } = await admin(stack.sfUrl, 'POST', '/token', {});
  const ids: string[] = [];
  for (let i = 0; i < records.length; i += 200) {
    const res = await fetch(`${instance_url}/services/data/v62.0/composite/sobjects`, {
      method,
      headers: { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ allOrNone: true, records: records.slice(i, i + 200) }),
    });
    const body = (await res.json()) as { id: string; success: boolean; errors: unknown[] }[];
    if (!res.ok || body.some((r) => !r.success)) throw new Error(`Salesforce refused: ${JSON.stringify(body)}`);
    ids.push(...body.map((r) => r.id));
  }
  return ids;
}

export const sf = (type: string, fields: Record<string, unknown>) => ({ attributes: { type }, ...fields });

/** A company's Process Log of one run. */
export async function logOf(stack: DemoStack, companyId: string, logId: string) {
  const { body } = await api<any[]>(stack, 'GET', `/api/companies/${companyId}/process-logs?limit=50`);
  return body.find((l) => l.id === logId);
}

/** Calls QuickBooks Online's own REST API on the emulator, as an accountant's other tools would. */
export async function qboApi(stack: DemoStack, realmId: string, method: string, path: string, body?: unknown): Promise<any> {
  const tokens = await admin(stack.qboUrl, 'POST', '/tokens', { realmId });
  const res = await fetch(`${stack.qboUrl}/v3/company/${realmId}${path}${path.includes('?') ? '&' : '?'}minorversion=75`, {
    method,
    headers: { Authorization: `Bearer ${tokens.access_token}`, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`QuickBooks answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}
