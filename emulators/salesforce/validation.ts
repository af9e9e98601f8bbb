// The org's validation rules, read from force-app and evaluated as the platform does on every insert and update:
// the error condition formula runs on the record as it would be saved, with ISNEW(), ISCHANGED(field) and
// PRIORVALUE(field) answered from the stored record and parent paths (Company__r.Accounting_System__c) followed
// through the store. The formula itself is evaluated by formulon, a Salesforce formula engine: the rule is tested as
// written, not re-implemented here.
import fs from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { extract, parse } from 'formulon';
import type { FieldDef, ObjectDef } from './schema';
import type { Row, Store } from './store';
import type { SaveError } from './values';

export interface ValidationRule {
  name: string;
  /** The formula with ISNEW(), ISCHANGED(x) and PRIORVALUE(x) turned into identifiers this module supplies. */
  formula: string;
  identifiers: string[];
  message: string;
  /** The field the error is shown on, if the rule names one. */
  field: string | null;
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

const IS_NEW = 'LL_ISNEW';
const CHANGED = 'LL_CHANGED__';
const PRIOR = 'LL_PRIOR__';

/** The active rules of one object folder (`objects/<Object>/validationRules/*.validationRule-meta.xml`). */
export function loadValidationRules(objectDir: string): ValidationRule[] {
  const dir = path.join(objectDir, 'validationRules');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.validationRule-meta.xml'))
    .sort()
    .flatMap((f) => {
      const xml = (parser.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, any>).ValidationRule ?? {};
      if (String(xml.active) !== 'true') return [];
      // ISCHANGED and PRIORVALUE take a field of the record itself (the platform refuses anything else).
      const formula = String(xml.errorConditionFormula ?? '')
        .replace(/\bISNEW\s*\(\s*\)/gi, IS_NEW)
        .replace(/\bISCHANGED\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)/gi, (_m, field: string) => `${CHANGED}${field}`)
        .replace(/\bPRIORVALUE\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)/gi, (_m, field: string) => `${PRIOR}${field}`);
      return [
        {
          name: String(xml.fullName ?? f.replace(/\.validationRule-meta\.xml$/, '')),
          formula,
          identifiers: extract(formula),
          message: String(xml.errorMessage ?? 'Validation failed.'),
          field: xml.errorDisplayField ? String(xml.errorDisplayField) : null,
        },
      ];
    });
}

type Literal = { type: 'literal'; dataType: string; value: unknown; options: Record<string, unknown> };

/** A field value as formulon's literal of the field's type (blank text and picklists are '', as formulas see them). */
function literal(field: FieldDef | undefined, value: unknown): Literal {
  const type = field?.type;
  if (type === 'boolean') return { type: 'literal', dataType: 'checkbox', value: value === true, options: {} };
  if (type === 'double' || type === 'currency' || type === 'percent') {
    return {
      type: 'literal',
      dataType: 'number',
      value: value === null || value === undefined ? null : Number(value),
      options: { length: 18, scale: field?.scale ?? 2 },
    };
  }
  if (type === 'date' || type === 'datetime') {
    return { type: 'literal', dataType: type, value: value ? new Date(String(value)) : null, options: {} };
  }
  const text = value === null || value === undefined ? '' : String(value);
  if (type === 'picklist') return { type: 'literal', dataType: 'picklist', value: text, options: { values: field?.picklistValues.map((p) => p.value) ?? [] } };
  return { type: 'literal', dataType: 'text', value: text, options: { length: text.length } };
}

/** A value the formula names: a field of the record, or one reached through its parents (Company__r.X__c). */
function resolve(store: Store, obj: ObjectDef, row: Row, ref: string): Literal {
  const parts = ref.split('.');
  let currentObj = obj;
  let current: Row | undefined = row;
  for (const relationship of parts.slice(0, -1)) {
    const through = currentObj.parentRelationships.get(relationship.toLowerCase());
    const parentId: unknown = through && current ? current[through.name] : null;
    const parent: { obj: ObjectDef; row: Row } | undefined = typeof parentId === 'string' ? store.find(parentId) : undefined;
    if (!through || !parent) return literal(undefined, null);
    currentObj = parent.obj;
    current = parent.row;
  }
  const field = currentObj.fieldMap.get(parts[parts.length - 1]!.toLowerCase());
  return literal(field, current?.[field?.name ?? '']);
}

/** Results by rule and values: a bulk write-back evaluates the same few value sets thousands of times. */
const results = new Map<string, { type: string; value?: unknown; message?: string }>();

function evaluate(rule: ValidationRule, values: Record<string, Literal>): { type: string; value?: unknown; message?: string } {
  const key = `${rule.formula}\u0000${JSON.stringify(values)}`;
  let result = results.get(key);
  if (!result) {
    result = parse(rule.formula, values);
    if (results.size > 5_000) results.clear();
    results.set(key, result);
  }
  return result;
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null) || (a instanceof Date && b instanceof Date && a.getTime() === b.getTime());

/** The errors of the object's rules on a record about to be saved (`prior`: the stored record; null on insert). */
export function validationErrors(store: Store, obj: ObjectDef, rules: ValidationRule[], next: Row, prior: Row | null): SaveError[] {
  const errors: SaveError[] = [];
  for (const rule of rules) {
    const values: Record<string, Literal> = {};
    for (const id of rule.identifiers) {
      if (id === IS_NEW) values[id] = literal({ type: 'boolean' } as FieldDef, prior === null);
      else if (id.startsWith(CHANGED)) {
        const field = obj.fieldMap.get(id.slice(CHANGED.length).toLowerCase());
        values[id] = literal({ type: 'boolean' } as FieldDef, prior !== null && !!field && !same(prior[field.name], next[field.name]));
      } else if (id.startsWith(PRIOR)) values[id] = resolve(store, obj, prior ?? {}, id.slice(PRIOR.length));
      else values[id] = resolve(store, obj, next, id);
    }
    const result = evaluate(rule, values);
    if (result.type === 'error') throw new Error(`validation rule ${obj.name}.${rule.name} could not be evaluated: ${result.message}`);
    if (result.value === true) errors.push({ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: rule.message, fields: rule.field ? [rule.field] : [] });
  }
  return errors;
}
