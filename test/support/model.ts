// Builders for the export's own records in unit tests (what the Salesforce adapter maps the org's records into).
import type { CompanyModel, SourceCustomer, SourceInvoice, SourceLine, SourceProduct } from '../../service/src/export/model';
import type { TargetSettings } from '../../service/src/export/target';
import { QBO_LIMITS } from '../../service/src/quickbooks/online/limits';

export const limits = QBO_LIMITS;

export function settings(over: Partial<TargetSettings> = {}): TargetSettings {
  return { companyName: 'Northwind QuickBooks', customNumbers: true, multiCurrency: false, homeCurrency: 'USD', rejectsDuplicateNumbers: true, ...over };
}

export function companyModel(over: Partial<CompanyModel> = {}): CompanyModel {
  return {
    id: 'a00000000000001AAA',
    name: 'Northwind Trading Co.',
    primary: true,
    customerIdsShared: false,
    realmId: '9341455000000001',
    accountingSystem: 'Online',
    numbering: 'source',
    numberPrefix: 'NW-',
    numberSuffix: '',
    exportMode: 'Invoices Only',
    accounts: { income: '79', expense: '80', asset: '81', discount: '86' },
    chargeItems: { freight: '101', handling: '102', packaging: '103' },
    currency: 'USD',
    clashSuffix: null,
    customerMatch: 'cascade',
    customerScope: 'invoiced',
    exportsPayments: false,
    salesReceipts: false,
    timeZone: 'UTC',
    depositAccount: null,
    paymentMethod: null,
    statusFilter: [],
    unknownProducts: 'fail',
    fallbackItem: null,
    logRetentionDays: 180,
    logSuccesses: 'every',
    ...over,
  };
}

export function sourceCustomer(over: Partial<SourceCustomer> = {}): SourceCustomer {
  return {
    id: 'a01000000000001AAA',
    name: 'Ada Lovelace',
    firstName: 'Ada',
    lastName: 'Lovelace',
    companyName: 'Analytical Engines Ltd',
    email: 'ada@example.com',
    phone: '555-0100',
    billing: { street: '1 Engine Way', city: 'London', state: null, postalCode: 'N1 9GU', country: 'UK' },
    ...over,
  };
}

export function sourceProduct(over: Partial<SourceProduct> = {}): SourceProduct {
  return {
    id: 'a02000000000001AAA',
    name: 'Brass Gear 40T',
    sku: 'GEAR-40',
    description: 'A forty-tooth brass gear',
    unitPrice: 12.5,
    type: 'Non-Inventory',
    ...over,
  };
}

export function sourceLine(over: Partial<SourceLine> = {}): SourceLine {
  return {
    id: 'a04000000000001AAA',
    productId: 'a02000000000001AAA',
    productName: 'Brass Gear 40T',
    productTargetId: null,
    lineNumber: 1,
    quantity: 2,
    unitPrice: 12.5,
    description: 'Gears',
    taxable: true,
    ...over,
  };
}

export function sourceInvoice(over: Partial<SourceInvoice> = {}): SourceInvoice {
  return {
    id: 'a03000000000001AAA',
    number: 'SI-000001',
    customerId: 'a01000000000001AAA',
    customerName: 'Ada Lovelace',
    customerTargetId: null,
    date: '2026-10-01',
    dueDate: '2026-10-31',
    currency: 'USD',
    charges: { freight: null, handling: null, packaging: null },
    discount: null,
    tax: null,
    total: 25,
    memo: null,
    exportStatus: 'Not Exported',
    credit: false,
    lines: [sourceLine()],
    payments: [],
    ...over,
  };
}
