// The engine's neutral documents as QuickBooks Online v3 JSON, and QuickBooks rows as the engine's records.
import type {
  AddressDoc,
  CreatedRecord,
  CustomerDoc,
  HeldPayment,
  InvoiceDoc,
  ItemDoc,
  OpenBalance,
  PaymentDoc,
  SalesForm,
  TargetCustomer,
  TargetItem,
} from '../../export/target';

/** The QuickBooks entity each sales form becomes. */
export const FORM_ENTITY: Record<SalesForm, 'Invoice' | 'CreditMemo' | 'SalesReceipt'> = {
  invoice: 'Invoice',
  creditMemo: 'CreditMemo',
  salesReceipt: 'SalesReceipt',
};
import { BalanceRow, CreatedEntity, CustomerRow, ItemRow, PaymentRow, readAnswer } from './answers';
import type { QboEntity } from './client';
import { readMarker } from '../../export/marker';

function addressBody(b: AddressDoc | undefined): Record<string, string> | undefined {
  if (!b) return undefined;
  const addr: Record<string, string> = {};
  if (b.line1) addr.Line1 = b.line1;
  if (b.city) addr.City = b.city;
  if (b.state) addr.CountrySubDivisionCode = b.state;
  if (b.postalCode) addr.PostalCode = b.postalCode;
  if (b.country) addr.Country = b.country;
  return Object.keys(addr).length ? addr : undefined;
}

export function customerBody(doc: CustomerDoc): QboEntity {
  const body: QboEntity = { DisplayName: doc.displayName };
  if (doc.givenName) body.GivenName = doc.givenName;
  if (doc.familyName) body.FamilyName = doc.familyName;
  if (doc.companyName) body.CompanyName = doc.companyName;
  if (doc.email) body.PrimaryEmailAddr = { Address: doc.email };
  if (doc.phone) body.PrimaryPhone = { FreeFormNumber: doc.phone };
  const billing = addressBody(doc.billing);
  if (billing) body.BillAddr = billing;
  if (doc.currency) body.CurrencyRef = { value: doc.currency };
  return body;
}

export function itemBody(doc: ItemDoc): QboEntity {
  const body: QboEntity = { Name: doc.name, Type: doc.type, IncomeAccountRef: { value: doc.incomeAccount } };
  if (doc.sku) body.Sku = doc.sku;
  if (doc.description) body.Description = doc.description;
  if (doc.unitPrice !== undefined) body.UnitPrice = doc.unitPrice;
  if (doc.type === 'Inventory') {
    Object.assign(body, {
      ExpenseAccountRef: { value: doc.expenseAccount },
      AssetAccountRef: { value: doc.assetAccount },
      TrackQtyOnHand: true,
      QtyOnHand: 0,
      InvStartDate: doc.inventoryStartDate,
    });
  }
  return body;
}

/** A line's tax code: the company's own (non-US), else TAX/NON. */
function lineTaxCode(doc: InvoiceDoc, l: InvoiceDoc['lines'][number]): string {
  return doc.taxMode === 'codes' && l.taxCode ? l.taxCode : l.taxable ? 'TAX' : 'NON';
}

export function invoiceBody(doc: InvoiceDoc): QboEntity {
  const lines: QboEntity[] = doc.lines.map((l) => ({
    DetailType: 'SalesItemLineDetail',
    Amount: l.amount,
    ...(l.description ? { Description: l.description } : {}),
    SalesItemLineDetail: {
      ItemRef: { value: l.itemId },
      ...(l.classId ? { ClassRef: { value: l.classId } } : {}),
      Qty: l.quantity,
      UnitPrice: l.unitPrice,
      TaxCodeRef: { value: lineTaxCode(doc, l) },
    },
  }));
  if (doc.discount) {
    lines.push({
      DetailType: 'DiscountLineDetail',
      Amount: doc.discount.amount,
      Description: 'Order discount',
      DiscountLineDetail: { PercentBased: false, ...(doc.discount.account ? { DiscountAccountRef: { value: doc.discount.account } } : {}) },
    });
  }
  const receipt = doc.receipt;
  return {
    CustomerRef: { value: doc.customerId },
    Line: lines,
    PrivateNote: doc.privateNote,
    ...(receipt?.reference ? { PaymentRefNum: receipt.reference } : {}),
    ...(receipt?.paymentMethod ? { PaymentMethodRef: { value: receipt.paymentMethod } } : {}),
    ...(receipt?.depositAccount ? { DepositToAccountRef: { value: receipt.depositAccount } } : {}),
    // Without our number, QuickBooks gives its next one (AutoDocNumber), even where custom numbers are on.
    ...(doc.docNumber !== null ? { DocNumber: doc.docNumber } : { AutoDocNumber: true }),
    ...(doc.txnDate ? { TxnDate: doc.txnDate } : {}),
    ...(doc.dueDate && doc.form === 'invoice' ? { DueDate: doc.dueDate } : {}),
    // Automated sales tax computes the tax itself unless an amount is sent; per-line codes always do.
    ...(doc.tax && doc.taxMode !== 'codes' ? { TxnTaxDetail: { TotalTax: doc.tax } } : {}),
    ...(doc.currency ? { CurrencyRef: { value: doc.currency } } : {}),
    ...(doc.exchangeRate ? { ExchangeRate: doc.exchangeRate } : {}),
    ...(doc.customerMemo ? { CustomerMemo: { value: doc.customerMemo } } : {}),
    ...(doc.shipTo && addressBody(doc.shipTo) ? { ShipAddr: addressBody(doc.shipTo) } : {}),
    ...(doc.classId ? { ClassRef: { value: doc.classId } } : {}),
    ...(doc.locationId ? { DepartmentRef: { value: doc.locationId } } : {}),
    ...(doc.customFields?.length
      ? { CustomField: doc.customFields.map((f) => ({ DefinitionId: f.definitionId, Name: f.name, Type: 'StringType', StringValue: f.value })) }
      : {}),
    ...(doc.shipDate ? { ShipDate: doc.shipDate } : {}),
    ...(doc.trackingNum ? { TrackingNum: doc.trackingNum } : {}),
    ...(doc.billEmail ? { BillEmail: { Address: doc.billEmail } } : {}),
  };
}

// ------------------------------------------------------------------ answers (read with the schemas of answers.ts)

export function toTargetCustomer(row: unknown): TargetCustomer {
  const r = readAnswer(CustomerRow, row, 'a Customer');
  return {
    id: r.Id,
    displayName: r.DisplayName ?? '',
    givenName: r.GivenName ?? null,
    familyName: r.FamilyName ?? null,
    companyName: r.CompanyName ?? null,
    email: r.PrimaryEmailAddr?.Address ?? null,
    city: r.BillAddr?.City ?? null,
    currency: r.CurrencyRef?.value ?? null,
  };
}

export function toTargetItem(row: unknown): TargetItem {
  const r = readAnswer(ItemRow, row, 'an Item');
  return { id: r.Id, name: r.Name ?? '', sku: r.Sku ?? null, type: r.Type ?? null };
}

/** A record QuickBooks answered for a create (or holds): refused as unreadable without a usable Id. */
export function toCreated(entity: unknown): CreatedRecord {
  const e = readAnswer(CreatedEntity, entity, 'a created record');
  const customer = e.DisplayName !== undefined;
  return {
    id: e.Id,
    name: e.DisplayName ?? e.Name ?? null,
    number: e.DocNumber ?? null,
    total: e.TotalAmt ?? null,
    type: e.Type ?? null,
    tax: e.TxnTaxDetail?.TotalTax ?? null,
    currency: customer ? null : (e.CurrencyRef?.value ?? null),
    exchangeRate: e.ExchangeRate ?? null,
    homeTotal: e.HomeTotalAmt ?? null,
    customerCurrency: customer ? (e.CurrencyRef?.value ?? null) : null,
    version: e.SyncToken ?? null,
    balance: e.Balance ?? null,
  };
}

export function paymentBody(doc: PaymentDoc): QboEntity {
  return {
    CustomerRef: { value: doc.customerId },
    TotalAmt: doc.amount,
    PrivateNote: doc.privateNote,
    Line: doc.links.map((l) => ({ Amount: l.amount, LinkedTxn: [{ TxnId: l.txnId, TxnType: l.form === 'invoice' ? 'Invoice' : 'CreditMemo' }] })),
    ...(doc.txnDate ? { TxnDate: doc.txnDate } : {}),
    ...(doc.reference ? { PaymentRefNum: doc.reference } : {}),
    ...(doc.paymentMethod ? { PaymentMethodRef: { value: doc.paymentMethod } } : {}),
    ...(doc.depositAccount ? { DepositToAccountRef: { value: doc.depositAccount } } : {}),
    ...(doc.currency ? { CurrencyRef: { value: doc.currency } } : {}),
    ...(doc.exchangeRate ? { ExchangeRate: doc.exchangeRate } : {}),
  };
}

export function toOpenBalance(row: unknown): OpenBalance {
  const r = readAnswer(BalanceRow, row, 'an Invoice');
  return { balance: r.Balance ?? 0, customerId: r.CustomerRef?.value ?? null, total: r.TotalAmt ?? null };
}

export function toHeldPayment(row: unknown): HeldPayment {
  const r = readAnswer(PaymentRow, row, 'a Payment');
  const links = (r.Line ?? []).flatMap((l) => (l.LinkedTxn ?? []).map((t) => t.TxnId));
  return {
    id: r.Id,
    reference: r.PaymentRefNum ?? null,
    customerId: r.CustomerRef?.value ?? null,
    amount: r.TotalAmt ?? 0,
    date: r.TxnDate ?? null,
    sourceId: readMarker(r.PrivateNote),
    links,
  };
}
