// The detail panel of a record page in the local org: every field the user may read, labelled from the object's
// describe, with lookups named and linked — what force:detailPanel shows on a Lightning record page.
import { soqlQuote } from '../../service/src/salesforce/repository';
import type { OrgUser, SalesforceClient } from './salesforce';

export interface RecordFieldView {
  apiName: string;
  label: string;
  /** The describe's field type (datetime, date, currency, reference, ...). */
  type: string;
  value: string | number | boolean | null;
  /** A lookup: the parent's object, id and name. */
  reference?: { objectApiName: string; recordId: string; name: string | null };
}

export interface RecordView {
  objectApiName: string;
  objectLabel: string;
  recordId: string;
  name: string;
  fields: RecordFieldView[];
}

// System fields a detail panel leaves to the header or hides.
const HIDDEN = new Set(['Id', 'IsDeleted', 'SystemModstamp', 'LastViewedDate', 'LastReferencedDate', 'LastActivityDate']);
const UNREADABLE_TYPES = new Set(['address', 'location', 'base64']);

export async function recordView(salesforce: SalesforceClient, user: OrgUser, objectApiName: string, recordId: string): Promise<RecordView | null> {
  const describe = await salesforce.describe(user, objectApiName);
  const fields = describe.fields.filter((f) => !HIDDEN.has(f.name) && !UNREADABLE_TYPES.has(f.type));
  const parents = fields.filter((f) => f.type === 'reference' && f.relationshipName && f.referenceTo?.length === 1);
  const select = [...fields.map((f) => f.name), ...parents.map((f) => `${f.relationshipName}.Name`)];
  const { records } = await salesforce.query(user, `SELECT ${['Id', ...select].join(', ')} FROM ${objectApiName} WHERE Id = ${soqlQuote(recordId)} LIMIT 1`);
  const row = records[0] as Record<string, unknown> | undefined;
  if (!row) return null;
  const nameField = describe.fields.find((f) => f.nameField)?.name ?? 'Name';
  return {
    objectApiName,
    objectLabel: describe.label,
    recordId: String(row.Id),
    name: String(row[nameField] ?? row.Id),
    fields: fields.map((f) => {
      const value = row[f.name] as RecordFieldView['value'] | undefined;
      const view: RecordFieldView = { apiName: f.name, label: f.label, type: f.type, value: value ?? null };
      if (parents.includes(f) && typeof value === 'string') {
        const parent = row[f.relationshipName!] as { Name?: string } | null | undefined;
        view.reference = { objectApiName: f.referenceTo![0]!, recordId: value, name: parent?.Name ?? null };
      }
      return view;
    }),
  };
}
