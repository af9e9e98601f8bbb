// QuickBooks Desktop's lock (seed 003: an accepted invoice is "no longer editable in any way"), tested against the
// org's validation rules as written in force-app: the Salesforce emulator evaluates them with a formula engine on
// every update. Each field of an accepted Desktop invoice, and each field of its lines, is changed through the REST
// API and refused; what the export itself writes (the acceptance, a credit memo's later application) goes through.
import { startEmulator, type Emulator } from './sf-helpers';

const LOCKED = 'QuickBooks Desktop accepted this invoice, so it is locked in Salesforce. Make any change to it in QuickBooks.';
const LINE_LOCKED = 'QuickBooks Desktop accepted this invoice, so its lines are locked in Salesforce. Make any change in QuickBooks.';
/** What the export writes after QuickBooks accepted the invoice: not something that was sent. */
// Written after acceptance: a credit memo's application, an export error, and QuickBooks' status of the invoice.
const STATUS_SYNC_FIELDS = ['QuickBooks_Balance__c', 'Paid_Status__c', 'Last_Payment_Date__c', 'QuickBooks_Total__c', 'QuickBooks_Synced_At__c'];
const WRITTEN_LATER = new Set(['Financial_System_Application_Id__c', 'Last_Export_Error__c', ...STATUS_SYNC_FIELDS]);

describe('when QuickBooks Desktop accepted an invoice and someone edits it in the org', () => {
  let emu: Emulator;
  const ids = {
    desktop: 'a00000000000001AAA',
    online: 'a00000000000002AAA',
    ada: 'a01000000000001AAA',
    grace: 'a01000000000002AAA',
    product: 'a02000000000001AAA',
    product2: 'a02000000000002AAA',
    accepted: 'a03000000000001AAA',
    other: 'a03000000000002AAA',
    onlineInvoice: 'a03000000000003AAA',
    pending: 'a03000000000004AAA',
    line: 'a04000000000001AAA',
  };
  let describe: { fields: { name: string; type: string; custom: boolean; updateable: boolean; length: number; picklistValues: { value: string }[] }[] };

  beforeAll(async () => {
    emu = await startEmulator();
    const prefix = async (object: string) => (await emu.api('GET', `/sobjects/${object}/describe`)).body.keyPrefix as string;
    const keyed = async (object: string, id: string) => `${await prefix(object)}${id.slice(3)}`;
    for (const [key, object] of [
      ['desktop', 'Company__c'],
      ['online', 'Company__c'],
      ['ada', 'Customer__c'],
      ['grace', 'Customer__c'],
      ['product', 'Product__c'],
      ['product2', 'Product__c'],
      ['accepted', 'Sales_Invoice__c'],
      ['other', 'Sales_Invoice__c'],
      ['onlineInvoice', 'Sales_Invoice__c'],
      ['pending', 'Sales_Invoice__c'],
      ['line', 'Sales_Invoice_Line__c'],
    ] as const)
      ids[key] = await keyed(object, ids[key]);
    const invoice = (id: string, company: string, over: Record<string, unknown> = {}) => ({
      Id: id,
      Name: `SI-${id.slice(-6)}`,
      Company__c: company,
      Customer__c: ids.ada,
      Approved__c: true,
      Transferred__c: true,
      Export_Status__c: 'Exported',
      Invoice_Type__c: 'Invoice',
      Status__c: 'Open',
      Invoice_Date__c: '2026-10-01',
      Due_Date__c: '2026-10-31',
      Terms__c: 'Net 30',
      Currency_Code__c: 'USD',
      Freight__c: 10,
      Handling__c: 0,
      Packaging__c: 0,
      Order_Discount__c: 0,
      Tax_Amount__c: 0,
      Total_Amount__c: 110,
      PO_Number__c: 'PO-1',
      Memo__c: 'As agreed',
      Financial_System_Invoice_Id__c: '1A-1790000000',
      Financial_System_Invoice_Number__c: `SI-${id.slice(-6)}`,
      ...over,
    });
    await emu.seed({
      Company__c: [
        { Id: ids.desktop, Name: 'Cedar Ridge Supply', Accounting_System__c: 'Desktop' },
        { Id: ids.online, Name: 'Northwind Trading Co.', Accounting_System__c: 'Online' },
      ],
      Customer__c: [
        { Id: ids.ada, Name: 'Ada Lovelace' },
        { Id: ids.grace, Name: 'Grace Hopper' },
      ],
      Product__c: [
        { Id: ids.product, Name: 'Cedar Board', Company__c: ids.desktop },
        { Id: ids.product2, Name: 'Post Anchor', Company__c: ids.desktop },
      ],
      Sales_Invoice__c: [
        invoice(ids.accepted, ids.desktop),
        invoice(ids.other, ids.desktop),
        invoice(ids.onlineInvoice, ids.online),
        invoice(ids.pending, ids.desktop, { Transferred__c: false, Export_Status__c: 'Pending Sync', Financial_System_Invoice_Id__c: null }),
      ],
      Sales_Invoice_Line__c: [
        {
          Id: ids.line,
          Sales_Invoice__c: ids.accepted,
          Product__c: ids.product,
          Line_Number__c: 1,
          Quantity__c: 1,
          Unit_Price__c: 100,
          Description__c: 'Board',
          Taxable__c: false,
        },
      ],
    });
    describe = (await emu.api('GET', '/sobjects/Sales_Invoice__c/describe')).body;
  });
  afterAll(() => emu?.close());

  /** Another value of the field's type than the seeded one. */
  function changed(field: { name: string; type: string; length: number; picklistValues: { value: string }[] }, current: unknown): unknown {
    switch (field.type) {
      case 'boolean':
        return !current;
      case 'double':
      case 'currency':
      case 'percent':
        return Number(current ?? 0) + 1;
      case 'date':
        return current === '2026-10-02' ? '2026-10-03' : '2026-10-02';
      case 'picklist':
        return field.picklistValues.map((p) => p.value).find((v) => v !== current);
      case 'reference':
        return field.name === 'Customer__c' ? ids.grace : field.name === 'Company__c' ? ids.online : ids.other;
      default:
        return `${String(current ?? '')}X`.slice(-Math.max(1, field.length));
    }
  }

  it('then a change to any field that was sent (number, type, status, applies-to, amounts, dates, export state) is refused by the rule', async () => {
    const [row] = (await emu.records('Sales_Invoice__c')).filter((r) => r.Id === ids.accepted);
    const fields = describe.fields.filter((f) => f.updateable && (f.custom || f.name === 'Name') && !WRITTEN_LATER.has(f.name));
    expect(fields.map((f) => f.name)).toEqual(expect.arrayContaining(['Name', 'Invoice_Type__c', 'Status__c', 'Applies_To_Invoice__c', 'Total_Amount__c']));
    const outcomes = [];
    for (const field of fields) {
      const res = await emu.api('PATCH', `/sobjects/Sales_Invoice__c/${ids.accepted}`, { [field.name]: changed(field, row![field.name]) });
      outcomes.push([field.name, res.status, res.body?.[0]?.errorCode, res.body?.[0]?.message]);
    }
    expect(outcomes).toEqual(fields.map((f) => [f.name, 400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', LOCKED]));
    const [after] = (await emu.records('Sales_Invoice__c')).filter((r) => r.Id === ids.accepted);
    expect(after).toEqual(row);
  });

  it('then a change to a line, or a new line, of the accepted invoice is refused', async () => {
    const line = (await emu.api('GET', '/sobjects/Sales_Invoice_Line__c/describe')).body;
    const [row] = (await emu.records('Sales_Invoice_Line__c')).filter((r) => r.Id === ids.line);
    const fields = line.fields.filter((f: any) => f.updateable && f.custom);
    for (const field of fields) {
      const value = field.name === 'Product__c' ? ids.product2 : changed(field, row![field.name]);
      const res = await emu.api('PATCH', `/sobjects/Sales_Invoice_Line__c/${ids.line}`, { [field.name]: value });
      expect([field.name, res.status, res.body?.[0]?.message]).toEqual([field.name, 400, LINE_LOCKED]);
    }
    const added = await emu.api('POST', '/sobjects/Sales_Invoice_Line__c', {
      Sales_Invoice__c: ids.accepted,
      Product__c: ids.product,
      Quantity__c: 1,
      Unit_Price__c: 5,
    });
    expect([added.status, added.body?.[0]?.errorCode]).toEqual([400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION']);
  });

  it('then what the export writes goes through: the acceptance of a pending invoice, a credit memo’s application, and any edit of an Online company’s invoice', async () => {
    const accept = await emu.api('PATCH', `/sobjects/Sales_Invoice__c/${ids.pending}`, {
      Transferred__c: true,
      Export_Status__c: 'Exported',
      Financial_System_Invoice_Id__c: '2B-1790000001',
      Financial_System_Invoice_Number__c: 'SI-000004',
      Last_Export_Error__c: null,
    });
    expect(accept.status).toBe(204);
    const applied = await emu.api('PATCH', `/sobjects/Sales_Invoice__c/${ids.accepted}`, { Financial_System_Application_Id__c: '3C-1790000002' });
    expect(applied.status).toBe(204);
    // The status sync brings QuickBooks' balance and payments back onto an accepted invoice.
    const synced = await emu.api('PATCH', `/sobjects/Sales_Invoice__c/${ids.accepted}`, {
      QuickBooks_Balance__c: 0,
      Paid_Status__c: 'Paid',
      Last_Payment_Date__c: '2026-10-05',
      QuickBooks_Total__c: 120,
      QuickBooks_Synced_At__c: '2026-10-05T10:00:00.000Z',
    });
    expect([synced.status, synced.body]).toEqual([204, null]);
    const online = await emu.api('PATCH', `/sobjects/Sales_Invoice__c/${ids.onlineInvoice}`, { Memo__c: 'Changed', Status__c: 'Paid' });
    expect(online.status).toBe(204);
    // Once accepted, the formerly pending invoice is locked too.
    const edit = await emu.api('PATCH', `/sobjects/Sales_Invoice__c/${ids.pending}`, { Memo__c: 'Changed later' });
    expect([edit.status, edit.body?.[0]?.message]).toEqual([400, LOCKED]);
  });
});
