// The demo data set checked against the data model contract (force-app metadata when present, else
// docs/data-model.md) and against the facts it promises tests: every record is well-formed, totals add up to the
// cent, and every tricky case exists and really carries its trait.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { generateDemoData } from '../../scripts/demo/generate';
import { KEY_PREFIXES, isValidSalesforceId, makeSalesforceId, salesforceIdChecksum, toId18 } from '../../scripts/demo/ids';
import type { DemoData, QboEntity, QboRealmSeed, SalesforceRecord } from '../../scripts/demo/types';
import { parseSeedArgs, summarize } from '../../scripts/seed';

const ROOT = join(__dirname, '..', '..');
const OBJECTS_DIR = join(ROOT, 'force-app', 'main', 'default', 'objects');

// ------------------------------------------------------------------------------------------ data model contract
interface FieldSpec {
  type: string;
  length?: number;
  scale?: number;
  referenceTo?: string;
  values?: string[];
}
type ObjectSchema = Map<string, FieldSpec>;

const STANDARD_FIELDS: Array<[string, FieldSpec]> = [
  ['Id', { type: 'Id' }],
  ['Name', { type: 'Text', length: 80 }],
  ['CreatedDate', { type: 'DateTime' }],
  ['LastModifiedDate', { type: 'DateTime' }],
];

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

/** Field specs from force-app/main/default/objects/<Object>/fields/*.field-meta.xml. */
function schemaFromMetadata(objectName: string): ObjectSchema | undefined {
  const dir = join(OBJECTS_DIR, objectName, 'fields');
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir).filter((f) => f.endsWith('.field-meta.xml'));
  if (files.length === 0) return undefined;
  const schema: ObjectSchema = new Map(STANDARD_FIELDS);
  for (const file of files) {
    const xml = readFileSync(join(dir, file), 'utf8');
    const length = tag(xml, 'length');
    const scale = tag(xml, 'scale');
    const values = [...xml.matchAll(/<value>\s*<fullName>([^<]*)<\/fullName>/g)].map((m) => m[1]);
    schema.set(tag(xml, 'fullName')!, {
      type: tag(xml, 'type')!,
      length: length ? Number(length) : undefined,
      scale: scale ? Number(scale) : undefined,
      referenceTo: tag(xml, 'referenceTo'),
      values: values.length ? values : undefined,
    });
  }
  return schema;
}

/** Field specs from the tables of docs/data-model.md ("| Field_A__c, Field_B__c | Text(80/40) |"). */
function schemaFromMarkdown(objectName: string): ObjectSchema {
  const markdown = readFileSync(join(ROOT, 'docs', 'data-model.md'), 'utf8');
  const section = markdown.split(/^## /m).find((s) => s.startsWith(`${objectName} `) || s.startsWith(`${objectName}\n`));
  if (!section) throw new Error(`docs/data-model.md has no section for ${objectName}`);
  const schema: ObjectSchema = new Map(STANDARD_FIELDS);
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || /^(field|---)/.test(cells[1])) continue;
    const names = cells[1]
      .split(/[,/]/)
      .map((n) => n.trim())
      .filter((n) => /^[A-Za-z_]+$/.test(n));
    const type = cells[2];
    const base = /^([A-Za-z]+)/.exec(type)?.[1] ?? type;
    const lengths = /^(?:Text|TextArea|LongTextArea)\(([\d/]+)/.exec(type)?.[1].split('/').map(Number);
    const numberScale = /^(?:Number|Currency)\(\d+,(\d+)\)/.exec(type)?.[1];
    const reference = /^(?:Lookup|MasterDetail)\((\w+)\)/.exec(type)?.[1];
    const values = type.startsWith('Picklist') ? [...type.matchAll(/`([^`]+)`/g)].map((m) => m[1]) : undefined;
    names.forEach((name, i) => {
      schema.set(name, {
        type: base,
        length: lengths ? (lengths[i] ?? lengths[0]) : undefined,
        scale: numberScale !== undefined ? Number(numberScale) : base === 'Number' ? 0 : undefined,
        referenceTo: reference,
        values,
      });
    });
  }
  return schema;
}

const schemaCache = new Map<string, ObjectSchema>();
function schemaOf(objectName: string): ObjectSchema {
  let schema = schemaCache.get(objectName);
  if (!schema) {
    schema = schemaFromMetadata(objectName) ?? schemaFromMarkdown(objectName);
    schemaCache.set(objectName, schema);
  }
  return schema;
}

/** Everything wrong with one value against its field spec (empty when it fits). */
function valueProblems(spec: FieldSpec, value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const problems: string[] = [];
  const decimals = (n: number) => (String(n).split('.')[1] ?? '').length;
  switch (spec.type) {
    case 'Id':
    case 'Lookup':
    case 'MasterDetail':
      if (!isValidSalesforceId(value)) problems.push('not an 18-character id');
      break;
    case 'Checkbox':
      if (typeof value !== 'boolean') problems.push('not a boolean');
      break;
    case 'Date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) problems.push('not a YYYY-MM-DD date');
      break;
    case 'Currency':
    case 'Number':
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push('not a number');
      else if (decimals(value) > (spec.scale ?? (spec.type === 'Currency' ? 2 : 0))) problems.push(`too many decimals`);
      break;
    case 'Picklist':
      if (!spec.values?.includes(value as string)) problems.push(`not one of ${spec.values?.join(', ')}`);
      break;
    case 'Email':
      if (typeof value !== 'string' || !/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(value) || value.length > 80)
        problems.push('not an email of at most 80 characters');
      break;
    case 'Phone':
      if (typeof value !== 'string' || value.length > 40) problems.push('not a phone of at most 40 characters');
      break;
    default: {
      if (typeof value !== 'string') problems.push('not a string');
      const max = spec.length ?? (spec.type === 'TextArea' ? 255 : undefined);
      if (max !== undefined && String(value).length > max) problems.push(`longer than ${max}`);
    }
  }
  return problems;
}

// ------------------------------------------------------------------------------------------ helpers
const nameKey = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
const personName = (r: SalesforceRecord) => [r.First_Name__c, r.Last_Name__c].filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(' ');

/** Exact decimal -> integer units, without floating point: "2.475" at 3 places -> 2475n. */
function units(value: number, places: number): bigint {
  const [whole, fraction = ''] = value.toString().split('.');
  if (fraction.length > places) throw new Error(`${value} has more than ${places} decimals`);
  const sign = whole.startsWith('-') ? -1n : 1n;
  return sign * (BigInt(whole.replace('-', '')) * 10n ** BigInt(places) + BigInt(fraction.padEnd(places, '0')));
}
/** quantity x price in cents, rounded half up (decimal arithmetic, independent of the generator's). */
function lineCents(quantity: number, unitPrice: number): bigint {
  const micro = units(quantity, 4) * units(unitPrice, 2); // 1e-6 dollars
  return (micro + 5_000n) / 10_000n;
}
const cents = (value: unknown) => (value === null || value === undefined ? 0n : units(value as number, 2));

function byId(data: DemoData): Map<string, { object: string; record: SalesforceRecord }> {
  const index = new Map<string, { object: string; record: SalesforceRecord }>();
  for (const [object, records] of Object.entries(data.salesforce.records)) {
    for (const record of records) index.set(record.Id, { object, record });
  }
  return index;
}

function realmOf(data: DemoData, realmId: string): QboRealmSeed {
  const realm = data.quickbooks.realms.find((r) => r.realmId === realmId);
  if (!realm) throw new Error(`no realm ${realmId}`);
  return realm;
}

/** The customer match cascade the export applies: email -> display name -> company name + city. */
function cascadeCustomers(customers: SalesforceRecord[], qbo: QboEntity[]) {
  const byEmail = new Map<string, QboEntity>();
  const byName = new Map<string, QboEntity>();
  const byCompanyCity = new Map<string, QboEntity>();
  for (const c of qbo) {
    if (c.PrimaryEmailAddr?.Address) byEmail.set(c.PrimaryEmailAddr.Address.toLowerCase(), c);
    byName.set(nameKey(c.DisplayName), c);
    if (c.CompanyName && c.BillAddr?.City) byCompanyCity.set(`${nameKey(c.CompanyName)}|${nameKey(c.BillAddr.City)}`, c);
  }
  const result = { email: [] as string[], name: [] as string[], companyCity: [] as string[], qboIds: {} as Record<string, string> };
  for (const r of customers) {
    const email = typeof r.Email__c === 'string' ? byEmail.get(r.Email__c.toLowerCase()) : undefined;
    const person = personName(r);
    const name = person ? byName.get(nameKey(person)) : undefined;
    const company =
      typeof r.Company_Name__c === 'string' && typeof r.Billing_City__c === 'string'
        ? byCompanyCity.get(`${nameKey(r.Company_Name__c)}|${nameKey(r.Billing_City__c)}`)
        : undefined;
    const [kind, hit] = email ? ['email', email] : name ? ['name', name] : company ? ['companyCity', company] : [null, null];
    if (kind && hit) {
      result[kind as 'email' | 'name' | 'companyCity'].push(r.Id);
      result.qboIds[r.Id] = hit.Id;
    }
  }
  return result;
}

// ------------------------------------------------------------------------------------------ tests
describe('Salesforce ids', () => {
  it('when given known 15-character ids, then the checksum suffix is the one Salesforce computes', () => {
    const known: Array<[string, string]> = [
      ['a01M00000062mPg', 'IAI'],
      ['001M000000qfPyS', 'IAU'],
      ['a0FE000000D6r3F', 'MAR'],
      ['0F9E000000092w2', 'KAA'],
      ['a0RE000000IJmcN', 'MAT'],
      ['a0D30000001n7Pi', 'EAI'],
      ['aaaaaaaaaaaaaaa', 'AAA'],
    ];
    for (const [id15, suffix] of known) {
      expect(salesforceIdChecksum(id15)).toBe(suffix);
      expect(toId18(id15)).toBe(id15 + suffix);
    }
  });

  it('when ids are made, then they are valid, distinct, keep their prefix and sort in creation order', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => makeSalesforceId('a03', i + 1));
    expect(ids.every((id) => isValidSalesforceId(id) && id.startsWith('a03'))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(isValidSalesforceId(ids[42].slice(0, 15) + 'AAA')).toBe(ids[42].endsWith('AAA'));
    expect(() => makeSalesforceId('a0', 1)).toThrow();
    expect(() => makeSalesforceId('a03', -1)).toThrow();
  });
});

describe('generateDemoData', () => {
  const data = generateDemoData();
  const records = data.salesforce.records;
  const index = byId(data);
  const { primaryCompanyId, secondaryCompanyId } = data.facts;
  const companyIds = [primaryCompanyId, secondaryCompanyId];
  const companyOf = (companyId: string) => index.get(companyId)!.record;
  const realmOfCompany = (companyId: string) => realmOf(data, String(companyOf(companyId).QuickBooks_Realm_Id__c));
  const referenceMs = Date.parse(data.facts.referenceDate);

  it('when called twice with the same seed, then the data is identical; with another seed, it differs', () => {
    expect(JSON.stringify(generateDemoData({ seed: 42 }))).toBe(JSON.stringify(data));
    expect(JSON.stringify(generateDemoData({ seed: 7, invoices: 300 }))).toBe(JSON.stringify(generateDemoData({ seed: 7, invoices: 300 })));
    const other = generateDemoData({ seed: 43 });
    expect(JSON.stringify(other.salesforce)).not.toBe(JSON.stringify(data.salesforce));
    expect(other.facts.realmIds).not.toEqual(data.facts.realmIds);
  });

  it('when defaults are used, then the sizes are the documented ones', () => {
    expect(records.Company__c).toHaveLength(2);
    // 60 invoices, and the connected company's credit memo.
    expect(records.Sales_Invoice__c).toHaveLength(61);
    expect(records.Sales_Invoice__c.filter((i) => i.Invoice_Type__c === 'Credit Memo')).toHaveLength(1);
    expect(records.Customer__c).toHaveLength(20);
    expect(records.Product__c).toHaveLength(30);
    const perInvoice = new Map<string, number>();
    for (const line of records.Sales_Invoice_Line__c) perInvoice.set(String(line.Sales_Invoice__c), (perInvoice.get(String(line.Sales_Invoice__c)) ?? 0) + 1);
    expect(Math.min(...perInvoice.values())).toBeGreaterThanOrEqual(1);
    expect(Math.max(...perInvoice.values())).toBeLessThanOrEqual(5);
    expect(records.Payment__c.length).toBeGreaterThan(0);
  });

  it('when the options ask for fewer customers or products than the tricky cases need, then the minimum is kept', () => {
    const small = generateDemoData({ invoices: 3, customers: 2, productsPerCompany: 1, linesPerInvoice: [2, 2] });
    expect(small.salesforce.records.Customer__c).toHaveLength(12);
    expect(small.salesforce.records.Product__c).toHaveLength(12);
    expect(small.salesforce.records.Sales_Invoice_Line__c).toHaveLength(6);
    expect(small.facts.expected[small.facts.primaryCompanyId].docNumberCollision?.invoiceName).toBe('SI-000003');
    expect(() => generateDemoData({ linesPerInvoice: [3, 1] })).toThrow();
  });

  it('when an org numbers its objects differently, then the ids use the key prefixes it is given', () => {
    const custom = generateDemoData({ invoices: 5, keyPrefixes: { Company__c: 'aPp', Sales_Invoice__c: 'aUk' } });
    expect(custom.salesforce.records.Company__c.every((r) => r.Id.startsWith('aPp') && isValidSalesforceId(r.Id))).toBe(true);
    expect(custom.salesforce.records.Sales_Invoice__c.every((r) => r.Id.startsWith('aUk') && r.Company__c !== undefined)).toBe(true);
    expect(custom.salesforce.records.Customer__c[0].Id.startsWith(KEY_PREFIXES.Customer__c)).toBe(true);
    expect(() => generateDemoData({ keyPrefixes: { Company__c: 'a01' } })).toThrow(/differ/);
    expect(() => generateDemoData({ keyPrefixes: { Company__c: 'a-1' } })).toThrow();
  });

  it('when the seed CLI arguments are parsed, then they become generator options', () => {
    expect(parseSeedArgs(['--invoices', '500', '--seed', '7', '--lines', '2-4', '--out', 'd.json', '--sf', 'http://127.0.0.1:4020'])).toEqual({
      options: { seed: 7, invoices: 500, customers: undefined, productsPerCompany: undefined, linesPerInvoice: [2, 4] },
      out: 'd.json',
      sfUrl: 'http://127.0.0.1:4020',
      qboUrl: undefined,
    });
    expect(() => parseSeedArgs(['--invoices', 'many'])).toThrow(/--invoices/);
    expect(() => parseSeedArgs(['--lines', '5'])).toThrow(/--lines/);
    expect(summarize(data, 12)).toContain('NW-SI-000007 already in QuickBooks');
  });

  it('when any record is read, then its Id is a valid 18-character id with its object key prefix, unique overall', () => {
    const seen = new Set<string>();
    for (const [object, rows] of Object.entries(records)) {
      const prefix = KEY_PREFIXES[object as keyof typeof KEY_PREFIXES];
      expect(prefix).toBeDefined();
      for (const row of rows) {
        expect(isValidSalesforceId(row.Id)).toBe(true);
        expect(row.Id.startsWith(prefix)).toBe(true);
        expect(seen.has(row.Id)).toBe(false);
        seen.add(row.Id);
      }
    }
  });

  it('when any field is read, then it exists in the data model for that object and its value fits the field', () => {
    const problems: string[] = [];
    for (const [object, rows] of Object.entries(records)) {
      const schema = schemaOf(object);
      for (const row of rows) {
        for (const [field, value] of Object.entries(row)) {
          const spec = schema.get(field);
          if (!spec) problems.push(`${object}.${field} is not in the data model`);
          else for (const p of valueProblems(spec, value)) problems.push(`${object}.${field} of ${row.Id}: ${p} (${JSON.stringify(value)})`);
        }
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('when a lookup is followed, then it reaches an existing record of the object the model names', () => {
    const problems: string[] = [];
    for (const [object, rows] of Object.entries(records)) {
      const lookups = [...schemaOf(object)].filter(([, spec]) => spec.referenceTo);
      for (const row of rows) {
        for (const [field, spec] of lookups) {
          const value = row[field];
          if (value === null || value === undefined) {
            if (spec.type === 'MasterDetail') problems.push(`${object}.${field} of ${row.Id} is empty`);
            continue;
          }
          const target = index.get(String(value));
          if (target?.object !== spec.referenceTo) problems.push(`${object}.${field} of ${row.Id} -> ${String(value)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    for (const [object, field] of [
      ['Product__c', 'Company__c'],
      ['Sales_Invoice__c', 'Company__c'],
      ['Sales_Invoice__c', 'Customer__c'],
      ['Sales_Invoice_Line__c', 'Sales_Invoice__c'],
      ['Sales_Invoice_Line__c', 'Product__c'],
      ['Payment__c', 'Sales_Invoice__c'],
    ]) {
      expect(records[object].every((r) => isValidSalesforceId(r[field]))).toBe(true);
    }
  });

  it('when an invoice line is read, then its product belongs to the invoice company', () => {
    for (const line of records.Sales_Invoice_Line__c) {
      const invoice = index.get(String(line.Sales_Invoice__c))!.record;
      const product = index.get(String(line.Product__c))!.record;
      expect(product.Company__c).toBe(invoice.Company__c);
    }
  });

  it('when totals are recomputed in exact decimals, then every invoice adds up to the cent', () => {
    const linesByInvoice = new Map<string, SalesforceRecord[]>();
    for (const line of records.Sales_Invoice_Line__c) {
      const list = linesByInvoice.get(String(line.Sales_Invoice__c)) ?? [];
      list.push(line);
      linesByInvoice.set(String(line.Sales_Invoice__c), list);
    }
    for (const invoice of records.Sales_Invoice__c) {
      const lines = linesByInvoice.get(invoice.Id)!;
      expect(lines.map((l) => l.Line_Number__c)).toEqual(lines.map((_, i) => i + 1));
      const subtotal = lines.reduce((sum, l) => sum + lineCents(l.Quantity__c as number, l.Unit_Price__c as number), 0n);
      const total =
        subtotal +
        cents(invoice.Freight__c) +
        cents(invoice.Handling__c) +
        cents(invoice.Packaging__c) -
        cents(invoice.Order_Discount__c) +
        cents(invoice.Tax_Amount__c);
      expect(cents(invoice.Total_Amount__c)).toBe(total);
      expect(total > 0n).toBe(true);
    }
    const fractional = records.Sales_Invoice_Line__c.filter((l) => !Number.isInteger(l.Quantity__c));
    expect(fractional.length).toBeGreaterThan(0);
    for (const field of ['Freight__c', 'Handling__c', 'Packaging__c', 'Order_Discount__c', 'Tax_Amount__c']) {
      const values = records.Sales_Invoice__c.map((i) => i[field]);
      expect(values.some((v) => typeof v === 'number' && v > 0)).toBe(true);
      expect(values.some((v) => v === 0 || v === null)).toBe(true);
    }
  });

  it('when invoices are read, then names are unique, dates fall in the 90 days before the reference date, and state is unexported', () => {
    const names = records.Sales_Invoice__c.map((i) => i.Name);
    expect(new Set(names).size).toBe(names.length);
    for (const invoice of records.Sales_Invoice__c) {
      expect(invoice.Name).toMatch(/^SI-\d{6}$/);
      const invoiceMs = Date.parse(String(invoice.Invoice_Date__c));
      expect(invoiceMs).toBeLessThan(referenceMs);
      expect(invoiceMs).toBeGreaterThanOrEqual(referenceMs - 90 * 86_400_000);
      expect(Date.parse(String(invoice.Due_Date__c))).toBeGreaterThanOrEqual(invoiceMs);
      expect(invoice).toMatchObject({ Transferred__c: false, Export_Status__c: 'Not Exported', Currency_Code__c: 'USD' });
    }
    const approved = records.Sales_Invoice__c.map((i) => i.Approved__c);
    expect(approved.filter(Boolean).length).toBeGreaterThan(approved.length / 2);
    expect(approved.some((a) => a === false)).toBe(true);
    for (const company of companyIds) expect(records.Sales_Invoice__c.some((i) => i.Company__c === company && i.Approved__c)).toBe(true);
  });

  it('when payments are read, then they sit on approved invoices, never exceed the total, and carry unique references', () => {
    const paid = new Map<string, bigint>();
    for (const payment of records.Payment__c) {
      const invoice = index.get(String(payment.Sales_Invoice__c))!.record;
      expect(invoice.Approved__c).toBe(true);
      expect(String(payment.Payment_Date__c) >= String(invoice.Invoice_Date__c)).toBe(true);
      expect(String(payment.Payment_Date__c) <= data.facts.referenceDate).toBe(true);
      paid.set(invoice.Id, (paid.get(invoice.Id) ?? 0n) + cents(payment.Amount__c));
    }
    for (const [invoiceId, amount] of paid) expect(amount <= cents(index.get(invoiceId)!.record.Total_Amount__c)).toBe(true);
    const references = records.Payment__c.map((p) => p.Reference__c);
    expect(new Set(references).size).toBe(references.length);
  });

  it('when customers and products are read, then none is exported yet', () => {
    for (const c of records.Customer__c) expect([c.Financial_System_Customer_Id__c, c.Secondary_Customer_Id__c]).toEqual([null, null]);
    for (const p of records.Product__c) expect(p.Financial_System_Product_Id__c).toBeNull();
    const types = new Set(records.Product__c.map((p) => p.Product_Type__c));
    expect([...types].sort()).toEqual(['Inventory', 'Non-Inventory', 'Service']);
  });

  it('when companies are read, then each points at accounts and items that exist in its own QuickBooks realm', () => {
    const [primary, secondary] = companyIds.map(companyOf);
    expect(primary).toMatchObject({
      Name: 'Northwind Trading Co.',
      QuickBooks_Primary_Company__c: true,
      Accounting_System__c: 'Online',
      Invoice_Numbering__c: 'Salesforce Number',
      Invoice_Number_Prefix__c: 'NW-',
      Export_Mode__c: 'Invoices and Payments When Paid',
      Time_Zone__c: 'America/Los_Angeles',
      Currency_Code__c: 'USD',
    });
    expect(secondary).toMatchObject({ QuickBooks_Primary_Company__c: false, Invoice_Numbering__c: 'QuickBooks Next Number', Export_Mode__c: 'Invoices Only' });
    for (const company of [primary, secondary]) {
      expect(company.QuickBooks_Realm_Id__c).toMatch(/^\d{16}$/);
      const realm = realmOf(data, String(company.QuickBooks_Realm_Id__c));
      const account = (field: string) => realm.entities.Account!.find((a) => a.Id === company[field]);
      expect(account('Income_Account_Id__c')).toMatchObject({ AccountType: 'Income', Name: 'Sales of Product Income' });
      expect(account('Expense_Account_Id__c')).toMatchObject({ AccountType: 'Cost of Goods Sold' });
      expect(account('Asset_Account_Id__c')).toMatchObject({ AccountType: 'Other Current Asset', AccountSubType: 'Inventory' });
      expect(account('Discount_Account_Id__c')).toMatchObject({ AccountSubType: 'DiscountsRefundsGiven' });
      for (const [field, name] of [
        ['Freight_Item_Id__c', 'Freight'],
        ['Handling_Item_Id__c', 'Handling'],
        ['Packaging_Item_Id__c', 'Packaging'],
      ]) {
        expect(realm.entities.Item!.find((i) => i.Id === company[field])).toMatchObject({ Name: name, Type: 'Service' });
      }
    }
    // Different Id ranges per realm: a wrong-company Id cannot resolve by luck.
    expect(primary.Income_Account_Id__c).not.toBe(secondary.Income_Account_Id__c);
    expect(primary.Freight_Item_Id__c).not.toBe(secondary.Freight_Item_Id__c);
  });

  it('when QuickBooks realms are read, then entities have the real v3 shape and consistent references', () => {
    const [primaryRealm, secondaryRealm] = companyIds.map(realmOfCompany);
    expect(primaryRealm.preferences).toEqual({ customTxnNumbers: true, warnDuplicateDocNum: true, multiCurrency: false, homeCurrency: 'USD' });
    expect(secondaryRealm.preferences.customTxnNumbers).toBe(false);
    for (const realm of data.quickbooks.realms) {
      expect(realm.companyInfo).toMatchObject({ Country: 'US' });
      expect(realm.entities.TaxCode!.map((t) => t.Id).sort()).toEqual(['NON', 'TAX']);
      const nameListIds = new Set<string>();
      const displayNames = new Set<string>();
      for (const entity of ['Customer', 'Vendor', 'Employee'] as const) {
        for (const e of realm.entities[entity]!) {
          expect(nameListIds.has(e.Id)).toBe(false);
          nameListIds.add(e.Id);
          expect(displayNames.has(nameKey(e.DisplayName))).toBe(false); // QuickBooks keeps names unique across the three
          displayNames.add(nameKey(e.DisplayName));
        }
      }
      for (const [entity, rows] of Object.entries(realm.entities)) {
        const ids = rows!.map((e) => e.Id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const e of rows!) {
          expect(e).toMatchObject({ domain: 'QBO', sparse: false, SyncToken: '0' });
          expect(typeof e.Id).toBe('string');
          expect(e.MetaData.CreateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-07:00$/);
          expect(Date.parse(e.MetaData.CreateTime)).toBeLessThan(referenceMs);
          if (entity === 'Item') {
            expect(realm.entities.Account!.some((a) => a.Id === e.IncomeAccountRef.value)).toBe(true);
            if (e.Type === 'Inventory')
              expect(e).toMatchObject({ TrackQtyOnHand: true, ExpenseAccountRef: expect.any(Object), AssetAccountRef: expect.any(Object) });
          }
        }
      }
      const itemNames = realm.entities.Item!.map((i) => nameKey(i.Name));
      expect(new Set(itemNames).size).toBe(itemNames.length);
      for (const invoice of realm.entities.Invoice!) {
        expect(realm.entities.Customer!.some((c) => c.Id === invoice.CustomerRef.value)).toBe(true);
        const sales = invoice.Line.filter((l: QboEntity) => l.DetailType === 'SalesItemLineDetail');
        for (const line of sales) expect(realm.entities.Item!.some((i) => i.Id === line.SalesItemLineDetail.ItemRef.value)).toBe(true);
        const sum = sales.reduce((s: bigint, l: QboEntity) => s + units(l.Amount, 2), 0n);
        expect(units(invoice.TotalAmt, 2)).toBe(sum);
      }
      const receivable = realm.entities.Account!.find((a) => a.AccountType === 'Accounts Receivable')!;
      const open = realm.entities.Invoice!.reduce((s, i) => s + units(i.Balance, 2), 0n);
      expect(units(receivable.CurrentBalance, 2)).toBe(open);
    }
  });

  describe.each([
    ['primary', () => primaryCompanyId],
    ['secondary', () => secondaryCompanyId],
  ])('facts for the %s company', (_label, companyIdOf) => {
    const companyId = companyIdOf();
    const expected = data.facts.expected[companyId];
    const realm = realmOfCompany(companyId);
    const products = records.Product__c.filter((p) => p.Company__c === companyId);
    const invoices = records.Sales_Invoice__c.filter((i) => i.Company__c === companyId);
    const approved = invoices.filter((i) => i.Approved__c && !i.Transferred__c);

    it('when the export counts are recomputed from the records, then they equal the facts', () => {
      expect(expected.realmId).toBe(realm.realmId);
      expect(expected.productsToExport).toBe(products.length);
      const invoiced = new Set(approved.map((i) => String(i.Customer__c)));
      expect(expected.customersInvoiced).toEqual(records.Customer__c.map((c) => c.Id).filter((id) => invoiced.has(id)));
      expect(expected.customersToExport).toBe(invoiced.size);
      expect(expected.approvedInvoices).toBe(approved.length);
      expect(expected.unapprovedInvoices).toBe(invoices.length - approved.length);
      // The total is the invoices' (a credit memo's amount is a credit, not a sale).
      const total = approved.filter((i) => i.Invoice_Type__c !== 'Credit Memo').reduce((s, i) => s + cents(i.Total_Amount__c), 0n);
      expect(cents(expected.approvedTotal)).toBe(total);
      const approvedIds = new Set(approved.map((i) => i.Id));
      expect(expected.approvedInvoiceLines).toBe(records.Sales_Invoice_Line__c.filter((l) => approvedIds.has(String(l.Sales_Invoice__c))).length);
      expect(expected.paymentsOnApprovedInvoices).toBe(records.Payment__c.filter((p) => approvedIds.has(String(p.Sales_Invoice__c))).length);
    });

    it('when the customer match cascade runs over the realm, then it finds exactly the matches the facts list', () => {
      const result = cascadeCustomers(records.Customer__c, realm.entities.Customer!);
      expect(result.email).toEqual(expected.customersMatchByEmail);
      expect(result.name).toEqual(expected.customersMatchByName);
      expect(result.companyCity).toEqual(expected.customersMatchByCompanyCity);
      expect(result.qboIds).toEqual(expected.customerMatchQboIds);
      expect(expected.customersMatchByEmail.length).toBeGreaterThan(0);
      expect(expected.customersMatchByName.length).toBeGreaterThan(0);
      expect(expected.customersMatchByCompanyCity.length).toBeGreaterThan(0);
      expect(expected.customersToCreate).toBe(expected.customersInvoiced.filter((id) => !result.qboIds[id]).length);
      // Each match differs from its QuickBooks customer in the fields earlier steps of the cascade look at.
      for (const id of expected.customersMatchByEmail) {
        const qbo = realm.entities.Customer!.find((c) => c.Id === expected.customerMatchQboIds[id])!;
        expect(nameKey(qbo.DisplayName)).not.toBe(nameKey(personName(index.get(id)!.record)));
      }
      for (const id of [...expected.customersMatchByName, ...expected.customersMatchByCompanyCity]) {
        const qbo = realm.entities.Customer!.find((c) => c.Id === expected.customerMatchQboIds[id])!;
        expect(qbo.PrimaryEmailAddr?.Address?.toLowerCase()).not.toBe(String(index.get(id)!.record.Email__c).toLowerCase());
      }
      if (expected.primary) {
        const emails = expected.customersMatchByEmail.map((id) => [
          index.get(id)!.record.Email__c,
          realm.entities.Customer!.find((c) => c.Id === expected.customerMatchQboIds[id])!.PrimaryEmailAddr.Address,
        ]);
        expect(emails.some(([sf, qbo]) => sf !== qbo)).toBe(true); // one differs only in letter case
      }
    });

    it('when products are matched by SKU then by name, then exactly the facts matches are found', () => {
      const items = realm.entities.Item!;
      const bySku = new Map(items.filter((i) => i.Sku).map((i) => [i.Sku, i]));
      const byName = new Map(items.map((i) => [nameKey(i.Name), i]));
      const sku: string[] = [];
      const name: string[] = [];
      const renamed: string[] = [];
      const ids: Record<string, string> = {};
      for (const p of products) {
        const skuHit = p.SKU__c ? bySku.get(p.SKU__c) : undefined;
        const nameHit = byName.get(nameKey(String(p.Name)));
        // Different SKUs are different products: a name never matches an item with another SKU.
        if (!skuHit && nameHit && p.SKU__c && nameHit.Sku && nameHit.Sku !== p.SKU__c) {
          renamed.push(p.Id);
          continue;
        }
        const hit = skuHit ?? nameHit;
        if (!hit) continue;
        (skuHit ? sku : name).push(p.Id);
        ids[p.Id] = hit.Id;
        if (skuHit) expect(nameKey(hit.Name)).not.toBe(nameKey(String(p.Name)));
      }
      expect(sku).toEqual(expected.productsMatchBySku);
      expect(name).toEqual(expected.productsMatchByName);
      expect(renamed).toEqual(expected.productsRenamedBySku);
      expect(renamed).toHaveLength(1);
      expect(ids).toEqual(expected.productMatchQboIds);
      expect(sku.length).toBeGreaterThan(0);
      expect(name.length).toBeGreaterThan(0);
      expect(expected.productsToCreate).toBe(products.length - sku.length - name.length);
    });

    it('when tricky customers are looked up, then each exists and carries its trait', () => {
      const customer = (id: string) => index.get(id)!.record;
      const names = (r: SalesforceRecord) => [r.Name, r.First_Name__c, r.Last_Name__c, r.Company_Name__c].filter((n): n is string => typeof n === 'string');
      const all = records.Customer__c;
      expect(all.some((r) => r.Last_Name__c === "O'Brien")).toBe(true);
      expect(all.some((r) => personName(r) === 'Zoë Müller')).toBe(true);
      expect(all.some((r) => String(r.Last_Name__c).includes('渡辺'))).toBe(true);
      expect(all.some((r) => r.Company_Name__c === 'Acme: West')).toBe(true);

      const e = expected;
      expect(e.apostropheNames.customers.length).toBeGreaterThan(0);
      for (const id of e.apostropheNames.customers) expect(names(customer(id)).some((n) => n.includes("'"))).toBe(true);
      expect(e.unicodeNames.customers.length).toBeGreaterThanOrEqual(2);
      for (const id of e.unicodeNames.customers) expect(names(customer(id)).some((n) => /[^\x20-\x7e]/.test(n))).toBe(true);
      expect(e.colonNames.customers.length).toBeGreaterThan(0);
      for (const id of e.colonNames.customers) expect(names(customer(id)).some((n) => n.includes(':'))).toBe(true);
      expect(e.controlCharacterNames.customers.length).toBeGreaterThan(0);
      for (const id of e.controlCharacterNames.customers) expect(names(customer(id)).some((n) => /[\t\n]/.test(n))).toBe(true);
      const overLong = e.overLongNames.customers.map(customer);
      expect(overLong.some((r) => String(r.Company_Name__c ?? '').length > 100)).toBe(true);
      expect(overLong.some((r) => personName(r).length > 100)).toBe(true);
      for (const id of e.overLongPhones) expect(String(customer(id).Phone__c).length).toBeGreaterThan(30);
      expect(e.overLongPhones.length).toBeGreaterThan(0);
      for (const id of e.customersWithoutPersonName) expect(personName(customer(id))).toBe('');
      expect(e.customersWithoutPersonName.length).toBeGreaterThan(0);
    });

    it('when the customer named like a QuickBooks vendor or employee is looked up, then the clash is real and unmatched', () => {
      const clashes: Array<[string | null, QboEntity[] | undefined]> = [
        [expected.vendorClashCustomerId, realm.entities.Vendor],
        [expected.employeeClashCustomerId, realm.entities.Employee],
      ];
      expect(clashes.some(([id]) => id !== null)).toBe(true);
      for (const [id, others] of clashes) {
        if (id === null) continue;
        const display = personName(index.get(id)!.record);
        expect(others!.filter((v) => v.DisplayName === display)).toHaveLength(1);
        expect(expected.customerMatchQboIds[id]).toBeUndefined();
        expect(realm.entities.Customer!.some((c) => nameKey(c.DisplayName) === nameKey(display))).toBe(false);
      }
    });

    it('when tricky products are looked up, then a colon name and a name at the 80-character maximum exist', () => {
      const product = (id: string) => String(index.get(id)!.record.Name);
      expect(expected.colonNames.products.length).toBeGreaterThan(0);
      for (const id of expected.colonNames.products) expect(product(id)).toContain(':');
      expect(expected.overLongNames.products.length).toBeGreaterThan(0);
      for (const id of expected.overLongNames.products) expect(product(id).length).toBe(80);
      for (const id of [...expected.colonNames.products, ...expected.overLongNames.products]) {
        expect(expected.productMatchQboIds[id]).toBeUndefined();
      }
    });

    it('when half-cent lines are listed, then each is on an approved invoice and quantity x price ends in half a cent', () => {
      expect(expected.halfCentLines.length).toBeGreaterThan(0);
      for (const id of expected.halfCentLines) {
        const line = index.get(id)!.record;
        expect((units(line.Quantity__c as number, 4) * units(line.Unit_Price__c as number, 2)) % 10_000n).toBe(5_000n);
        expect(index.get(String(line.Sales_Invoice__c))!.record.Approved__c).toBe(true);
      }
    });

    it('when DocNumbers are built from the numbering rule, then exactly the listed invoice collides with QuickBooks', () => {
      const company = companyOf(companyId);
      const existing = new Set(realm.entities.Invoice!.map((i) => i.DocNumber));
      if (company.Invoice_Numbering__c !== 'Salesforce Number') {
        expect(expected.docNumberCollision).toBeNull();
        return;
      }
      const docNumber = (i: SalesforceRecord) => `${company.Invoice_Number_Prefix__c ?? ''}${String(i.Name)}${company.Invoice_Number_Suffix__c ?? ''}`;
      const colliding = approved.filter((i) => existing.has(docNumber(i)));
      expect(colliding.map((i) => i.Id)).toEqual([expected.docNumberCollision!.invoiceId]);
      const qbo = realm.entities.Invoice!.find((i) => i.Id === expected.docNumberCollision!.quickBooksInvoiceId)!;
      expect(qbo.DocNumber).toBe(expected.docNumberCollision!.docNumber);
      expect(docNumber(colliding[0])).toBe(qbo.DocNumber);
      expect(qbo.DocNumber.length).toBeLessThanOrEqual(21);
      expect(approved.every((i) => docNumber(i).length <= 21)).toBe(true);
    });
  });

  it('when 20,000 invoices are asked for, then they are generated with every line on a same-company product', () => {
    const big = generateDemoData({ invoices: 20_000 });
    const bigRecords = big.salesforce.records;
    expect(bigRecords.Sales_Invoice__c).toHaveLength(20_001);
    expect(bigRecords.Customer__c).toHaveLength(Math.round(20_000 / 3));
    expect(new Set(bigRecords.Sales_Invoice__c.map((i) => i.Name)).size).toBe(20_001);
    const productCompany = new Map(bigRecords.Product__c.map((p) => [p.Id, p.Company__c]));
    const invoiceCompany = new Map(bigRecords.Sales_Invoice__c.map((i) => [i.Id, i.Company__c]));
    expect(bigRecords.Sales_Invoice_Line__c.every((l) => productCompany.get(String(l.Product__c)) === invoiceCompany.get(String(l.Sales_Invoice__c)))).toBe(
      true,
    );
    const facts = Object.values(big.facts.expected);
    expect(facts.reduce((s, e) => s + e.approvedInvoices + e.unapprovedInvoices, 0)).toBe(20_001);
  });
});

describe('the connected company’s payments and credits', () => {
  const data = generateDemoData({ seed: 42, invoices: 60 });
  const records = data.salesforce.records;
  const expected = data.facts.expected[data.facts.primaryCompanyId]!;

  it('when its invoices are read, then some are paid, some part-paid, and one credit memo names a part-paid invoice of its customer', () => {
    const mine = records.Sales_Invoice__c!.filter((i) => i.Company__c === data.facts.primaryCompanyId);
    expect(new Set(mine.map((i) => i.Status__c))).toEqual(new Set(['Open', 'Paid', 'Partially Paid']));
    expect(expected.creditMemos).toHaveLength(1);
    const [credit] = expected.creditMemos;
    const memo = mine.find((i) => i.Id === credit!.invoiceId)!;
    const target = mine.find((i) => i.Id === credit!.appliesToInvoiceId)!;
    expect(memo).toMatchObject({
      Invoice_Type__c: 'Credit Memo',
      Applies_To_Invoice__c: target.Id,
      Customer__c: target.Customer__c,
      Total_Amount__c: credit!.amount,
    });
    const paid = records.Payment__c!.filter((p) => p.Sales_Invoice__c === target.Id).reduce((sum, p) => sum + Number(p.Amount__c), 0);
    expect(target.Status__c).toBe('Partially Paid');
    expect(paid + credit!.amount).toBeLessThan(Number(target.Total_Amount__c));
  });

  it('when payments are read, then each is taken on its payment date in the company’s zone, some just after midnight', () => {
    const inZone = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles' }).format(new Date(iso));
    const mine = records.Payment__c!.filter(
      (p) => records.Sales_Invoice__c!.find((i) => i.Id === p.Sales_Invoice__c)?.Company__c === data.facts.primaryCompanyId,
    );
    expect(mine.length).toBeGreaterThan(3);
    for (const p of mine) expect({ id: p.Id, day: inZone(String(p.Paid_At__c)) }).toEqual({ id: p.Id, day: p.Payment_Date__c });
    const justAfterMidnight = mine.filter(
      (p) =>
        new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Los_Angeles', hour: '2-digit', minute: '2-digit' }).format(new Date(String(p.Paid_At__c))) ===
        '00:30',
    );
    expect(justAfterMidnight.length).toBeGreaterThan(0);
    // ... and in UTC those are still the day before or after: only the zone keeps them on their day.
    expect(justAfterMidnight.every((p) => String(p.Paid_At__c).slice(0, 10) === p.Payment_Date__c)).toBe(true);
  });
});
