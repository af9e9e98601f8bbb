// The demo's QuickBooks Desktop company: added without changing the other two companies' data, with valid ids,
// totals that add up to the cent, numbers QuickBooks Desktop accepts, and a company file holding what the
// Company's settings point at.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QuickBooksDesktopCompany } from '../../emulators/qbd/company';
import { loadCompanyFile, saveCompanyFile } from '../../scripts/demo/companyFile';
import { parseArgs, refusedText } from '../../scripts/webconnector';
import { DESKTOP_LIST_IDS, seedDesktopCompanyFile, withDesktopCompany } from '../../scripts/demo/desktop';
import { generateDemoData } from '../../scripts/demo/generate';
import { isValidSalesforceId } from '../../scripts/demo/ids';
import { DESKTOP_LIMITS } from '../../service/src/quickbooks/desktop/limits';

describe('the demo’s QuickBooks Desktop company', () => {
  const base = generateDemoData();
  const { data, desktop } = withDesktopCompany(base);
  const records = data.salesforce.records;

  it('when added, then the two other companies’ records and facts are exactly as generated', () => {
    for (const [object, rows] of Object.entries(base.salesforce.records)) expect(records[object]!.slice(0, rows.length)).toEqual(rows);
    expect(data.facts).toEqual(base.facts);
    expect(JSON.stringify(generateDemoData())).toBe(JSON.stringify(base));
  });

  it('when added, then every new record has a valid id of its object, unique across the org', () => {
    const all = Object.values(records).flat();
    expect(new Set(all.map((r) => r.Id)).size).toBe(all.length);
    expect(all.every((r) => isValidSalesforceId(r.Id))).toBe(true);
    const company = records.Company__c!.find((c) => c.Id === desktop.companyId)!;
    expect(company).toMatchObject({ Accounting_System__c: 'Desktop', QuickBooks_Primary_Company__c: false, Discount_Account_Id__c: DESKTOP_LIST_IDS.discount });
  });

  it('when its invoices are read, then each totals its lines plus freight less discount, and its number fits a Desktop RefNumber', () => {
    const invoices = records.Sales_Invoice__c!.filter((i) => i.Company__c === desktop.companyId);
    expect(invoices.map((i) => i.Id)).toEqual([...desktop.invoiceIds, desktop.creditMemoId]);
    expect(invoices.find((i) => i.Id === desktop.creditMemoId)).toMatchObject({
      Invoice_Type__c: 'Credit Memo',
      Applies_To_Invoice__c: desktop.creditedInvoiceId,
    });
    for (const inv of invoices) {
      const lines = records.Sales_Invoice_Line__c!.filter((l) => l.Sales_Invoice__c === inv.Id);
      expect(lines.length).toBeGreaterThan(0);
      const cents =
        lines.reduce((n, l) => n + Math.round(Number(l.Quantity__c) * Number(l.Unit_Price__c) * 100), 0) +
        Math.round(Number(inv.Freight__c ?? 0) * 100) -
        Math.round(Number(inv.Order_Discount__c ?? 0) * 100);
      expect(inv.Total_Amount__c).toBe(cents / 100);
      expect(String(inv.Name).length).toBeLessThanOrEqual(DESKTOP_LIMITS.docNumber);
    }
  });

  it('when its payments are read, then one invoice is paid in two parts, one in part, and the sale paid at the till in full on its day', () => {
    const payments = records.Payment__c!.filter((p) => [...desktop.invoiceIds].includes(String(p.Sales_Invoice__c)));
    const paid = (id: string) => payments.filter((p) => p.Sales_Invoice__c === id).reduce((n, p) => n + Math.round(Number(p.Amount__c) * 100), 0);
    const total = (id: string) => Math.round(Number(records.Sales_Invoice__c!.find((i) => i.Id === id)!.Total_Amount__c) * 100);
    expect(payments.map((p) => p.Id)).toEqual([...desktop.paymentIds, expect.any(String)]);
    expect(paid(desktop.invoiceIds[0]!)).toBe(total(desktop.invoiceIds[0]!));
    expect(paid(desktop.invoiceIds[3]!)).toBeLessThan(total(desktop.invoiceIds[3]!));
    expect(paid(desktop.receiptInvoiceId)).toBe(total(desktop.receiptInvoiceId));
    for (const p of payments) expect(String(p.Reference__c).length).toBeLessThanOrEqual(DESKTOP_LIMITS.paymentReference);
  });

  it('when its company file is seeded, then the accounts and items the settings name exist, and a vendor uses a customer’s name', () => {
    const file = new QuickBooksDesktopCompany();
    seedDesktopCompanyFile(file, desktop);
    for (const id of [DESKTOP_LIST_IDS.freight, DESKTOP_LIST_IDS.handling, DESKTOP_LIST_IDS.packaging, DESKTOP_LIST_IDS.discount])
      expect(file.items.has(id)).toBe(true);
    for (const id of [DESKTOP_LIST_IDS.income, DESKTOP_LIST_IDS.cogs, DESKTOP_LIST_IDS.asset]) expect(file.accounts.has(id)).toBe(true);
    expect([...file.vendors.values()].map((v) => v.Name)).toEqual([records.Customer__c!.find((c) => c.Id === desktop.vendorClashCustomerId)!.Name]);
    const again = QuickBooksDesktopCompany.restore(file.snapshot());
    expect(again.snapshot()).toBe(file.snapshot());
  });
});

describe('npm run webconnector', () => {
  it('when --password is given (after -- or, as npm passes it, in npm_config_password), then it is used; an unknown option is named', () => {
    expect(parseArgs(['--password', 's3cret'])).toEqual({ everySeconds: null, password: 's3cret' });
    expect(parseArgs(['--every', '30'], { npm_config_password: 'fromNpm' })).toEqual({ everySeconds: 30, password: 'fromNpm' });
    expect(() => parseArgs(['--pasword', 'x'])).toThrow('Unknown option --pasword');
    expect(() => parseArgs(['--password'])).toThrow('--password needs a value');
  });

  it('when the service refuses the password, then the message says it was probably changed on the Web Connector page and how to run again', () => {
    expect(refusedText('ledgerline-demo-desktop', false)).toContain('npm run webconnector -- --password <new password>');
    expect(refusedText('ledgerline-demo-desktop', false)).toContain('"New password"');
    expect(refusedText('ledgerline-demo-desktop', true)).toContain('refused the password given with --password');
  });

  it('when the demo starts again, then a company file of the earlier start is set aside for a new one, and this start’s is kept', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-qbd-'));
    try {
      const { desktop } = withDesktopCompany(generateDemoData());
      const first = loadCompanyFile(dir, 'start-1', desktop);
      expect(first.fresh).toBe(true);
      first.file.addCustomer({ Name: 'Created in the first start' });
      saveCompanyFile(dir, 'start-1', desktop, first.file);
      expect(loadCompanyFile(dir, 'start-1', desktop)).toMatchObject({ fresh: false });
      const restarted = loadCompanyFile(dir, 'start-2', desktop);
      expect(restarted.fresh).toBe(true);
      expect([...restarted.file.customers.values()].map((c) => c.Name)).not.toContain('Created in the first start');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
