// Classes and locations (the API calls locations Department): two name lists a company may track its sales by, and
// how a sales form refers to them. A class goes on the transaction or on each line, as the company's
// AccountingInfoPrefs.ClassTrackingPerTxn / ClassTrackingPerTxnLine say; a location on the transaction when
// TrackDepartments is on. A reference the company does not track is left off the stored form.
// Shapes: quickbooks-ruby spec/fixtures/class.xml and department.xml (Name, SubClass/SubDepartment,
// FullyQualifiedName, Active).

import { faults, QboFault } from './faults';
import type { EntityHandler } from './lists';
import { checkLength, checkNameChars, resolveRef, str, type WriteContext } from './rules';
import type { Entity } from './state';

type ListName = 'Class' | 'Department';

const SYSTEM = ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse'];

function duplicateName(list: ListName): QboFault {
  const what = list === 'Class' ? 'class' : 'location';
  return new QboFault([
    {
      Message: 'Duplicate Name Exists Error',
      Detail: `The name supplied already exists. : Another ${what} is already using this name. Please use a different name.`,
      code: '6240',
      element: '',
    },
  ]);
}

function listHandler(list: ListName): EntityHandler {
  const sub = list === 'Class' ? 'SubClass' : 'SubDepartment';
  const names = (ctx: WriteContext) => (list === 'Class' ? ctx.realm.classNames : ctx.realm.departmentNames);
  return {
    known: new Set([...SYSTEM, 'Name', sub, 'ParentRef', 'FullyQualifiedName', 'Active']),
    order: ['Name', sub, 'ParentRef', 'FullyQualifiedName', 'Active', 'domain', 'sparse', 'Id', 'SyncToken', 'MetaData'],
    createAllowed: true,
    deleteAllowed: false,
    build(ctx, input, existing) {
      const name = str(input.Name)?.trim();
      if (!name) throw faults.requiredParam('Name');
      checkLength(name, 'Name', 100);
      checkNameChars(name, 'Name');
      let fqn = name;
      let parentRef: Entity | undefined;
      if (input.ParentRef !== undefined && input.ParentRef !== null) {
        const parent = resolveRef(ctx, list, input.ParentRef, list);
        fqn = `${parent.FullyQualifiedName}:${name}`;
        parentRef = { value: parent.Id, name: parent.Name };
      }
      const owner = names(ctx).get(fqn.toLowerCase());
      if (owner !== undefined && owner !== existing?.Id) throw duplicateName(list);
      const active = input.Active === undefined ? true : input.Active !== false && input.Active !== 'false';
      return { ...input, Name: name, [sub]: parentRef !== undefined, ParentRef: parentRef, FullyQualifiedName: fqn, Active: active };
    },
    commit(ctx, entity, existing) {
      const index = names(ctx);
      if (existing) {
        const key = String(existing.FullyQualifiedName).toLowerCase();
        if (index.get(key) === existing.Id) index.delete(key);
      }
      index.set(String(entity.FullyQualifiedName).toLowerCase(), entity.Id);
    },
  };
}

export const classHandler = listHandler('Class');
export const departmentHandler = listHandler('Department');

function trackedRef(ctx: WriteContext, list: ListName, ref: unknown): Entity | undefined {
  if (ref === undefined || ref === null) return undefined;
  const target = resolveRef(ctx, list, ref, list);
  return { value: target.Id, name: target.FullyQualifiedName };
}

/** The transaction-level ClassRef and DepartmentRef a sales form keeps. */
export function transactionTracking(ctx: WriteContext, input: Record<string, any>): { ClassRef?: Entity; DepartmentRef?: Entity } {
  const prefs = ctx.realm.prefs;
  return {
    ClassRef: prefs.classTracking === 'transaction' || ctx.seeding ? trackedRef(ctx, 'Class', input.ClassRef) : undefined,
    DepartmentRef: prefs.trackLocations || ctx.seeding ? trackedRef(ctx, 'Department', input.DepartmentRef) : undefined,
  };
}

/** A sales line's ClassRef, kept when the company tracks classes per line. */
export function lineClass(ctx: WriteContext, ref: unknown): Entity | undefined {
  return ctx.realm.prefs.classTracking === 'line' || ctx.seeding ? trackedRef(ctx, 'Class', ref) : undefined;
}
