// Seeds the emulators with a data set of any size by sending it in chunks: each request carries at most
// `chunkRecords` records of one object (DEFAULT_CHUNK_RECORDS), objects in dependency order (parents before children), so no request body
// comes near a size JSON or the emulators' body limits cannot take. Both emulators' seed endpoints merge.
import { postSeed } from '../demo/load';
import type { DemoData, QboEntity, QboRealmSeed } from '../demo/types';

export const DEFAULT_CHUNK_RECORDS = 5000;
/** Salesforce objects the demo data has, parents first. */
const SALESFORCE_ORDER = ['Company__c', 'Customer__c', 'Product__c', 'Sales_Invoice__c', 'Sales_Invoice_Line__c', 'Payment__c'];
/** QuickBooks entities, in the emulator's own seed order. */
const QUICKBOOKS_ORDER = ['Account', 'TaxCode', 'Customer', 'Vendor', 'Employee', 'Item', 'Invoice', 'CreditMemo', 'SalesReceipt', 'Payment'] as const;

export interface SeedReport {
  requests: number;
}

function* chunks<T>(rows: T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

export async function seedSalesforce(sfUrl: string, records: DemoData['salesforce']['records'], chunkRecords = DEFAULT_CHUNK_RECORDS): Promise<SeedReport> {
  const names = [...SALESFORCE_ORDER.filter((n) => records[n]), ...Object.keys(records).filter((n) => !SALESFORCE_ORDER.includes(n))];
  let requests = 0;
  for (const name of names) {
    for (const rows of chunks(records[name] ?? [], chunkRecords)) {
      await postSeed(sfUrl, { records: { [name]: rows } }, 'Salesforce');
      requests++;
    }
  }
  return { requests };
}

export async function seedQuickBooks(qboUrl: string, realms: QboRealmSeed[], chunkRecords = DEFAULT_CHUNK_RECORDS): Promise<SeedReport> {
  let requests = 0;
  for (const realm of realms) {
    await postSeed(qboUrl, { realms: [{ realmId: realm.realmId, companyInfo: realm.companyInfo, preferences: realm.preferences }] }, 'QuickBooks');
    requests++;
    for (const entity of QUICKBOOKS_ORDER) {
      for (const rows of chunks((realm.entities as Record<string, QboEntity[] | undefined>)[entity] ?? [], chunkRecords)) {
        await postSeed(qboUrl, { realms: [{ realmId: realm.realmId, entities: { [entity]: rows } }] }, 'QuickBooks');
        requests++;
      }
    }
  }
  return { requests };
}
