// QuickBooks Desktop's field lengths (qbXML SDK, US edition), in characters: far shorter than Online's.
import type { TargetLimits } from '../../export/target';

export const DESKTOP_LIMITS: TargetLimits = {
  /** Customer Name (the list name; also what invoices show). */
  displayName: 41,
  givenName: 25,
  familyName: 25,
  companyName: 41,
  phone: 21,
  email: 1023,
  addressLine: 41,
  city: 31,
  state: 21,
  postalCode: 13,
  country: 31,
  itemName: 31,
  /** ManufacturerPartNumber carries the SKU. */
  sku: 31,
  description: 4095,
  lineDescription: 4095,
  /** Invoice RefNumber. */
  docNumber: 11,
  /** Invoice Memo (carries the marker). */
  privateNote: 4095,
  /** Desktop prints a customer message only from its own list; the memo text goes with the Memo. */
  customerMemo: 101,
  paymentReference: 20,
};

/** PONumber on an invoice, payment RefNumber: documented for the kinds that send them. */
export const DESKTOP_PO_NUMBER = 25;
export const DESKTOP_PAYMENT_REF_NUMBER = 20;
