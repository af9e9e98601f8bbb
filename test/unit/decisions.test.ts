import { decideCustomer, renameForClash } from '../../service/src/export/customers';
import { buildInvoice, docNumberFor, marker, readMarker, type QuickBooksSettings } from '../../service/src/export/invoices';
import { decideProduct } from '../../service/src/export/products';
import { readDuplicateWarning } from '../../service/src/export/run';
import { CustomerIndex, ReservedNames } from '../../service/src/matching/customers';
import { ItemIndex } from '../../service/src/matching/products';
import { company, customer, invoice, line, product } from '../support/records';

const settings: QuickBooksSettings = { customTxnNumbers: true, multiCurrency: false, homeCurrency: 'USD', warnDuplicateDocNum: true };
const refs = { customerQboId: '58', itemFor: (id: string | null) => (id ? '7' : null) };

describe('customer decisions', () => {
  it('when the name is held by a vendor, then the customer is created under the name with the suffix', () => {
    const reserved = new ReservedNames();
    reserved.add([{ DisplayName: 'Ada Lovelace' }]);
    const decision = decideCustomer(customer({ Email__c: null }), new CustomerIndex(), reserved, ' (C)');
    expect(decision).toMatchObject({ kind: 'create', displayName: 'Ada Lovelace (C)', renamedFrom: 'Ada Lovelace' });
  });

  it('when the suffixed name is taken too, then the rename is numbered deterministically', () => {
    const taken = new Set(['ada (c)', 'ada']);
    expect(renameForClash('Ada', ' (C)', (n) => taken.has(n.toLowerCase()))).toBe('Ada (C) 2');
  });

  it('when a renamed name would exceed 500 characters, then the base is cut so the suffix fits', () => {
    const renamed = renameForClash('n'.repeat(500), ' (C)', () => false);
    expect(renamed).toHaveLength(500);
    expect(renamed.endsWith(' (C)')).toBe(true);
  });

  it('when fields are too long, then the payload respects QuickBooks limits and a Shortened note explains it', () => {
    const decision = decideCustomer(customer({ Company_Name__c: 'c'.repeat(150), Email__c: null }), new CustomerIndex(), new ReservedNames(), ' (C)');
    if (decision.kind !== 'create') throw new Error('expected a create');
    expect((decision.payload.CompanyName as string).length).toBe(100);
    expect(decision.notes.map((n) => n.message).join(' ')).toContain('company name shortened from 150 to 100');
  });

  it('when the customer matches, then no payload is built', () => {
    const index = new CustomerIndex();
    index.add([{ Id: '3', DisplayName: 'Someone', PrimaryEmailAddr: { Address: 'ada@example.com' } }]);
    expect(decideCustomer(customer(), index, new ReservedNames(), ' (C)')).toMatchObject({ kind: 'match', match: { qboId: '3', by: 'email' } });
  });
});

describe('product decisions', () => {
  it('when an Inventory product is created, then it carries the three accounts, quantity and start date', () => {
    const d = decideProduct(product({ Product_Type__c: 'Inventory' }), company(), new ItemIndex(), '2026-11-01');
    expect(d).toMatchObject({
      kind: 'create',
      payload: { Type: 'Inventory', IncomeAccountRef: { value: '79' }, ExpenseAccountRef: { value: '80' }, AssetAccountRef: { value: '81' }, QtyOnHand: 0, InvStartDate: '2026-11-01' },
    });
  });

  it('when the company has no income account, then the product fails with a fix naming the Company setting', () => {
    const d = decideProduct(product(), company({ Income_Account_Id__c: null }), new ItemIndex(), '2026-11-01');
    expect(d).toMatchObject({ kind: 'fail', fix: expect.stringContaining('Income Account Id') });
  });

  it('when a Service product is created, then its type is Service', () => {
    expect(decideProduct(product({ Product_Type__c: 'Service' }), company(), new ItemIndex(), '2026-11-01')).toMatchObject({ payload: { Type: 'Service' } });
  });
});

describe('invoice building', () => {
  it('when the invoice has lines, charges, a discount and tax, then all become QuickBooks lines and the total adds up', () => {
    const build = buildInvoice(
      invoice({ Freight__c: 10, Handling__c: 2.5, Packaging__c: 1, Order_Discount__c: 5, Tax_Amount__c: 3.2, Total_Amount__c: 36.7 }),
      company(),
      settings,
      refs,
    );
    if (!build.ok) throw new Error(build.message);
    const lines = build.payload.Line as any[];
    expect(lines.map((l) => [l.DetailType, l.Amount])).toEqual([
      ['SalesItemLineDetail', 25],
      ['SalesItemLineDetail', 10],
      ['SalesItemLineDetail', 2.5],
      ['SalesItemLineDetail', 1],
      ['DiscountLineDetail', 5],
    ]);
    expect(lines[1].SalesItemLineDetail.ItemRef.value).toBe('101');
    expect(lines[4].DiscountLineDetail.DiscountAccountRef.value).toBe('86');
    expect(build.payload.TxnTaxDetail).toEqual({ TotalTax: 3.2 });
    expect(build.expectedTotal).toBe(36.7);
    expect(build.payload.DocNumber).toBe('NW-SI-000001');
    expect(readMarker(build.payload.PrivateNote)).toBe('a03000000000001AAA');
  });

  it('when a charge has no configured item, then the invoice fails and the fix names the setting', () => {
    const build = buildInvoice(invoice({ Freight__c: 9 }), company({ Freight_Item_Id__c: null }), settings, refs);
    expect(build).toMatchObject({ ok: false, fix: expect.stringContaining('Freight Item Id') });
  });

  it('when the number with prefix exceeds 21 characters, then it fails before anything is sent', () => {
    const build = buildInvoice(invoice({ Name: 'SI-0000000000000001' }), company({ Invoice_Number_Prefix__c: 'NORTHWIND-' }), settings, refs);
    expect(build).toMatchObject({ ok: false, message: expect.stringContaining('QuickBooks allows 21') });
  });

  it('when QuickBooks numbering is chosen or custom numbers are off, then no DocNumber is sent', () => {
    expect(docNumberFor(invoice(), company({ Invoice_Numbering__c: 'QuickBooks Next Number' }), settings)).toBeNull();
    expect(docNumberFor(invoice(), company(), { ...settings, customTxnNumbers: false })).toBeNull();
    expect(docNumberFor(invoice(), company({ Invoice_Number_Suffix__c: '-X' }), settings)).toBe('NW-SI-000001-X');
  });

  it('when the invoice is in a foreign currency and multicurrency is off, then it fails with the fix', () => {
    expect(buildInvoice(invoice({ Currency_Code__c: 'EUR' }), company(), settings, refs)).toMatchObject({ ok: false, fix: expect.stringContaining('Multicurrency') });
    expect(buildInvoice(invoice({ Currency_Code__c: 'EUR' }), company(), { ...settings, multiCurrency: true }, refs)).toMatchObject({ ok: true, payload: { CurrencyRef: { value: 'EUR' } } });
  });

  it('when a line product has no QuickBooks item, then the invoice fails naming the line', () => {
    const build = buildInvoice(invoice({ Sales_Invoice_Lines__r: [line({ Line_Number__c: 3 })] }), company(), settings, { customerQboId: '1', itemFor: () => null });
    expect(build).toMatchObject({ ok: false, message: expect.stringContaining('line 3') });
  });

  it('when the customer has no QuickBooks id, then the invoice fails naming the customer', () => {
    expect(buildInvoice(invoice(), company(), settings, { ...refs, customerQboId: null })).toMatchObject({ ok: false, message: expect.stringContaining('Ada Lovelace') });
  });

  it('when quantities are fractional, then line amounts are rounded to cents', () => {
    const build = buildInvoice(invoice({ Sales_Invoice_Lines__r: [line({ Quantity__c: 2.5, Unit_Price__c: 3.333 })] }), company(), settings, refs);
    if (!build.ok) throw new Error(build.message);
    expect((build.payload.Line as any[])[0].Amount).toBe(8.33);
  });

  it('when a marker is written, then it is read back, and foreign notes give nothing', () => {
    expect(readMarker(`memo ${marker('a03000000000001AAA')} more`)).toBe('a03000000000001AAA');
    expect(readMarker('Paid by cheque')).toBeNull();
    expect(readMarker(null)).toBeNull();
  });
});

describe('QuickBooks preferences', () => {
  it('when the duplicate warning is given in either known place, then it is read; absent means on', () => {
    expect(readDuplicateWarning({ OtherPrefs: { NameValue: [{ Name: 'WarnDuplicateDocNum', Value: 'false' }] } })).toBe(false);
    expect(readDuplicateWarning({ SalesFormsPrefs: { WarnDuplicateDocNum: false } })).toBe(false);
    expect(readDuplicateWarning({})).toBe(true);
  });
});
