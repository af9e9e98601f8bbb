// QuickBooks Online answers as zod schemas, read at the adapter's edge. Objects are loose: Intuit adds fields
// without a new minor version, and an unknown field is never a fault. What Ledgerline reads must be there and of its
// type — above all an Id: an answer without a usable one is a fault, never a record called "undefined".
import { z } from 'zod';
import { FaultBody, describeProblem, unreadable } from './errors';

/** QuickBooks ids are strings of digits; a number is read as its digits, an empty or missing one is refused. */
export const QboId = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1, 'an empty Id'));

const text = z.string().optional();
const amount = z.number().optional();
/** A reference to another record: `{ value, name? }`. */
const Ref = z.looseObject({ value: QboId, name: text });

/** Any record QuickBooks answers: it has an Id. */
export const Entity = z.looseObject({ Id: QboId });

export const CustomerRow = z.looseObject({
  Id: QboId,
  DisplayName: text,
  GivenName: text,
  FamilyName: text,
  CompanyName: text,
  PrimaryEmailAddr: z.looseObject({ Address: text }).nullish(),
  BillAddr: z.looseObject({ City: text }).nullish(),
  CurrencyRef: Ref.optional(),
});

export const ItemRow = z.looseObject({ Id: QboId, Name: text, Sku: text, Type: text });

/** A list entry read by Id and name (tax codes, classes, locations). */
export const ListRow = z.looseObject({ Id: QboId, Name: text, FullyQualifiedName: text });

export const AccountRow = z.looseObject({ Id: QboId, CurrencyRef: Ref.optional() });

/** A vendor's or employee's name (only the name is read). */
export const NameRow = z.looseObject({ DisplayName: text });

/**
 * What Ledgerline keeps of a record it created (or found it had created): only these fields are read, so the rest of
 * the record (its lines, addresses, metadata) is left out rather than copied.
 */
export const CreatedEntity = z.object({
  Id: QboId,
  DisplayName: text,
  Name: text,
  DocNumber: text,
  TotalAmt: amount,
  Type: text,
  TxnTaxDetail: z.looseObject({ TotalTax: amount }).optional(),
  CurrencyRef: Ref.optional(),
  ExchangeRate: amount,
  HomeTotalAmt: amount,
  SyncToken: z.union([z.string(), z.number()]).transform(String).optional(),
  Balance: amount,
});

/** An invoice as an update needs it: its SyncToken, total and open balance. */
export const StandingRow = z.looseObject({
  Id: QboId,
  SyncToken: z.union([z.string(), z.number()]).transform(String),
  TotalAmt: z.number(),
  Balance: z.number(),
});

/** A sales form or payment as far as finding Ledgerline's marker in it. */
export const MarkedRow = z.looseObject({ Id: QboId, PrivateNote: text });

export const NumberedRow = z.looseObject({ Id: QboId, DocNumber: text, PrivateNote: text });

export const BalanceRow = z.looseObject({ Id: QboId, Balance: amount, TotalAmt: amount, CustomerRef: Ref.optional() });

export const PaymentRow = z.looseObject({
  Id: QboId,
  PaymentRefNum: text,
  CustomerRef: Ref.optional(),
  TotalAmt: amount,
  TxnDate: text,
  PrivateNote: text,
  Line: z.array(z.looseObject({ LinkedTxn: z.array(z.looseObject({ TxnId: QboId, TxnType: text })).optional() })).optional(),
});

export const CompanyInfo = z.looseObject({ CompanyName: text, Country: text });
export type CompanyInfo = z.infer<typeof CompanyInfo>;

export const Preferences = z.looseObject({
  SalesFormsPrefs: z.looseObject({ CustomTxnNumbers: z.boolean().optional(), WarnDuplicateDocNum: z.boolean().optional() }).optional(),
  CurrencyPrefs: z.looseObject({ MultiCurrencyEnabled: z.boolean().optional(), HomeCurrency: z.looseObject({ value: text }).optional() }).optional(),
  TaxPrefs: z.looseObject({ PartnerTaxEnabled: z.boolean().optional(), UsingSalesTax: z.boolean().optional() }).optional(),
  AccountingInfoPrefs: z
    .looseObject({ ClassTrackingPerTxnLine: z.boolean().optional(), ClassTrackingPerTxn: z.boolean().optional(), TrackDepartments: z.boolean().optional() })
    .optional(),
  OtherPrefs: z
    .looseObject({
      WarnDuplicateDocNum: z.boolean().optional(),
      NameValue: z.array(z.looseObject({ Name: text, Value: z.union([z.string(), z.boolean()]).optional() })).optional(),
    })
    .optional(),
});
export type Preferences = z.infer<typeof Preferences>;

/** One page of a query: `{ QueryResponse: { <Entity>: [...], startPosition, maxResults } }` (an empty page is `{}`). */
export const QueryAnswer = z.looseObject({ QueryResponse: z.record(z.string(), z.unknown()).optional() });
export const QueryRows = z.array(z.record(z.string(), z.unknown())).optional();

export const BatchItemAnswer = z.looseObject({
  bId: z.union([z.string(), z.number()]).transform(String),
  Fault: FaultBody.optional(),
  QueryResponse: z.record(z.string(), z.unknown()).optional(),
});
export const BatchAnswer = z.looseObject({ BatchItemResponse: z.array(z.unknown()) });

/** The value as the schema reads it, or the unreadable-answer fault naming what was wrong. */
export function readAnswer<S extends z.ZodType>(schema: S, value: unknown, what: string, intuitTid: string | null = null): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw unreadable(what, describeProblem(parsed.error), intuitTid);
  return parsed.data;
}
