// The local org's stand-in of the Apex takes ProcessLogSelector's field lists from the selector's source: what the
// page reads locally is what the org's selector reads, and a selector whose lists change (or go) is noticed.
import { readFileSync } from 'node:fs';
import { apexStringConstant, apexStringList, SELECTOR_SOURCE, selectorFields } from '../../web/org/apexSource';
import { apexMethod, type ApexContext } from '../../web/org/apex';
import type { SalesforceClient } from '../../web/org/salesforce';

const source = readFileSync(SELECTOR_SOURCE, 'utf8');

/** A Salesforce client that records the SOQL it is asked and answers with no rows (one company for the user). */
function recordingContext(): { ctx: ApexContext; soql: string[] } {
  const soql: string[] = [];
  const salesforce = {
    userId: async () => '005000000000001AAA',
    query: async (_user: unknown, q: string) => {
      soql.push(q);
      return q.startsWith('SELECT Ledgerline_Company__c')
        ? { totalSize: 1, records: [{ Ledgerline_Company__c: 'a00000000000001AAA' }] }
        : { totalSize: 0, records: [] };
    },
  } as unknown as SalesforceClient;
  return { ctx: { user: { username: 'u', password: 'p' }, salesforce, service: { url: 'http://127.0.0.1:9', apiKey: 'k' }, labels: new Map() }, soql };
}

describe('the local org’s Apex stand-in', () => {
  it('when the selector’s source is read, then its field lists come out as the org queries them', () => {
    const fields = selectorFields(source);
    expect(fields.log.split(', ')).toEqual(expect.arrayContaining(['Id', 'Run_Id__c', 'Status__c', 'Retention_Date__c']));
    expect(fields.entry.split(', ')).toEqual(expect.arrayContaining(['Message__c', 'Fix__c', 'Record_Count__c']));
    expect(fields.searched).toEqual(['Record_Name__c', 'Record_Id__c', 'QuickBooks_Id__c', 'Intuit_Tid__c']);
  });

  it('when the stand-in reads runs and entries, then its SELECTs list exactly the selector’s fields', async () => {
    const fields = selectorFields(source);
    const { ctx, soql } = recordingContext();
    await apexMethod('ProcessLogController', 'getRuns')!(ctx, {});
    await apexMethod('ProcessLogController', 'getEntries')!(ctx, { processLogId: 'a0C000000000001AAA', query: { searchTerm: 'SI-1' } });
    const selects = soql.filter((q) => !q.includes('COUNT()') && !q.includes('FROM User'));
    expect(selects.map((q) => /^SELECT (.*?) FROM (\w+)/.exec(q)!.slice(1))).toEqual([
      [fields.log, 'Process_Log__c'],
      [fields.entry, 'Process_Log_Entry__c'],
    ]);
    expect(soql.find((q) => q.includes('LIKE'))).toContain(`(${fields.searched.map((f) => `${f} LIKE '%SI-1%'`).join(' OR ')})`);
  });

  it('when a selector splits a list over concatenated literals, then they are joined', () => {
    const split = "private static final String LOG_FIELDS = 'Id, Name, ' +\n    'Status__c';";
    expect(apexStringConstant(split, 'LOG_FIELDS')).toBe('Id, Name, Status__c');
    expect(apexStringList("static final List<String> SEARCHED_FIELDS = new List<String>{ 'A__c', 'B__c' };", 'SEARCHED_FIELDS')).toEqual(['A__c', 'B__c']);
  });

  it('when the selector no longer declares a list, then reading it fails naming the constant', () => {
    expect(() => selectorFields(source.replace('LOG_FIELDS =', 'RUN_FIELDS ='))).toThrow(/declares no String constant LOG_FIELDS/);
  });
});
