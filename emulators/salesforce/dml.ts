// Insert, update, delete and upsert of single records with the org's validation rules derived
// from metadata. Every change pushes an undo step so a batch can be rolled back (allOrNone).
import { id15, isIdLike, keyPrefixOf } from './ids';
import type { FieldDef, ObjectDef } from './schema';
import type { Row, Store } from './store';
import { validationErrors } from './validation';
import { coerceValue, type SaveError } from './values';

export interface DmlContext {
  userId: string;
  /** Formatted timestamp for CreatedDate/LastModifiedDate/SystemModstamp. */
  now: string;
  /** Rollback steps, newest last. */
  undo: Array<() => void>;
  /** Seeding may set Id and audit fields itself. */
  allowSystemFields?: boolean;
  /** Injected per-record failures (e.g. UNABLE_TO_LOCK_ROW) for writes to this id. */
  recordFault?: (id: string) => SaveError | undefined;
}

export type SaveResult = { success: true; id: string; created?: boolean } | { success: false; errors: SaveError[] };

const fail = (...errors: SaveError[]): SaveResult => ({ success: false, errors });
const error = (statusCode: string, message: string, fields: string[] = []): SaveError => ({ statusCode, message, fields });

const AUDIT_FIELDS = new Set(['createddate', 'lastmodifieddate', 'systemmodstamp', 'createdbyid', 'lastmodifiedbyid']);

/** The Id error the platform gives for an id that is not one of this object's. */
function badIdError(obj: ObjectDef, id: string): SaveError {
  return error('MALFORMED_ID', `${obj.label} ID: id value of incorrect type: ${id}`, ['Id']);
}

interface Collected {
  values: Row;
  errors: SaveError[];
}

function collectFields(store: Store, obj: ObjectDef, input: Row, mode: 'insert' | 'update', ctx: DmlContext): Collected {
  const values: Row = {};
  const errors: SaveError[] = [];
  const readOnly: string[] = [];
  for (const [key, raw] of Object.entries(input)) {
    if (key === 'attributes') continue;
    const field = obj.fieldMap.get(key.toLowerCase());
    if (!field) {
      return { values, errors: [error('INVALID_FIELD', `No such column '${key}' on sobject of type ${obj.name}`)] };
    }
    if (field.name === 'Id') {
      if (mode === 'update' || ctx.allowSystemFields) continue;
      errors.push(error('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']));
      continue;
    }
    // Seeds may also set what deployment sets: custom metadata records' fields.
    const seedable =
      ctx.allowSystemFields &&
      (AUDIT_FIELDS.has(key.toLowerCase()) || (field.computed && !field.summary) || obj.customMetadata === true || obj.deployed === true);
    const writable = mode === 'insert' ? field.createable : field.updateable;
    if (!writable && !seedable) {
      readOnly.push(field.name);
      continue;
    }
    const coerced = coerceValue(field, raw, store.schema);
    if (coerced.ok) values[field.name] = coerced.value;
    else errors.push(coerced.error);
  }
  if (readOnly.length > 0) {
    errors.unshift(
      error(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly,
      ),
    );
  }
  return { values, errors };
}

interface ObjectRules {
  required: FieldDef[];
  checked: FieldDef[];
}

const rulesCache = new WeakMap<ObjectDef, ObjectRules>();

/** Per-object field lists the checks below walk, computed once (seeding runs them 50k times). */
function rules(obj: ObjectDef): ObjectRules {
  let r = rulesCache.get(obj);
  if (!r) {
    r = { required: obj.fields.filter((f) => f.required), checked: obj.fields.filter((f) => f.type === 'reference' || f.unique) };
    rulesCache.set(obj, r);
  }
  return r;
}

/** Checks references point at existing rows and unique values are free; stores canonical ids. */
function checkConstraints(store: Store, obj: ObjectDef, values: Row, selfId: string): SaveError[] {
  const errors: SaveError[] = [];
  for (const field of rules(obj).checked) {
    const name = field.name;
    const value = values[name];
    if (value === null || value === undefined) continue;
    if (field.type === 'reference') {
      if (id15(value as string) === id15(selfId)) continue;
      const target = store.find(value as string);
      if (!target) {
        errors.push(error('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id'));
        continue;
      }
      values[name] = target.row.Id;
    }
    if (field.unique) {
      const owner = store.uniqueOwner(obj, field, value);
      if (owner && id15(owner) !== id15(selfId)) {
        errors.push(error('DUPLICATE_VALUE', `duplicate value found: ${field.name} duplicates value on record with id: ${owner}`));
      }
    }
  }
  return errors;
}

function missingRequired(obj: ObjectDef, row: Row): SaveError | undefined {
  const missing = rules(obj)
    .required.filter((f) => row[f.name] === null || row[f.name] === undefined)
    .map((f) => f.name);
  return missing.length > 0 ? error('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing) : undefined;
}

function formatAutoNumber(format: string, n: number): string {
  return format.replace(/\{(0+)\}/, (_m, zeros: string) => String(n).padStart(zeros.length, '0'));
}

function computeDerived(obj: ObjectDef, row: Row): void {
  if (obj.name === 'User') {
    row.Name = [row.FirstName, row.LastName].filter((v) => v !== null && v !== undefined && v !== '').join(' ');
  }
}

export function insertRecord(store: Store, obj: ObjectDef, input: Row, ctx: DmlContext): SaveResult {
  const { values, errors } = collectFields(store, obj, input, 'insert', ctx);
  if (errors.length > 0) return fail(...errors);

  let id: string;
  const givenId = ctx.allowSystemFields ? Object.entries(input).find(([k]) => k.toLowerCase() === 'id')?.[1] : undefined;
  if (typeof givenId === 'string' && givenId !== '') {
    if (!isIdLike(givenId) || keyPrefixOf(givenId) !== obj.keyPrefix) return fail(badIdError(obj, givenId));
    if (store.get(obj.name, givenId)) return fail(error('DUPLICATE_VALUE', `duplicate value found: Id duplicates value on record with id: ${givenId}`));
    id = givenId;
  } else {
    id = store.newId(obj);
  }

  const row: Row = {};
  for (const f of obj.fields) {
    if (f.name in values) row[f.name] = values[f.name];
    else if (f.defaultValue !== null) row[f.name] = f.defaultValue;
    else row[f.name] = f.type === 'boolean' ? false : null;
  }
  row.Id = id;
  if ('OwnerId' in row && row.OwnerId === null) row.OwnerId = ctx.userId;
  if ('IsDeleted' in row) row.IsDeleted = false;
  for (const f of ['CreatedDate', 'LastModifiedDate', 'SystemModstamp']) if (row[f] === null || row[f] === undefined) row[f] = ctx.now;
  for (const f of ['CreatedById', 'LastModifiedById']) if (row[f] === null || row[f] === undefined) row[f] = ctx.userId;
  const nameField = obj.nameField;
  if (nameField?.autoNumberFormat) row[nameField.name] = formatAutoNumber(nameField.autoNumberFormat, store.nextAutoNumber(obj, nameField));
  else if (nameField && !nameField.computed && (row[nameField.name] === null || row[nameField.name] === undefined)) row[nameField.name] = id;
  computeDerived(obj, row);

  const missing = missingRequired(obj, row);
  if (missing) return fail(missing);
  const constraintErrors = checkConstraints(store, obj, row, id);
  if (constraintErrors.length > 0) return fail(...constraintErrors);
  // The org's validation rules (seeding, as a data load by an administrator, is not held to them).
  const invalid = ctx.allowSystemFields ? [] : validationErrors(store, obj, obj.validationRules, row, null);
  if (invalid.length > 0) return fail(...invalid);

  store.put(obj, row);
  ctx.undo.push(() => store.remove(obj, id));
  return { success: true, id };
}

/** Finds the row an update/delete addresses, with the platform's errors for bad ids. */
function locate(store: Store, obj: ObjectDef, id: unknown): { row: Row } | { error: SaveError } {
  if (typeof id !== 'string' || id === '') return { error: error('MISSING_ARGUMENT', 'Id not specified in an update call') };
  if (!isIdLike(id) || keyPrefixOf(id) !== obj.keyPrefix) return { error: badIdError(obj, id) };
  const row = store.get(obj.name, id);
  if (row) return { row };
  if (store.wasDeleted(id)) return { error: error('ENTITY_IS_DELETED', 'entity is deleted') };
  return { error: error('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id') };
}

export function updateRecord(store: Store, obj: ObjectDef, id: unknown, input: Row, ctx: DmlContext): SaveResult {
  const found = locate(store, obj, id);
  if ('error' in found) return fail(found.error);
  const current = found.row;
  const currentId = current.Id as string;
  const injected = ctx.recordFault?.(currentId);
  if (injected) return fail(injected);

  const { values, errors } = collectFields(store, obj, input, 'update', ctx);
  if (errors.length > 0) return fail(...errors);
  const next: Row = { ...current, ...values };
  next.LastModifiedDate = values.LastModifiedDate ?? ctx.now;
  next.SystemModstamp = values.SystemModstamp ?? ctx.now;
  next.LastModifiedById = values.LastModifiedById ?? ctx.userId;
  computeDerived(obj, next);
  const missing = missingRequired(obj, next);
  if (missing) return fail(missing);
  const constraintErrors = checkConstraints(store, obj, values, currentId);
  if (constraintErrors.length > 0) return fail(...constraintErrors);
  Object.assign(next, values);
  const invalid = ctx.allowSystemFields ? [] : validationErrors(store, obj, obj.validationRules, next, current);
  if (invalid.length > 0) return fail(...invalid);

  store.put(obj, next);
  ctx.undo.push(() => store.put(obj, current));
  return { success: true, id: currentId };
}

function cascadeDelete(store: Store, obj: ObjectDef, parentId: string, ctx: DmlContext): void {
  const key = id15(parentId);
  for (const rel of obj.childRelationships) {
    const childObj = store.schema.get(rel.childSObject) as ObjectDef;
    const table = store.table(childObj.name);
    for (const child of [...table.values()]) {
      const ref = child[rel.field];
      if (typeof ref !== 'string' || id15(ref) !== key) continue;
      if (rel.cascadeDelete) {
        removeWithChildren(store, childObj, child, ctx);
      } else {
        // Lookups are SetNull: the child stays and loses its parent.
        const before = child;
        store.put(childObj, { ...child, [rel.field]: null });
        ctx.undo.push(() => store.put(childObj, before));
      }
    }
  }
}

function removeWithChildren(store: Store, obj: ObjectDef, row: Row, ctx: DmlContext): void {
  cascadeDelete(store, obj, row.Id as string, ctx);
  store.remove(obj, row.Id as string);
  ctx.undo.push(() => store.restore(obj, row));
}

export function deleteRecord(store: Store, obj: ObjectDef, id: unknown, ctx: DmlContext): SaveResult {
  const found = locate(store, obj, id);
  if ('error' in found) return fail(found.error);
  const injected = ctx.recordFault?.(found.row.Id as string);
  if (injected) return fail(injected);
  removeWithChildren(store, obj, found.row, ctx);
  return { success: true, id: found.row.Id as string };
}

/** Upsert by an external-id field: updates the record holding the value, else inserts one. */
export function upsertRecord(store: Store, obj: ObjectDef, field: FieldDef, value: unknown, input: Row, ctx: DmlContext): SaveResult {
  const ownerId = field.name === 'Id' ? (typeof value === 'string' && store.get(obj.name, value) ? value : undefined) : store.uniqueOwner(obj, field, value);
  const rest: Row = {};
  for (const [k, v] of Object.entries(input)) if (k.toLowerCase() !== field.name.toLowerCase()) rest[k] = v;
  if (ownerId) {
    const r = updateRecord(store, obj, ownerId, rest, ctx);
    return r.success ? { ...r, created: false } : r;
  }
  const r = insertRecord(store, obj, field.name === 'Id' ? rest : { ...rest, [field.name]: value }, ctx);
  return r.success ? { ...r, created: true } : r;
}

export function rollback(ctx: DmlContext): void {
  while (ctx.undo.length > 0) (ctx.undo.pop() as () => void)();
}
