// What the two emulators hold, read through their admin endpoints (uncounted, unthrottled): QuickBooks' records of the
// checked entities and Salesforce's records of the exported objects, for verify.ts.
import { CHECKED_ENTITIES, type CheckedEntity, type QboRow } from './verify';
import type { SalesforceRecord } from '../demo/types';

async function getJson<T>(url: string): Promise<T> {
  // Once more if the connection was reset before an answer: an idle keep-alive connection the emulator had closed.
  const res = await fetch(url).catch(() => fetch(url));
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}

export async function quickBooksRecords(qboUrl: string, realmId: string): Promise<Record<CheckedEntity, QboRow[]>> {
  const lists = await Promise.all(CHECKED_ENTITIES.map((e) => getJson<QboRow[]>(`${qboUrl}/__admin/realms/${realmId}/entities/${e}`)));
  return Object.fromEntries(CHECKED_ENTITIES.map((e, i) => [e, lists[i]!])) as Record<CheckedEntity, QboRow[]>;
}

export const idsOf = (records: Record<CheckedEntity, QboRow[]>): Record<CheckedEntity, Set<string>> =>
  Object.fromEntries(CHECKED_ENTITIES.map((e) => [e, new Set(records[e].map((r) => String(r.Id)))])) as Record<CheckedEntity, Set<string>>;

const SALESFORCE_OBJECTS = ['Sales_Invoice__c', 'Sales_Invoice_Line__c', 'Customer__c', 'Product__c', 'Payment__c'] as const;

export async function salesforceRecords(sfUrl: string): Promise<Record<(typeof SALESFORCE_OBJECTS)[number], SalesforceRecord[]>> {
  const lists = await Promise.all(SALESFORCE_OBJECTS.map((o) => getJson<SalesforceRecord[]>(`${sfUrl}/__admin/records/${o}`)));
  return Object.fromEntries(SALESFORCE_OBJECTS.map((o, i) => [o, lists[i]!])) as Record<(typeof SALESFORCE_OBJECTS)[number], SalesforceRecord[]>;
}
