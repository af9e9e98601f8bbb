// The pure decisions behind currencies, sales tax, classes and locations and admin-mapped fields.
import { customerCurrency, decideInvoiceCustomer, depositAccountRefusal, secondCustomerName, sourceExchangeRate } from '../../service/src/export/plan/currency';
import { applyMappings, checkMappings, type MappingTarget, type SourceFieldMapping } from '../../service/src/export/plan/fieldMappings';
import { lineTaxCodes, parseTaxCodeMapping, taxDifference, type TaxCodeContext } from '../../service/src/export/plan/tax';
import { namesNeeded, trackedNames, trackingRefs } from '../../service/src/export/plan/tracking';

describe('currency decisions', () => {
  it('when a customer has no currency of its own, then it takes its first invoice’s, else the home currency', () => {
    expect(customerCurrency('eur', 'GBP', 'USD')).toBe('EUR');
    expect(customerCurrency(null, 'GBP', 'USD')).toBe('GBP');
    expect(customerCurrency(' ', null, 'USD')).toBe('USD');
  });

  it('when the org keeps dated rates, then the rate is the latest on or before the date, as home units per unit', () => {
    const rates = {
      corporate: 'USD',
      dated: [
        { currency: 'EUR', rate: 0.9, startDate: '2026-09-01' },
        { currency: 'EUR', rate: 0.8, startDate: '2026-10-01' },
        { currency: 'GBP', rate: 0.75, startDate: '2026-09-01' },
      ],
    };
    expect(sourceExchangeRate(rates, 'EUR', 'USD', '2026-10-05')).toBe(1.25);
    expect(sourceExchangeRate(rates, 'EUR', 'USD', '2026-09-30')).toBe(1.111111);
    // Neither side is the corporate currency: both rates are against it.
    expect(sourceExchangeRate({ ...rates, corporate: 'CHF' }, 'EUR', 'GBP', '2026-10-05')).toBe(0.9375);
    expect(sourceExchangeRate(rates, 'EUR', 'USD', '2026-08-31')).toBeNull();
    expect(sourceExchangeRate(rates, 'JPY', 'USD', '2026-10-05')).toBeNull();
    expect(sourceExchangeRate(null, 'EUR', 'USD', '2026-10-05')).toBeNull();
  });

  it('when an invoice is in another currency than its QuickBooks customer, then it fails naming both, or goes to "Name (EUR)" per setting', () => {
    const customer = { id: '58', name: 'Brennan Optik GmbH', currency: 'EUR' };
    const none = () => undefined;
    const fail = decideInvoiceCustomer({ number: 'SI-1', currency: 'USD' }, customer, {
      secondCustomerPerCurrency: false,
      companyName: 'Meridian',
      maxName: 500,
      findByName: none,
    });
    expect(fail).toMatchObject({ kind: 'fail' });
    if (fail.kind === 'fail') {
      expect(fail.message).toContain('is in USD');
      expect(fail.message).toContain('"Brennan Optik GmbH" (id 58) is in EUR');
      expect(fail.fix).toContain('Second Customer Per Currency');
      expect(fail.fix).toContain('"Brennan Optik GmbH (USD)"');
    }
    const opts = { secondCustomerPerCurrency: true, companyName: 'Meridian', maxName: 500 };
    expect(decideInvoiceCustomer({ number: 'SI-1', currency: 'USD' }, customer, { ...opts, findByName: none })).toEqual({
      kind: 'second',
      customerId: null,
      name: 'Brennan Optik GmbH (USD)',
    });
    const held = { id: '90', name: 'Brennan Optik GmbH (USD)', currency: 'USD' };
    expect(decideInvoiceCustomer({ number: 'SI-1', currency: 'USD' }, customer, { ...opts, findByName: () => held })).toMatchObject({ customerId: '90' });
    expect(decideInvoiceCustomer({ number: 'SI-1', currency: 'EUR' }, customer, { ...opts, findByName: none })).toEqual({ kind: 'same', customerId: '58' });
    expect(secondCustomerName('x'.repeat(20), 'EUR', 12)).toBe('xxxxxx (EUR)');
  });

  it('when the deposit account is in a third currency, then the payment is refused naming the account', () => {
    expect(depositAccountRefusal('Payment P-1', 'EUR', 'USD', { id: '36', currency: 'GBP' }, 'Meridian')?.message).toContain('account 36 is in GBP');
    expect(depositAccountRefusal('Payment P-1', 'EUR', 'USD', { id: '35', currency: 'USD' }, 'Meridian')).toBeNull();
    expect(depositAccountRefusal('Payment P-1', 'EUR', 'USD', { id: '37', currency: 'EUR' }, 'Meridian')).toBeNull();
  });
});

describe('sales tax decisions', () => {
  const ctx = (text: string): TaxCodeContext => ({
    companyName: 'Maple',
    mapping: parseTaxCodeMapping(text).map,
    quickBooksCodes: new Map([
      ['hst on', '3'],
      ['gst', '4'],
      ['exempt', '5'],
    ]),
    defaultCode: 'HST',
    nonTaxableCode: 'Exempt',
  });

  it('when the mapping text has a line without "=", then it is named', () => {
    expect(parseTaxCodeMapping('HST = HST ON\n# comment\n\nGST').problems).toEqual(['line 4 "GST" is not "Salesforce code = QuickBooks tax code"']);
  });

  it('when lines take the product’s, the customer’s, the default and the non-taxable code, then each maps to its QuickBooks id', () => {
    const lines = [
      { lineNo: 1, productName: 'A', taxable: true, productCode: 'GST' },
      { lineNo: 2, productName: 'B', taxable: true, productCode: null },
      { lineNo: 3, productName: 'C', taxable: false, productCode: 'GST' },
    ];
    expect(lineTaxCodes('SI-1', null, lines, ctx('HST = HST ON\nGST = GST\nExempt = Exempt'))).toEqual({ ok: true, codes: ['4', '3', '5'] });
    expect(lineTaxCodes('SI-1', 'gst', lines, ctx('HST = HST ON\nGST = GST\nExempt = Exempt'))).toEqual({ ok: true, codes: ['4', '4', '5'] });
  });

  it('when a code has no mapping, or maps to a name QuickBooks lacks, then the invoice is refused with the line that adds it', () => {
    const lines = [{ lineNo: 1, productName: 'A', taxable: true, productCode: 'PST' }];
    const unmapped = lineTaxCodes('SI-1', null, lines, ctx('HST = HST ON'));
    expect(unmapped).toMatchObject({ ok: false, fix: expect.stringContaining('"PST = <QuickBooks tax code name>"') });
    const wrong = lineTaxCodes('SI-1', null, lines, ctx('PST = PST BC'));
    expect(wrong).toMatchObject({ ok: false, message: expect.stringContaining('"PST BC", which this QuickBooks company does not have') });
  });

  it('when QuickBooks’ tax differs by a cent, then the difference is said; equal amounts say nothing', () => {
    expect(taxDifference(1.67, 1.66)).toBe('QuickBooks computed 1.67 tax where Salesforce has 1.66 (+0.01)');
    expect(taxDifference(1.66, 1.66)).toBeNull();
  });
});

describe('class and location decisions', () => {
  const invoice = { className: 'Retail', location: 'Boston', lines: [{ className: null }, { className: 'Wholesale' }] };

  it('when classes are tracked per line, then lines without their own take the invoice’s; untracked names are listed', () => {
    expect(trackedNames(invoice, { classTracking: 'line', trackLocations: true })).toEqual({
      className: null,
      lineClasses: ['Retail', 'Wholesale'],
      location: 'Boston',
      untracked: [],
    });
    expect(trackedNames(invoice, { classTracking: 'off', trackLocations: false }).untracked).toEqual(['class "Retail"', 'location "Boston"']);
    expect(namesNeeded([trackedNames(invoice, { classTracking: 'line', trackLocations: true })])).toEqual({
      classes: ['Retail', 'Wholesale'],
      locations: ['Boston'],
    });
  });

  it('when a name is missing from QuickBooks, then the invoice is refused naming it and the setting that creates it', () => {
    const names = trackedNames(invoice, { classTracking: 'transaction', trackLocations: true });
    const lists = { classes: new Map([['retail', '1']]), locations: new Map<string, string>() };
    expect(trackingRefs('SI-1', names, lists, 'Meridian')).toMatchObject({
      ok: false,
      message: 'Invoice SI-1 was not exported: QuickBooks has no location "Boston".',
      fix: expect.stringContaining('Create Missing Classes and Locations'),
    });
    lists.locations.set('boston', '7');
    expect(trackingRefs('SI-1', names, lists, 'Meridian')).toEqual({ ok: true, classId: '1', lineClassIds: [null, null], locationId: '7' });
  });
});

describe('field mapping decisions', () => {
  const online: MappingTarget = {
    system: 'QuickBooks Online',
    fields: {
      Memo: { kind: 'text', max: 1000 },
      ShipDate: { kind: 'date', max: 10 },
      TrackingNum: { kind: 'text', max: 31 },
      CustomField: { kind: 'text', max: 31 },
    },
    customFields: [{ id: '2', name: 'P.O. Number' }],
  };
  const mapping = (over: Partial<SourceFieldMapping>): SourceFieldMapping => ({
    name: 'PO',
    object: 'Sales_Invoice__c',
    field: 'PO_Number__c',
    fieldType: 'text',
    quickBooksField: 'CustomField:P.O. Number',
    ...over,
  });

  it('when mappings name unknown fields or a type the QuickBooks field cannot hold, then each problem is named', () => {
    const check = checkMappings(
      [
        mapping({ name: 'A', field: 'Nope__c', fieldType: null }),
        mapping({ name: 'B', quickBooksField: 'CustomField:Crew #' }),
        mapping({ name: 'C', quickBooksField: 'PONumber' }),
        mapping({ name: 'D', field: 'Memo__c', quickBooksField: 'ShipDate' }),
        mapping({ name: 'E', object: 'Customer__c' }),
      ],
      online,
    );
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.problems).toEqual([
        'Field mapping "A" (Sales_Invoice__c.Nope__c → CustomField:P.O. Number): Sales_Invoice__c has no field Nope__c.',
        'Field mapping "B" (Sales_Invoice__c.PO_Number__c → CustomField:Crew #): this QuickBooks Online company has no custom field "Crew #" in use (it has "P.O. Number").',
        'Field mapping "C" (Sales_Invoice__c.PO_Number__c → PONumber): QuickBooks Online has no field "PONumber" a mapping can fill (it takes Memo, ShipDate, TrackingNum, CustomField:<name>).',
        'Field mapping "D" (Sales_Invoice__c.Memo__c → ShipDate): a text field cannot fill ShipDate, which holds a date.',
        'Field mapping "E" (Customer__c.PO_Number__c → CustomField:P.O. Number): only Sales_Invoice__c fields can be mapped.',
      ]);
    }
  });

  it('when mappings are good, then each invoice’s values land on their fields, cut to fit with the cut named', () => {
    const check = checkMappings([mapping({}), mapping({ name: 'T', field: 'Tracking__c', quickBooksField: 'TrackingNum' })], online);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    const { fields, shortened } = applyMappings(check.mappings, { PO_Number__c: 'PO-4471', Tracking__c: `1Z${'9'.repeat(40)}` });
    expect(fields.customFields).toEqual([{ definitionId: '2', name: 'P.O. Number', value: 'PO-4471' }]);
    expect(fields.trackingNum).toHaveLength(31);
    expect(shortened).toHaveLength(1);
    expect(shortened[0]).toContain('TrackingNum (from Tracking__c)');
  });
});
