// The engine's neutral documents as QuickBooks Online v3 JSON, and QuickBooks rows as the engine's records.
import type {
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
import type { QboEntity } from './client';

export function customerBody(doc: CustomerDoc): QboEntity {
  const body: QboEntity = { DisplayName: doc.displayName };
  if (doc.givenName) body.GivenName = doc.givenName;
  if (doc.familyName) body.FamilyName = doc.familyName;
  if (doc.companyName) body.CompanyName = doc.companyName;
  if (doc.email) body.PrimaryEmailAddr = { Address: doc.email };
  if (doc.phone) body.PrimaryPhone = { FreeFormNumber: doc.phone };
  const b = doc.billing;
  if (b) {
    const addr: Record<string, string> = {};
    if (b.line1) addr.Line1 = b.line1;
    if (b.city) addr.City = b.city;
    if (b.state) addr.CountrySubDivisionCode = b.state;
    if (b.postalCode) addr.PostalCode = b.postalCode;
    if (b.country) addr.Country = b.country;
    if (Object.keys(addr).length) body.BillAddr = addr;
  }
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

export function invoiceBody(doc: InvoiceDoc): QboEntity {
  const lines: QboEntity[] = doc.lines.map((l) => ({
    DetailType: 'SalesItemLineDetail',
    Amount: l.amount,
    ...(l.description ? { Description: l.description } : {}),
    SalesItemLineDetail: { ItemRef: { value: l.itemId }, Qty: l.quantity, UnitPrice: l.unitPrice, TaxCodeRef: { value: l.taxable ? 'TAX' : 'NON' } },
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
    ...(doc.tax ? { TxnTaxDetail: { TotalTax: doc.tax } } : {}),
    ...(doc.currency ? { CurrencyRef: { value: doc.currency } } : {}),
    ...(doc.customerMemo ? { CustomerMemo: { value: doc.customerMemo } } : {}),
  };
}

export function toTargetCustomer(row: QboEntity): TargetCustomer {
  return {
    id: String(row.Id),
    displayName: row.DisplayName ?? '',
    givenName: row.GivenName ?? null,
    familyName: row.FamilyName ?? null,
    companyName: row.CompanyName ?? null,
    email: row.PrimaryEmailAddr?.Address ?? null,
    city: row.BillAddr?.City ?? null,
  };
}

export function toTargetItem(row: QboEntity): TargetItem {
  return { id: String(row.Id), name: row.Name ?? '', sku: row.Sku ?? null, type: row.Type ?? null };
}

export function toCreated(entity: QboEntity): CreatedRecord {
  const total = Number(entity.TotalAmt);
  return {
    id: String(entity.Id),
    name: entity.DisplayName ?? entity.Name ?? null,
    number: entity.DocNumber ?? null,
    total: entity.TotalAmt === undefined || !Number.isFinite(total) ? null : total,
    type: entity.Type ?? null,
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
  };
}

export function toOpenBalance(row: QboEntity): OpenBalance {
  return { balance: Number(row.Balance ?? 0), customerId: row.CustomerRef?.value ?? null, total: row.TotalAmt === undefined ? null : Number(row.TotalAmt) };
}

export function toHeldPayment(row: QboEntity): HeldPayment {
  const links: string[] = (row.Line ?? []).flatMap((l: QboEntity) => (l.LinkedTxn ?? []).map((t: QboEntity) => String(t.TxnId)));
  return { id: String(row.Id), reference: row.PaymentRefNum ?? null, customerId: row.CustomerRef?.value ?? null, amount: Number(row.TotalAmt ?? 0), links };
}
