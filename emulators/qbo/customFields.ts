// The three sales-form custom fields of a QuickBooks Online company. Preferences names them
// (SalesFormsPrefs.CustomField: UseSalesCustom1–3 and SalesCustomName1–3, in two nested groups as recorded); a sales
// form lists every field in use, as {DefinitionId, Name, Type: "StringType"} with a StringValue once it has one
// (the recorded invoices: `{"DefinitionId":"1","Name":"Crew #","Type":"StringType","StringValue":"102"}`, and
// without StringValue when empty). A value for a DefinitionId the company does not use is not kept.

import { faults } from './faults';
import { checkLength, isObject, str } from './rules';
import type { Entity, Realm } from './state';

/** QuickBooks keeps 31 characters of a sales-form custom field. */
export const CUSTOM_FIELD_MAX = 31;

/** DefinitionId → name, for the fields in use. */
export function customFieldsInUse(realm: Realm): Map<string, string> {
  const fields = new Map<string, string>();
  realm.prefs.customFields.slice(0, 3).forEach((name, i) => {
    if (name) fields.set(String(i + 1), name);
  });
  return fields;
}

/** The CustomField array a sales form stores, from what was sent (a sparse update sends what the form held). */
export function salesFormCustomFields(realm: Realm, sent: unknown, seeding = false): Entity[] {
  if (seeding && Array.isArray(sent)) return sent;
  const values = new Map<string, string>();
  for (const f of Array.isArray(sent) ? sent : []) {
    if (!isObject(f)) continue;
    const id = str(f.DefinitionId);
    if (!id) throw faults.requiredParam('CustomField.DefinitionId');
    const value = str(f.StringValue);
    checkLength(value, 'CustomField.StringValue', CUSTOM_FIELD_MAX);
    if (value === undefined || value === '') values.delete(id);
    else values.set(id, value);
  }
  return [...customFieldsInUse(realm)].map(([id, name]) => {
    const value = values.get(id);
    return { DefinitionId: id, Name: name, Type: 'StringType', ...(value !== undefined ? { StringValue: value } : {}) };
  });
}

/** Preferences.SalesFormsPrefs.CustomField, in the recorded two-group shape. */
export function customFieldPreferences(realm: Realm): Entity[] {
  const names = [0, 1, 2].map((i) => realm.prefs.customFields[i] ?? '');
  return [
    {
      CustomField: [3, 2, 1].map((n) => ({ Name: `SalesFormsPrefs.UseSalesCustom${n}`, Type: 'BooleanType', BooleanValue: names[n - 1] !== '' })),
    },
    {
      CustomField: names.flatMap((name, i) => (name ? [{ Name: `SalesFormsPrefs.SalesCustomName${i + 1}`, Type: 'StringType', StringValue: name }] : [])),
    },
  ];
}
