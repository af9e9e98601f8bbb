// The engine's neutral documents as qbXML adds (children in schema order), and QuickBooks Desktop's *Ret
// elements as the engine's records. Accounts and items are referred to by ListID (what the Company's
// account and item settings hold for a Desktop company).
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
import { CustomerRet, ItemRet, readRet, SalesTxnRet } from './answers';
import { addRequest, amount, decimal, text, type QbRequest } from './qbxml';
import { ordered, type Element } from './schema';
import { readMarker } from '../../export/marker';

/** A document that cannot be expressed in qbXML as it stands (the message says what to set). */
export class MappingError extends Error {
  override name = 'MappingError';
}

export const ITEM_ENTITY = { Service: 'ItemService', NonInventory: 'ItemNonInventory', Inventory: 'ItemInventory' } as const;

export function customerAdd(doc: CustomerDoc, requestID: string): QbRequest {
  const b = doc.billing;
  const address: Element | undefined =
    b && Object.values(b).some(Boolean)
      ? ordered('BillAddress', { Addr1: b.line1, City: b.city, State: b.state, PostalCode: b.postalCode, Country: b.country })
      : undefined;
  return addRequest('Customer', requestID, {
    Name: doc.displayName,
    CompanyName: doc.companyName,
    FirstName: doc.givenName,
    LastName: doc.familyName,
    BillAddress: address,
    Phone: doc.phone,
    Email: doc.email,
  });
}

export function itemAdd(doc: ItemDoc, requestID: string): QbRequest {
  const entity = ITEM_ENTITY[doc.type];
  const price = doc.unitPrice === undefined ? undefined : decimal(doc.unitPrice);
  if (doc.type === 'Inventory') {
    if (!doc.expenseAccount || !doc.assetAccount) {
      throw new MappingError('an inventory item needs the Company’s Expense (COGS) and Asset account ListIDs');
    }
    return addRequest(entity, requestID, {
      Name: doc.name,
      ManufacturerPartNumber: doc.sku,
      SalesDesc: doc.description,
      SalesPrice: price,
      IncomeAccountRef: { ListID: doc.incomeAccount },
      COGSAccountRef: { ListID: doc.expenseAccount },
      AssetAccountRef: { ListID: doc.assetAccount },
      InventoryDate: doc.inventoryStartDate,
    });
  }
  const sales = ordered('SalesOrPurchase', { Desc: doc.description, Price: price, AccountRef: { ListID: doc.incomeAccount } });
  return addRequest(entity, requestID, {
    Name: doc.name,
    // Service items have no part number in qbXML.
    ManufacturerPartNumber: doc.type === 'NonInventory' ? doc.sku : undefined,
    SalesOrPurchase: sales,
  });
}

/** The QuickBooks Desktop transaction each sales form becomes. */
export const FORM_ENTITY = { invoice: 'Invoice', creditMemo: 'CreditMemo', salesReceipt: 'SalesReceipt' } as const;

/** An invoice, credit memo or sales receipt: the same header and lines, each under its own element names. */
export function salesAdd(doc: InvoiceDoc, requestID: string): QbRequest {
  const entity = FORM_ENTITY[doc.form];
  const lineName = `${entity}LineAdd`;
  const lines: Element[] = doc.lines.map((l) =>
    ordered(lineName, {
      ItemRef: { ListID: l.itemId },
      Desc: l.description,
      Quantity: decimal(l.quantity),
      Rate: decimal(l.unitPrice),
      Amount: amount(l.amount),
      SalesTaxCodeRef: { FullName: l.taxable ? 'Tax' : 'Non' },
    }),
  );
  if (doc.discount) {
    // Desktop has no discount line of its own: the discount is a line on a discount item.
    if (!doc.discount.account) {
      throw new MappingError('the order discount needs a QuickBooks discount item: set the Company’s Discount Account Id to the ListID of a Discount item');
    }
    lines.push(ordered(lineName, { ItemRef: { ListID: doc.discount.account }, Desc: 'Order discount', Amount: amount(-doc.discount.amount) }));
  }
  const receipt = doc.form === 'salesReceipt' ? doc.receipt : undefined;
  const ship = doc.shipTo;
  return addRequest(entity, requestID, {
    CustomerRef: { ListID: doc.customerId },
    ClassRef: doc.className ? { FullName: doc.className } : undefined,
    TxnDate: doc.txnDate,
    RefNumber: doc.docNumber ?? undefined,
    ShipAddress:
      ship && Object.values(ship).some(Boolean)
        ? ordered('ShipAddress', { Addr1: ship.line1, City: ship.city, State: ship.state, PostalCode: ship.postalCode, Country: ship.country })
        : undefined,
    // A sales receipt has no PO number; its payment reference is its check number.
    PONumber: doc.form === 'salesReceipt' ? undefined : doc.poNumber,
    CheckNumber: receipt?.reference,
    PaymentMethodRef: receipt?.paymentMethod ? { ListID: receipt.paymentMethod } : undefined,
    DueDate: doc.form === 'invoice' ? doc.dueDate : undefined,
    ShipDate: doc.shipDate,
    Memo: doc.privateNote,
    DepositToAccountRef: receipt?.depositAccount ? { ListID: receipt.depositAccount } : undefined,
    ExchangeRate: doc.exchangeRate === undefined ? undefined : decimal(doc.exchangeRate),
    [lineName]: lines,
  });
}

/**
 * A payment received, applied to its invoice; a credit memo's application is a payment of 0 whose invoice line
 * takes the credit (SetCredit) instead of money.
 */
export function paymentAdd(doc: PaymentDoc, requestID: string): QbRequest {
  const credits = doc.links.filter((l) => l.form === 'creditMemo');
  const creditCents = credits.reduce((n, c) => n + Math.round(c.amount * 100), 0);
  const applied = doc.links
    .filter((l) => l.form === 'invoice')
    .map((l) =>
      ordered('AppliedToTxnAdd', {
        TxnID: l.txnId,
        PaymentAmount: amount(Math.max(0, Math.round(l.amount * 100) - creditCents) / 100),
        SetCredit: credits.length ? credits.map((c) => ordered('SetCredit', { CreditTxnID: c.txnId, AppliedAmount: amount(c.amount) })) : undefined,
      }),
    );
  return addRequest('ReceivePayment', requestID, {
    CustomerRef: { ListID: doc.customerId },
    TxnDate: doc.txnDate,
    RefNumber: doc.reference,
    TotalAmount: amount(doc.amount),
    PaymentMethodRef: doc.paymentMethod ? { ListID: doc.paymentMethod } : undefined,
    Memo: doc.privateNote,
    DepositToAccountRef: doc.depositAccount ? { ListID: doc.depositAccount } : undefined,
    AppliedToTxnAdd: applied,
  });
}

// ------------------------------------------------------------------ answers

export function toTargetCustomer(ret: Element): TargetCustomer {
  const r = readRet(CustomerRet, 'CustomerRet', ret);
  return {
    id: r.ListID,
    displayName: r.FullName ?? r.Name ?? '',
    givenName: r.FirstName ?? null,
    familyName: r.LastName ?? null,
    companyName: r.CompanyName ?? null,
    email: r.Email ?? null,
    city: r.BillAddress?.City ?? null,
  };
}

/** ItemServiceRet -> Service, ItemNonInventoryRet -> NonInventory, ItemOtherChargeRet -> OtherCharge, ... */
export function itemType(retName: string): string {
  return retName.replace(/^Item/, '').replace(/Ret$/, '');
}

export function toTargetItem(type: string, ret: Element): TargetItem {
  const r = readRet(ItemRet, type, ret);
  return { id: r.ListID, name: r.FullName ?? r.Name ?? '', sku: r.ManufacturerPartNumber ?? null, type: itemType(type) };
}

/** Subtotal and sales tax of a sales transaction, as one total (null when QuickBooks did not say). */
function txnTotal(ret: Element): number | null {
  const subtotal = Number(ret.Subtotal ?? NaN);
  const tax = Number(ret.SalesTaxTotal ?? 0);
  return Number.isFinite(subtotal) ? Math.round((subtotal + tax) * 100) / 100 : null;
}

const refListId = (ref: unknown): string | null => text((ref as Element | undefined)?.ListID);

export function toCreated(type: string, ret: Element): CreatedRecord {
  const form = (Object.keys(FORM_ENTITY) as SalesForm[]).find((f) => `${FORM_ENTITY[f]}Ret` === type);
  if (form || type === 'ReceivePaymentRet') {
    const r = readRet(SalesTxnRet, type, ret);
    if (form) return { id: r.TxnID, number: r.RefNumber ?? null, total: txnTotal(r), form };
    const total = Number(r.TotalAmount ?? NaN);
    return { id: r.TxnID, number: r.RefNumber ?? null, total: Number.isFinite(total) ? total : null };
  }
  const r = readRet(ItemRet, type, ret);
  if (type === 'CustomerRet') return { id: r.ListID, name: r.FullName ?? r.Name ?? null };
  return { id: r.ListID, name: r.FullName ?? r.Name ?? null, type: itemType(type) };
}

/** An invoice's open balance (BalanceRemaining) and customer. */
export function toOpenBalance(ret: Element): OpenBalance {
  return { balance: Number(ret.BalanceRemaining ?? 0), customerId: refListId(ret.CustomerRef), total: txnTotal(ret) };
}

/** A payment QuickBooks holds, with the transactions it is applied to (AppliedToTxnRet). */
export function toHeldPayment(ret: Element): HeldPayment {
  const links = ((ret.AppliedToTxnRet ?? []) as Element[]).flatMap((a) => (text(a.TxnID) ? [text(a.TxnID)!] : []));
  return {
    id: String(ret.TxnID),
    reference: text(ret.RefNumber),
    customerId: refListId(ret.CustomerRef),
    amount: Number(ret.TotalAmount ?? 0),
    date: text(ret.TxnDate),
    sourceId: readMarker(text(ret.Memo)),
    links,
  };
}
