// QuickBooks Online's field lengths (Intuit's entity reference), in characters.
import type { TargetLimits } from '../../export/target';

export const QBO_LIMITS: TargetLimits = {
  displayName: 500,
  givenName: 100,
  familyName: 100,
  companyName: 100,
  phone: 30,
  email: 100,
  addressLine: 500,
  city: 255,
  state: 255,
  postalCode: 30,
  country: 255,
  itemName: 100,
  sku: 100,
  description: 4000,
  lineDescription: 4000,
  docNumber: 21,
  privateNote: 4000,
  customerMemo: 1000,
  paymentReference: 21,
};
