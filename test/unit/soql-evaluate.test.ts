import { SalesforceState } from '../../emulators/salesforce';
import { executeSoql, type OutRecord } from '../../emulators/salesforce/soql/evaluate';
import { SoqlError } from '../../emulators/salesforce/soql/errors';

const state = new SalesforceState();
const NOW = Date.UTC(2026, 2, 15, 12, 0, 0);

function run(soql: string) {
  return executeSoql(soql, { store: state.store, version: '62.0', nowMs: NOW });
}

function names(soql: string): unknown[] {
  return run(soql).records.map((r) => r.Name);
}

function soqlError(soql: string): SoqlError {
  try {
    run(soql);
  } catch (e) {
    if (e instanceof SoqlError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

let companyId: string;
let otherCompanyId: string;
let invoiceIds: Record<string, string>;

beforeAll(() => {
  state.seed({ Company__c: [{ Name: 'Acme US', QuickBooks_Realm_Id__c: 'R1' }, { Name: 'Beta UK' }] });
  [companyId, otherCompanyId] = state.records('Company__c')!.map((r) => r.Id as string);
  state.seed({ Customer__c: [{ Name: "O'Brien & Sons" }, { Name: 'zeta corp' }] });
  const [c1, c2] = state.records('Customer__c')!.map((r) => r.Id as string);
  const seeded = state.seed({
    Sales_Invoice__c: [
      { Name: 'SI-1', Company__c: companyId, Customer__c: c1, Approved__c: true, Invoice_Date__c: '2026-03-15', Total_Amount__c: 100, Terms__c: 'Net 30' },
      {
        Name: 'SI-2',
        Company__c: companyId,
        Customer__c: c2,
        Approved__c: true,
        Invoice_Date__c: '2026-03-01',
        Total_Amount__c: 50.5,
        Export_Status__c: 'Exported',
      },
      { Name: 'si-3', Company__c: otherCompanyId, Approved__c: false, Invoice_Date__c: '2025-12-31', Total_Amount__c: 7 },
      { Name: 'SI-4', Approved__c: true, Total_Amount__c: null, Export_Status__c: 'Error', Terms__c: '100% upfront' },
    ],
  });
  expect(seeded.errors).toEqual([]);
  invoiceIds = Object.fromEntries(state.records('Sales_Invoice__c')!.map((r) => [r.Name, r.Id]));
  state.seed({
    Sales_Invoice_Line__c: [
      { Sales_Invoice__c: invoiceIds['SI-1'], Line_Number__c: 2, Quantity__c: 1 },
      { Sales_Invoice__c: invoiceIds['SI-1'], Line_Number__c: 1, Quantity__c: 4.25 },
      { Sales_Invoice__c: invoiceIds['SI-2'], Line_Number__c: 1, Quantity__c: 2 },
    ],
    Payment__c: [{ Name: 'P-1', Sales_Invoice__c: invoiceIds['SI-2'], Amount__c: 50.5 }],
  });
});

describe('SOQL evaluation over the store', () => {
  it('when only some fields are selected, then records carry attributes and exactly those fields', () => {
    const [r] = run("SELECT Name, Total_Amount__c FROM Sales_Invoice__c WHERE Name = 'SI-1'").records;
    expect(r).toEqual({
      attributes: { type: 'Sales_Invoice__c', url: `/services/data/v62.0/sobjects/Sales_Invoice__c/${invoiceIds['SI-1']}` },
      Name: 'SI-1',
      Total_Amount__c: 100,
    });
  });

  it('when field names use another case, then the answer uses the metadata casing', () => {
    const [r] = run("select name, total_amount__c from sales_invoice__c where NAME = 'SI-1'").records;
    expect(Object.keys(r)).toEqual(['attributes', 'Name', 'Total_Amount__c']);
  });

  it('when text is compared, then = and LIKE ignore case, and != also matches empty values', () => {
    expect(names("SELECT Name FROM Sales_Invoice__c WHERE Name = 'si-1'")).toEqual(['SI-1']);
    expect(names("SELECT Name FROM Sales_Invoice__c WHERE Name LIKE 'si-%' ORDER BY Name")).toEqual(['SI-1', 'SI-2', 'si-3', 'SI-4']);
    expect(names("SELECT Name FROM Sales_Invoice__c WHERE Export_Status__c != 'Exported' ORDER BY Name")).toEqual(['SI-1', 'si-3', 'SI-4']);
  });

  it('when LIKE escapes a wildcard, then it matches the literal character', () => {
    expect(names("SELECT Name FROM Sales_Invoice__c WHERE Terms__c LIKE '100\\% %'")).toEqual(['SI-4']);
    expect(names("SELECT Name FROM Sales_Invoice__c WHERE Terms__c LIKE 'Net _0'")).toEqual(['SI-1']);
  });

  it('when a string literal escapes a quote, then it matches the stored text', () => {
    const r = run("SELECT Name FROM Customer__c WHERE Name = 'O\\'Brien & Sons'");
    expect(r.totalSize).toBe(1);
  });

  it('when numbers, booleans, dates and nulls are compared, then each follows its type', () => {
    expect(names('SELECT Name FROM Sales_Invoice__c WHERE Total_Amount__c >= 50.5 ORDER BY Name')).toEqual(['SI-1', 'SI-2']);
    expect(names('SELECT Name FROM Sales_Invoice__c WHERE Approved__c = false')).toEqual(['si-3']);
    expect(names('SELECT Name FROM Sales_Invoice__c WHERE Invoice_Date__c < 2026-01-01')).toEqual(['si-3']);
    expect(names('SELECT Name FROM Sales_Invoice__c WHERE Invoice_Date__c = null')).toEqual(['SI-4']);
    expect(names('SELECT Name FROM Sales_Invoice__c WHERE Total_Amount__c != null AND Total_Amount__c < 60 ORDER BY Name')).toEqual(['SI-2', 'si-3']);
  });

  it('when date literals are used, then they resolve against the current day', () => {
    expect(names('SELECT Name FROM Sales_Invoice__c WHERE Invoice_Date__c = TODAY')).toEqual(['SI-1']);
    expect(names('SELECT Name FROM Sales_Invoice__c WHERE Invoice_Date__c = LAST_N_DAYS:20 ORDER BY Name')).toEqual(['SI-1', 'SI-2']);
    expect(names('SELECT Name FROM Sales_Invoice__c WHERE Invoice_Date__c < THIS_YEAR')).toEqual(['si-3']);
    expect(run('SELECT Id FROM Sales_Invoice__c WHERE CreatedDate > 2020-01-01T00:00:00Z').totalSize).toBe(4);
  });

  it('when IN and NOT IN are used, then NOT IN keeps rows whose field is empty', () => {
    expect(names("SELECT Name FROM Sales_Invoice__c WHERE Export_Status__c IN ('Exported', 'Error') ORDER BY Name")).toEqual(['SI-2', 'SI-4']);
    expect(names("SELECT Name FROM Sales_Invoice__c WHERE Export_Status__c NOT IN ('Exported', 'Error') ORDER BY Name")).toEqual(['SI-1', 'si-3']);
    expect(names(`SELECT Name FROM Sales_Invoice__c WHERE Id IN ('${invoiceIds['SI-2']}', '${invoiceIds['SI-1'].slice(0, 15)}') ORDER BY Name`)).toEqual([
      'SI-1',
      'SI-2',
    ]);
  });

  it('when parent fields are selected and filtered, then lookups are followed up to two levels', () => {
    const [line] = run(
      "SELECT Quantity__c, Sales_Invoice__r.Name, Sales_Invoice__r.Company__r.QuickBooks_Realm_Id__c FROM Sales_Invoice_Line__c WHERE Sales_Invoice__r.Company__r.Name = 'acme us' AND Line_Number__c = 1 AND Quantity__c > 3",
    ).records;
    expect(line.Quantity__c).toBe(4.25);
    expect(line.Sales_Invoice__r).toEqual({
      attributes: { type: 'Sales_Invoice__c', url: `/services/data/v62.0/sobjects/Sales_Invoice__c/${invoiceIds['SI-1']}` },
      Name: 'SI-1',
      Company__r: { attributes: { type: 'Company__c', url: `/services/data/v62.0/sobjects/Company__c/${companyId}` }, QuickBooks_Realm_Id__c: 'R1' },
    });
  });

  it('when a lookup is empty, then the parent object is null', () => {
    const [r] = run("SELECT Name, Customer__r.Name, Company__r.Name FROM Sales_Invoice__c WHERE Name = 'SI-4'").records;
    expect(r).toMatchObject({ Customer__r: null, Company__r: null });
  });

  it('when a child subquery is selected, then children come nested and ordered, or null when none', () => {
    const records = run(
      'SELECT Name, (SELECT Line_Number__c, Quantity__c FROM Sales_Invoice_Lines__r ORDER BY Line_Number__c) FROM Sales_Invoice__c ORDER BY Name',
    ).records;
    const lines = records[0].Sales_Invoice_Lines__r as { totalSize: number; done: boolean; records: OutRecord[] };
    expect(lines.totalSize).toBe(2);
    expect(lines.done).toBe(true);
    expect(lines.records.map((l) => l.Line_Number__c)).toEqual([1, 2]);
    expect(records[2].Sales_Invoice_Lines__r).toBeNull();
  });

  it('when a subquery filters and limits, then only matching children come back', () => {
    const [r] = run(
      "SELECT Name, (SELECT Quantity__c FROM Sales_Invoice_Lines__r WHERE Quantity__c > 1 LIMIT 1) FROM Sales_Invoice__c WHERE Name = 'SI-1'",
    ).records;
    expect((r.Sales_Invoice_Lines__r as { records: OutRecord[] }).records.map((l) => l.Quantity__c)).toEqual([4.25]);
  });

  it('when ORDER BY has several keys and NULLS LAST, then rows sort case-insensitively with nulls placed', () => {
    expect(names('SELECT Name FROM Sales_Invoice__c ORDER BY Invoice_Date__c DESC')).toEqual(['SI-4', 'SI-1', 'SI-2', 'si-3']);
    expect(names('SELECT Name FROM Sales_Invoice__c ORDER BY Invoice_Date__c DESC NULLS LAST')).toEqual(['SI-1', 'SI-2', 'si-3', 'SI-4']);
    expect(names('SELECT Name FROM Sales_Invoice__c ORDER BY Approved__c, Name DESC')).toEqual(['si-3', 'SI-4', 'SI-2', 'SI-1']);
    expect(names('SELECT Name FROM Customer__c ORDER BY Name DESC')).toEqual(['zeta corp', "O'Brien & Sons"]);
  });

  it('when LIMIT and OFFSET are given, then the window applies after ordering', () => {
    const r = run('SELECT Name FROM Sales_Invoice__c ORDER BY Name LIMIT 2 OFFSET 1');
    expect(r.records.map((x) => x.Name)).toEqual(['SI-2', 'si-3']);
    expect(r.totalSize).toBe(2);
  });

  it('when COUNT() is selected, then only totalSize is set', () => {
    expect(run('SELECT COUNT() FROM Sales_Invoice__c WHERE Approved__c = true')).toEqual({ totalSize: 3, records: [] });
  });

  it('when COUNT(field) is selected, then an AggregateResult counts non-empty values', () => {
    expect(run('SELECT COUNT(Customer__c) withCustomer FROM Sales_Invoice__c').records).toEqual([{ attributes: { type: 'AggregateResult' }, withCustomer: 2 }]);
  });

  it('when a semi-join selects related ids, then only those records match', () => {
    expect(names('SELECT Name FROM Sales_Invoice__c WHERE Id IN (SELECT Sales_Invoice__c FROM Payment__c)')).toEqual(['SI-2']);
    expect(names('SELECT Name FROM Sales_Invoice__c WHERE Id NOT IN (SELECT Sales_Invoice__c FROM Payment__c) ORDER BY Name')).toEqual([
      'SI-1',
      'si-3',
      'SI-4',
    ]);
  });

  it('when a column does not exist, then INVALID_FIELD names the column and entity at its position', () => {
    const e = soqlError('SELECT Id, Foo__c FROM Sales_Invoice__c');
    expect(e.errorCode).toBe('INVALID_FIELD');
    expect(e.detail).toMatch(/^No such column 'Foo__c' on entity 'Sales_Invoice__c'\. If you are attempting to use a custom field/);
    expect(e.pos).toEqual({ row: 1, col: 12 });
    expect(soqlError('SELECT Id FROM Sales_Invoice__c WHERE Customer__r.Nope__c = null').detail).toContain("No such column 'Nope__c' on entity 'Customer__c'");
  });

  it('when a field is selected twice, in any case, then INVALID_FIELD says which, with no position', () => {
    for (const soql of ['SELECT Id, Name, Id FROM Sales_Invoice__c', 'SELECT Id, Name, name FROM Sales_Invoice__c']) {
      const e = soqlError(soql);
      expect(e).toMatchObject({ errorCode: 'INVALID_FIELD', detail: expect.stringMatching(/^duplicate field selected: (Id|name)$/) });
      expect(e.pos).toBeUndefined();
    }
    expect(soqlError('SELECT Customer__r.Name, customer__r.NAME FROM Sales_Invoice__c').detail).toBe('duplicate field selected: customer__r.NAME');
    // One field by two relationships' paths is two fields.
    expect(run('SELECT Name, Customer__r.Name FROM Sales_Invoice__c LIMIT 1').records).toHaveLength(1);
  });

  it('when a relationship or object is unknown, then the platform errors come back', () => {
    expect(soqlError('SELECT Customer__c.Name FROM Sales_Invoice__c').detail).toContain("Didn't understand relationship 'Customer__c' in field path");
    expect(soqlError('SELECT Id, (SELECT Id FROM Lines__r) FROM Sales_Invoice__c')).toMatchObject({ errorCode: 'INVALID_TYPE' });
    expect(soqlError('SELECT Id FROM Invoice__c')).toMatchObject({
      errorCode: 'INVALID_TYPE',
      detail: expect.stringContaining("sObject type 'Invoice__c' is not supported"),
    });
  });

  it('when a filter value has the wrong type, then the error says which type is expected', () => {
    expect(soqlError("SELECT Id FROM Sales_Invoice__c WHERE Invoice_Date__c = '2026-01-01'").detail).toBe(
      "value of filter criterion for field 'Invoice_Date__c' must be of type date and should not be enclosed in quotes",
    );
    expect(soqlError("SELECT Id FROM Sales_Invoice__c WHERE Approved__c = 'true'").detail).toContain('must be of type boolean');
    expect(soqlError('SELECT Id FROM Sales_Invoice__c WHERE Name = 5').detail).toContain('must be of type string and should be enclosed in quotes');
    expect(soqlError("SELECT Id FROM Sales_Invoice__c WHERE Id = 'abc'")).toMatchObject({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      detail: 'invalid ID field: abc',
    });
  });

  it('when a long text area is filtered or sorted, then the query is refused like the platform does', () => {
    expect(soqlError("SELECT Id FROM Sales_Invoice__c WHERE Memo__c = 'x'").detail).toBe("field 'Memo__c' can not be filtered in a query call");
    expect(soqlError('SELECT Id FROM Sales_Invoice__c ORDER BY Memo__c').detail).toBe("field 'Memo__c' can not be sorted in a query call");
  });

  it('when OFFSET is over 2000, then it is NUMBER_OUTSIDE_VALID_RANGE', () => {
    expect(soqlError('SELECT Id FROM Sales_Invoice__c LIMIT 10 OFFSET 2001')).toMatchObject({ errorCode: 'NUMBER_OUTSIDE_VALID_RANGE' });
  });

  it('when a plain field is mixed with COUNT(), then it must be grouped', () => {
    expect(soqlError('SELECT Name, COUNT(Id) FROM Sales_Invoice__c').detail).toBe('Field must be grouped or aggregated: Name');
  });
});
