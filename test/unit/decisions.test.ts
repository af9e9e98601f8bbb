import { CustomerIndex, ReservedNames, RunCustomers } from '../../service/src/matching/customers';
import { ItemIndex } from '../../service/src/matching/products';
import { marker, readMarker } from '../../service/src/export/marker';
import { decideCustomer, plannedCustomer, renameForClash, type CustomerPlanContext } from '../../service/src/export/plan/customers';
import { buildInvoice, docNumberFor } from '../../service/src/export/plan/invoices';
import { decideProduct, plannedItem, type ProductPlanContext } from '../../service/src/export/plan/products';
import { invoiceBody } from '../../service/src/quickbooks/online/mapping';
import { readDuplicateWarning } from '../../service/src/quickbooks/online/target';
import { companyModel, limits, settings, sourceCustomer, sourceInvoice, sourceLine, sourceProduct } from '../support/model';

const refs = { customerId: '58', itemFor: (id: string | null) => (id ? '7' : null) };

function customerContext(over: Partial<CustomerPlanContext> = {}): CustomerPlanContext {
  return { index: new CustomerIndex(), planned: new CustomerIndex(), reserved: new ReservedNames(), limits, clashSuffix: ' (C)', policy: 'cascade', ...over };
}

function productContext(over: Partial<ProductPlanContext> = {}): ProductPlanContext {
  return { index: new ItemIndex(), planned: new ItemIndex(), limits, company: companyModel(), inventoryStartDate: '2026-11-01', ...over };
}

describe('customer decisions', () => {
  it('when the name is held by a vendor, then the customer is created under the name with the suffix', () => {
    const reserved = new ReservedNames();
    reserved.add(['Ada Lovelace']);
    const decision = decideCustomer(sourceCustomer({ email: null }), customerContext({ reserved }));
    expect(decision).toMatchObject({
      kind: 'create',
      doc: { displayName: 'Ada Lovelace (C)' },
      renamed: { from: 'Ada Lovelace', to: 'Ada Lovelace (C)', reason: 'reserved' },
    });
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

  it('when fields are too long, then the document respects the limits and each change is named', () => {
    const decision = decideCustomer(sourceCustomer({ companyName: 'c'.repeat(150), email: null }), customerContext());
    if (decision.kind !== 'create') throw new Error('expected a create');
    expect(decision.doc.companyName).toHaveLength(100);
    expect(decision.shortened).toEqual(['company name shortened from 150 to 100 characters']);
  });

  it('when the customer matches by email, then no document is built', () => {
    const index = new CustomerIndex();
    index.add([{ id: '3', displayName: 'Someone', email: 'ada@example.com' }]);
    expect(decideCustomer(sourceCustomer(), customerContext({ index }))).toEqual({
      kind: 'match',
      targetId: '3',
      name: 'Someone',
      by: 'email',
      ambiguous: false,
      emailDiffers: undefined,
    });
  });

  describe('when a name match has another email', () => {
    const index = new CustomerIndex();
    index.add([{ id: '9', displayName: 'Ada Lovelace', email: 'countess@example.org' }]);

    it('then the default cascade matches it and names both emails', () => {
      expect(decideCustomer(sourceCustomer(), customerContext({ index }))).toEqual({
        kind: 'match',
        targetId: '9',
        name: 'Ada Lovelace',
        by: 'name',
        ambiguous: false,
        emailDiffers: { source: 'ada@example.com', other: 'countess@example.org' },
      });
    });

    it('then "never match across different emails" creates the customer under a name that tells them apart', () => {
      expect(decideCustomer(sourceCustomer(), customerContext({ index, policy: 'sameEmailOnly' }))).toMatchObject({
        kind: 'create',
        doc: { displayName: 'Ada Lovelace (ada@example.com)', email: 'ada@example.com' },
        renamed: { from: 'Ada Lovelace', to: 'Ada Lovelace (ada@example.com)', reason: 'emailDiffers' },
      });
    });
  });

  describe('when two new customers of one export share a name', () => {
    const first = sourceCustomer({
      id: 'a01000000000001AAA',
      email: 'ada@one.example',
      billing: { street: null, city: 'London', state: null, postalCode: null, country: null },
    });
    const second = sourceCustomer({
      id: 'a01000000000002AAA',
      email: 'ada@two.example',
      billing: { street: null, city: 'Leeds', state: null, postalCode: null, country: null },
    });

    function planBoth(policy: CustomerPlanContext['policy']) {
      const customers = new RunCustomers();
      const ctx = customerContext({ policy, index: customers.index, planned: customers.planned });
      const a = decideCustomer(first, ctx);
      if (a.kind === 'create') customers.plan(first.id, plannedCustomer(first.id, a.doc));
      return [a, decideCustomer(second, ctx)] as const;
    }

    it('then with the cascade the second shares the first one’s customer, with both emails named', () => {
      const [a, b] = planBoth('cascade');
      expect(a).toMatchObject({ kind: 'create', doc: { displayName: 'Ada Lovelace' } });
      expect(b).toEqual({
        kind: 'twin',
        of: first.id,
        name: 'Ada Lovelace',
        by: 'name',
        emailDiffers: { source: 'ada@two.example', other: 'ada@one.example' },
      });
    });

    it('then with "never match across different emails" the second is created under its own name', () => {
      const [, b] = planBoth('sameEmailOnly');
      expect(b).toMatchObject({ kind: 'create', doc: { displayName: 'Ada Lovelace (ada@two.example)' }, renamed: { reason: 'emailDiffers' } });
    });
  });
});

describe('product decisions', () => {
  it('when an Inventory product is created, then it carries the three accounts, quantity start and its date', () => {
    const d = decideProduct(sourceProduct({ type: 'Inventory' }), productContext());
    expect(d).toEqual({
      kind: 'create',
      doc: {
        name: 'Brass Gear 40T',
        type: 'Inventory',
        sku: 'GEAR-40',
        description: 'A forty-tooth brass gear',
        unitPrice: 12.5,
        incomeAccount: '79',
        expenseAccount: '80',
        assetAccount: '81',
        inventoryStartDate: '2026-11-01',
      },
      shortened: [],
    });
  });

  it('when the company has no income account, then the product fails with a fix naming the Company setting', () => {
    const d = decideProduct(
      sourceProduct(),
      productContext({ company: companyModel({ accounts: { income: null, expense: null, asset: null, discount: null } }) }),
    );
    expect(d).toMatchObject({ kind: 'fail', fix: expect.stringContaining('Income Account Id') });
  });

  it('when a Service product is created, then its type is Service', () => {
    expect(decideProduct(sourceProduct({ type: 'Service' }), productContext())).toMatchObject({ doc: { type: 'Service' } });
  });

  it('when a second product of the export has the same name, then it shares the first one’s item instead of a placeholder', () => {
    const ctx = productContext();
    const first = sourceProduct({ id: 'a02000000000001AAA', sku: null });
    const a = decideProduct(first, ctx);
    if (a.kind !== 'create') throw new Error('expected a create');
    ctx.planned.add([plannedItem(first.id, a.doc)]);
    expect(decideProduct(sourceProduct({ id: 'a02000000000002AAA', sku: null }), ctx)).toEqual({
      kind: 'twin',
      of: first.id,
      name: 'Brass Gear 40T',
      by: 'itemName',
    });
  });
});

describe('products of one name and different SKUs', () => {
  it('when QuickBooks holds an item of the name with another SKU, then the product is a new item named by its SKU, naming both SKUs', () => {
    const ctx = productContext();
    ctx.index.add([{ id: '40', name: 'Brass Gear 40T', sku: 'GEAR-40-OLD' }]);
    expect(decideProduct(sourceProduct(), ctx)).toMatchObject({
      kind: 'create',
      doc: { name: 'Brass Gear 40T (GEAR-40)', sku: 'GEAR-40' },
      renamed: { from: 'Brass Gear 40T', to: 'Brass Gear 40T (GEAR-40)', sku: 'GEAR-40', otherSku: 'GEAR-40-OLD' },
    });
  });

  it('when the item of the name has no SKU, or the same SKU, then it is the product’s item', () => {
    const ctx = productContext();
    ctx.index.add([{ id: '41', name: 'Brass Gear 40T' }]);
    expect(decideProduct(sourceProduct(), ctx)).toMatchObject({ kind: 'match', targetId: '41', by: 'itemName' });
  });

  it('when another product of this export has the name and another SKU, then this one is created under the renamed name, and a re-run finds it by SKU', () => {
    const ctx = productContext();
    const first = sourceProduct({ id: 'a02000000000001AAA', sku: 'GEAR-40' });
    const a = decideProduct(first, ctx);
    if (a.kind !== 'create') throw new Error('expected a create');
    ctx.planned.add([plannedItem(first.id, a.doc)]);
    const second = sourceProduct({ id: 'a02000000000002AAA', sku: 'GEAR-41' });
    const b = decideProduct(second, ctx);
    expect(b).toMatchObject({ kind: 'create', doc: { name: 'Brass Gear 40T (GEAR-41)' }, renamed: { otherSku: 'GEAR-40' } });
    const again = productContext();
    again.index.add([
      { id: '50', name: 'Brass Gear 40T', sku: 'GEAR-40' },
      { id: '51', name: 'Brass Gear 40T (GEAR-41)', sku: 'GEAR-41' },
    ]);
    expect([decideProduct(first, again), decideProduct(second, again)]).toMatchObject([
      { kind: 'match', targetId: '50', by: 'sku' },
      { kind: 'match', targetId: '51', by: 'sku' },
    ]);
  });

  it('when the renamed name is taken too, then the suffix is numbered, within the item name limit', () => {
    const ctx = productContext({ limits: { ...limits, itemName: 31 } });
    ctx.index.add([
      { id: '40', name: 'Brass Gear 40T', sku: 'OTHER' },
      { id: '42', name: 'Brass Gear 40T (GEAR-40)', sku: 'THIRD' },
    ]);
    const d = decideProduct(sourceProduct(), ctx);
    expect(d).toMatchObject({ kind: 'create', doc: { name: 'Brass Gear 40T (GEAR-40) 2' } });
  });
});

describe('invoice building', () => {
  it('when the invoice has lines, charges, a discount and tax, then all become lines and the total adds up', () => {
    const build = buildInvoice(
      sourceInvoice({ charges: { freight: 10, handling: 2.5, packaging: 1 }, discount: 5, tax: 3.2, total: 36.7 }),
      companyModel(),
      settings(),
      limits,
      refs,
    );
    if (!build.ok) throw new Error(build.message);
    expect(build.doc.lines.map((l) => [l.itemId, l.amount, l.taxable])).toEqual([
      ['7', 25, true],
      ['101', 10, false],
      ['102', 2.5, false],
      ['103', 1, false],
    ]);
    expect(build.doc.discount).toEqual({ amount: 5, account: '86' });
    expect(build.doc.tax).toBe(3.2);
    expect(build.expectedTotal).toBe(36.7);
    expect(build.doc.docNumber).toBe('NW-SI-000001');
    expect(readMarker(build.doc.privateNote)).toBe('a03000000000001AAA');
    const body = invoiceBody(build.doc);
    expect(body.Line.map((l: any) => [l.DetailType, l.Amount])).toEqual([
      ['SalesItemLineDetail', 25],
      ['SalesItemLineDetail', 10],
      ['SalesItemLineDetail', 2.5],
      ['SalesItemLineDetail', 1],
      ['DiscountLineDetail', 5],
    ]);
    expect(body.Line[0].SalesItemLineDetail.TaxCodeRef).toEqual({ value: 'TAX' });
    expect(body.Line[4].DiscountLineDetail.DiscountAccountRef).toEqual({ value: '86' });
    expect(body.TxnTaxDetail).toEqual({ TotalTax: 3.2 });
    expect(body.DocNumber).toBe('NW-SI-000001');
  });

  it('when a charge has no configured item, then the invoice fails and the fix names the setting', () => {
    const build = buildInvoice(
      sourceInvoice({ charges: { freight: 9, handling: null, packaging: null } }),
      companyModel({ chargeItems: { freight: null, handling: '102', packaging: '103' } }),
      settings(),
      limits,
      refs,
    );
    expect(build).toMatchObject({ ok: false, fix: expect.stringContaining('Freight Item Id') });
  });

  it('when the invoice has no date, then it fails naming the Invoice Date before anything is sent', () => {
    const build = buildInvoice(sourceInvoice({ number: 'SI-000042', date: null }), companyModel(), settings(), limits, refs);
    expect(build).toEqual({
      ok: false,
      message: 'Invoice SI-000042 was not exported: its Invoice Date is blank, and QuickBooks would date it the day it arrives.',
      fix: 'Enter the Invoice Date on the Sales Invoice, then export again.',
    });
  });

  it('when the number with prefix exceeds 21 characters, then it fails before anything is sent', () => {
    const build = buildInvoice(sourceInvoice({ number: 'SI-0000000000000001' }), companyModel({ numberPrefix: 'NORTHWIND-' }), settings(), limits, refs);
    expect(build).toMatchObject({ ok: false, message: expect.stringContaining('QuickBooks allows 21') });
  });

  it('when the target numbers invoices or custom numbers are off, then no number is sent (and QuickBooks is asked for its next)', () => {
    expect(docNumberFor(sourceInvoice(), companyModel({ numbering: 'target' }), settings())).toBeNull();
    expect(docNumberFor(sourceInvoice(), companyModel(), settings({ customNumbers: false }))).toBeNull();
    expect(docNumberFor(sourceInvoice(), companyModel({ numberSuffix: '-X' }), settings())).toBe('NW-SI-000001-X');
    const build = buildInvoice(sourceInvoice(), companyModel({ numbering: 'target' }), settings(), limits, refs);
    if (!build.ok) throw new Error(build.message);
    expect(invoiceBody(build.doc)).toMatchObject({ AutoDocNumber: true });
    expect(invoiceBody(build.doc).DocNumber).toBeUndefined();
  });

  it('when the invoice is in a foreign currency and multicurrency is off, then it fails with the fix', () => {
    expect(buildInvoice(sourceInvoice({ currency: 'EUR' }), companyModel(), settings(), limits, refs)).toMatchObject({
      ok: false,
      fix: expect.stringContaining('Multicurrency'),
    });
    expect(buildInvoice(sourceInvoice({ currency: 'EUR' }), companyModel(), settings({ multiCurrency: true }), limits, refs)).toMatchObject({
      ok: true,
      doc: { currency: 'EUR' },
    });
  });

  it('when a line product has no item, then the invoice fails naming the line', () => {
    const build = buildInvoice(sourceInvoice({ lines: [sourceLine({ lineNumber: 3 })] }), companyModel(), settings(), limits, {
      customerId: '1',
      itemFor: () => null,
    });
    expect(build).toMatchObject({ ok: false, message: expect.stringContaining('line 3') });
  });

  it('when the customer has no accounting id, then the invoice fails naming the customer', () => {
    expect(buildInvoice(sourceInvoice(), companyModel(), settings(), limits, { ...refs, customerId: null })).toMatchObject({
      ok: false,
      message: expect.stringContaining('Ada Lovelace'),
    });
  });

  it('when quantities are fractional, then line amounts are rounded to cents', () => {
    const build = buildInvoice(sourceInvoice({ lines: [sourceLine({ quantity: 2.5, unitPrice: 3.333 })] }), companyModel(), settings(), limits, refs);
    if (!build.ok) throw new Error(build.message);
    expect(build.doc.lines[0]!.amount).toBe(8.33);
  });

  it('when a line has a negative quantity, then the invoice is refused naming the line', () => {
    const build = buildInvoice(sourceInvoice({ lines: [sourceLine({ lineNumber: 2, quantity: -2 })] }), companyModel(), settings(), limits, refs);
    expect(build).toMatchObject({ ok: false, message: expect.stringMatching(/line 2 has a negative quantity \(-2\)/) });
  });

  it('when a line is free or the invoice totals zero, then it goes with a warning that says so', () => {
    const build = buildInvoice(sourceInvoice({ total: 0, lines: [sourceLine({ unitPrice: 0 })] }), companyModel(), settings(), limits, refs);
    expect(build).toMatchObject({ ok: true, expectedTotal: 0, warnings: ['line 1 (Brass Gear 40T) has a unit price of 0.00', 'the invoice totals 0.00'] });
  });

  it('when the discount is larger than the invoice, then it is refused', () => {
    expect(buildInvoice(sourceInvoice({ discount: 30 }), companyModel(), settings(), limits, refs)).toMatchObject({
      ok: false,
      message: expect.stringContaining('totals -5.00'),
    });
  });

  it('when the target caps lines per transaction, then a longer invoice is refused naming the cap', () => {
    const lines = Array.from({ length: 3 }, (_, i) => sourceLine({ id: `line${i}`, lineNumber: i + 1 }));
    expect(buildInvoice(sourceInvoice({ lines }), companyModel(), settings(), { ...limits, linesPerTransaction: 2 }, refs)).toMatchObject({
      ok: false,
      message: 'Invoice SI-000001 has 3 lines; QuickBooks accepts at most 2 lines on one invoice.',
    });
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

describe('bad customer data', () => {
  it('when a customer has no name at all, then it is refused before anything is sent', () => {
    const d = decideCustomer(sourceCustomer({ name: ' ', firstName: null, lastName: null, companyName: null }), customerContext());
    expect(d).toMatchObject({
      kind: 'fail',
      fix: 'Enter the Name (or First and Last Name, or Company Name) on the Customer record in Salesforce, then export again.',
    });
  });
});

describe('an invoice line on an item made inactive in QuickBooks', () => {
  it('when the product’s item is inactive, then the invoice is refused before sending, naming the product, the item and the fix', () => {
    const build = buildInvoice(sourceInvoice(), companyModel(), settings(), limits, {
      ...refs,
      inactiveItem: (id) => (id === '7' ? 'Brass Gear 40T (deleted)' : undefined),
    });
    expect(build).toMatchObject({
      ok: false,
      message: `Invoice SI-000001 was not exported: line 1's product "Brass Gear 40T" is linked to QuickBooks item 7 "Brass Gear 40T (deleted)", which is inactive in QuickBooks.`,
      fix: expect.stringContaining('Make item "Brass Gear 40T (deleted)" active again in QuickBooks, or clear the QuickBooks link'),
    });
  });
});
