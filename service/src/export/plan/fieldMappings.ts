// Pure: the fields an admin maps from Salesforce to QuickBooks without code (Ledgerline_Field_Mapping__mdt records).
// Checked once when a run starts — an unknown Salesforce or QuickBooks field, or a type the QuickBooks field cannot
// hold, stops the run before anything is sent — then applied to every invoice, each value fitted to its field.
import { cleanText } from '../../matching/names';

/** A Salesforce field's type as far as mapping goes. */
export type SourceFieldType = 'text' | 'email' | 'number' | 'date' | 'datetime' | 'boolean';

/** One mapping record, with the type of the Salesforce field it names (null: no such field on the object). */
export interface SourceFieldMapping {
  /** The record's name (DeveloperName), used in messages. */
  name: string;
  object: string;
  field: string;
  fieldType: SourceFieldType | null;
  quickBooksField: string;
}

/** A QuickBooks field a mapping can fill, as the target declares it. */
export interface MappableField {
  kind: 'text' | 'date' | 'email';
  max: number;
}

/** Where a mapped value goes on the document. */
export type MappedTarget =
  | { to: 'customerMemo' | 'privateNote' | 'shipDate' | 'trackingNum' | 'billEmail' | 'poNumber' }
  | { to: 'shipTo'; part: 'line1' | 'city' | 'state' | 'postalCode' | 'country' }
  | { to: 'customField'; definitionId: string; name: string };

export interface ResolvedMapping {
  name: string;
  field: string;
  quickBooksField: string;
  spec: MappableField;
  target: MappedTarget;
}

/** The one object whose fields can be mapped. */
export const MAPPED_OBJECT = 'Sales_Invoice__c';

const SHIP_PARTS: Record<string, 'line1' | 'city' | 'state' | 'postalCode' | 'country'> = {
  'ShipAddr.Line1': 'line1',
  'ShipAddr.City': 'city',
  'ShipAddr.CountrySubDivisionCode': 'state',
  'ShipAddr.PostalCode': 'postalCode',
  'ShipAddr.Country': 'country',
};

const PLAIN: Record<string, 'customerMemo' | 'privateNote' | 'shipDate' | 'trackingNum' | 'billEmail' | 'poNumber'> = {
  Memo: 'customerMemo',
  CustomerMemo: 'customerMemo',
  PrivateNote: 'privateNote',
  ShipDate: 'shipDate',
  TrackingNum: 'trackingNum',
  BillEmail: 'billEmail',
  PONumber: 'poNumber',
};

/** Which Salesforce types each kind of QuickBooks field takes. */
const ACCEPTS: Record<MappableField['kind'], SourceFieldType[]> = {
  text: ['text', 'email', 'number', 'date'],
  date: ['date', 'datetime'],
  email: ['email', 'text'],
};

function targetOf(quickBooksField: string): MappedTarget | 'customField' | null {
  if (SHIP_PARTS[quickBooksField]) return { to: 'shipTo', part: SHIP_PARTS[quickBooksField] };
  if (PLAIN[quickBooksField]) return { to: PLAIN[quickBooksField] };
  if (/^CustomField:/i.test(quickBooksField)) return 'customField';
  return null;
}

export type MappingCheck = { ok: true; mappings: ResolvedMapping[] } | { ok: false; problems: string[] };

/** What the target holds that mappings can fill: its declared fields and the company's custom fields in use. */
export interface MappingTarget {
  system: string;
  /** Keyed as a mapping names them; `CustomField` stands for every `CustomField:<name>`. */
  fields: Record<string, MappableField>;
  customFields: { id: string; name: string }[];
}

function unknownField(field: string, holder: MappingTarget): string {
  const names = Object.keys(holder.fields).map((k) => (k === 'CustomField' ? 'CustomField:<name>' : k));
  return `${holder.system} has no field "${field}" a mapping can fill (it takes ${names.join(', ')}).`;
}

/** Where one mapping goes, or why it cannot. */
function resolve(m: SourceFieldMapping, holder: MappingTarget): { target: MappedTarget; spec: MappableField } | string {
  const qbField = m.quickBooksField.trim();
  const found = targetOf(qbField);
  if (found === 'customField') {
    const name = qbField.slice('CustomField:'.length).trim();
    const spec = holder.fields.CustomField;
    if (!spec) return `${holder.system} has no custom fields a mapping can fill.`;
    const field = holder.customFields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field) {
      const inUse = holder.customFields.map((f) => `"${f.name}"`).join(', ') || 'none';
      return `this ${holder.system} company has no custom field "${name}" in use (it has ${inUse}).`;
    }
    return { target: { to: 'customField', definitionId: field.id, name: field.name }, spec };
  }
  const spec = holder.fields[qbField];
  if (!found || !spec) return unknownField(qbField, holder);
  return { target: found, spec };
}

/** Checks every mapping against the Salesforce object and what the target holds. */
export function checkMappings(mappings: SourceFieldMapping[], holder: MappingTarget): MappingCheck {
  const problems: string[] = [];
  const resolved: ResolvedMapping[] = [];
  const used = new Map<string, string>();
  for (const m of mappings) {
    const what = `Field mapping "${m.name}" (${m.object}.${m.field} → ${m.quickBooksField})`;
    if (m.object.toLowerCase() !== MAPPED_OBJECT.toLowerCase()) {
      problems.push(`${what}: only ${MAPPED_OBJECT} fields can be mapped.`);
      continue;
    }
    if (!m.fieldType) {
      problems.push(`${what}: ${MAPPED_OBJECT} has no field ${m.field}.`);
      continue;
    }
    const r = resolve(m, holder);
    if (typeof r === 'string') {
      problems.push(`${what}: ${r}`);
      continue;
    }
    if (!ACCEPTS[r.spec.kind].includes(m.fieldType)) {
      problems.push(`${what}: a ${m.fieldType} field cannot fill ${m.quickBooksField}, which holds ${r.spec.kind === 'text' ? 'text' : `a ${r.spec.kind}`}.`);
      continue;
    }
    const t = r.target;
    const key = t.to === 'customField' ? `customField:${t.definitionId}` : t.to === 'shipTo' ? `shipTo:${t.part}` : t.to;
    const other = used.get(key);
    if (other) {
      problems.push(`${what}: mapping "${other}" already fills ${m.quickBooksField}.`);
      continue;
    }
    used.set(key, m.name);
    resolved.push({ name: m.name, field: m.field, quickBooksField: m.quickBooksField.trim(), spec: r.spec, target: t });
  }
  return problems.length ? { ok: false, problems } : { ok: true, mappings: resolved };
}

/** What the mappings put on one invoice. */
export interface MappedFields {
  customerMemo?: string;
  privateNote?: string;
  shipDate?: string;
  trackingNum?: string;
  billEmail?: string;
  poNumber?: string;
  shipTo?: Partial<Record<'line1' | 'city' | 'state' | 'postalCode' | 'country', string>>;
  customFields?: { definitionId: string; name: string; value: string }[];
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return String(value);
  return String(value);
}

/** The mapped values of one invoice's record, each fitted to its QuickBooks field (what was cut is listed). */
export function applyMappings(mappings: ResolvedMapping[], values: Record<string, unknown>): { fields: MappedFields; shortened: string[] } {
  const fields: MappedFields = {};
  const shortened: string[] = [];
  for (const m of mappings) {
    const raw = asText(values[m.field]);
    if (raw === null) continue;
    let value: string;
    if (m.spec.kind === 'date') value = raw.slice(0, 10);
    else {
      const c = cleanText(raw, m.spec.max);
      for (const change of c.changes) shortened.push(`${m.quickBooksField} (from ${m.field}) ${change}`);
      if (!c.value) continue;
      value = c.value;
    }
    const t = m.target;
    if (t.to === 'customField') (fields.customFields ??= []).push({ definitionId: t.definitionId, name: t.name, value });
    else if (t.to === 'shipTo') (fields.shipTo ??= {})[t.part] = value;
    else fields[t.to] = value;
  }
  return { fields, shortened };
}

/** The mappings as a dry run shows them. */
export function mappingView(mappings: ResolvedMapping[]): { name: string; salesforceField: string; quickBooksField: string }[] {
  return mappings.map((m) => ({ name: m.name, salesforceField: `${MAPPED_OBJECT}.${m.field}`, quickBooksField: m.quickBooksField }));
}
