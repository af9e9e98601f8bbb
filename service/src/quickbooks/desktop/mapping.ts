// The engine's neutral documents as qbXML adds (children in schema order), and QuickBooks Desktop's *Ret
// elements as the engine's records. Accounts and items are referred to by ListID (what the Company's
// account and item settings hold for a Desktop company).
import type { CreatedRecord, CustomerDoc, InvoiceDoc, ItemDoc, TargetCustomer, TargetItem } from '../../export/target';
import { addRequest, amount, decimal, text, type QbRequest } from './qbxml';
import { ordered, type Element } from './schema';

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

export function invoiceAdd(doc: InvoiceDoc, requestID: string): QbRequest {
  const lines: Element[] = doc.lines.map((l) =>
    ordered('InvoiceLineAdd', {
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
    lines.push(ordered('InvoiceLineAdd', { ItemRef: { ListID: doc.discount.account }, Desc: 'Order discount', Amount: amount(-doc.discount.amount) }));
  }
  return addRequest('Invoice', requestID, {
    CustomerRef: { ListID: doc.customerId },
    TxnDate: doc.txnDate,
    RefNumber: doc.docNumber ?? undefined,
    DueDate: doc.dueDate,
    Memo: doc.privateNote,
    InvoiceLineAdd: lines,
  });
}

// ------------------------------------------------------------------ answers

export function toTargetCustomer(ret: Element): TargetCustomer {
  const bill = (ret.BillAddress ?? {}) as Element;
  return {
    id: String(ret.ListID),
    displayName: text(ret.FullName) ?? text(ret.Name) ?? '',
    givenName: text(ret.FirstName),
    familyName: text(ret.LastName),
    companyName: text(ret.CompanyName),
    email: text(ret.Email),
    city: text(bill.City),
  };
}

/** ItemServiceRet -> Service, ItemNonInventoryRet -> NonInventory, ItemOtherChargeRet -> OtherCharge, ... */
export function itemType(retName: string): string {
  return retName.replace(/^Item/, '').replace(/Ret$/, '');
}

export function toTargetItem(type: string, ret: Element): TargetItem {
  return { id: String(ret.ListID), name: text(ret.FullName) ?? text(ret.Name) ?? '', sku: text(ret.ManufacturerPartNumber), type: itemType(type) };
}

export function toCreated(type: string, ret: Element): CreatedRecord {
  if (type === 'InvoiceRet') {
    const subtotal = Number(ret.Subtotal ?? NaN);
    const tax = Number(ret.SalesTaxTotal ?? 0);
    return { id: String(ret.TxnID), number: text(ret.RefNumber), total: Number.isFinite(subtotal) ? Math.round((subtotal + tax) * 100) / 100 : null };
  }
  if (type === 'CustomerRet') return { id: String(ret.ListID), name: text(ret.FullName) ?? text(ret.Name) };
  return { id: String(ret.ListID), name: text(ret.FullName) ?? text(ret.Name), type: itemType(type) };
}
