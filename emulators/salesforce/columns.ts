// The query resource's column metadata (GET /query?q=...&columns=true): what the Salesforce CLI and the
// Developer Console ask for to lay out a result. Shape as recorded in salesforcecli/plugin-data
// test/test-files/queryFields.exemplars.ts and forcedotcom/salesforcedx-vscode's replay-debugger fixtures.
import type { FieldDef, FieldType } from './schema';
import type { CompiledQuery } from './soql/evaluate';

export interface ColumnMetadata {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: ColumnMetadata[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

export interface QueryColumns {
  columnMetadata: ColumnMetadata[];
  entityName: string;
  groupBy: boolean;
  idSelected: boolean;
  keyPrefix: string;
}

const APEX_TYPES: Record<FieldType, string> = {
  id: 'Id',
  reference: 'Id',
  string: 'String',
  textarea: 'String',
  email: 'String',
  phone: 'String',
  url: 'String',
  picklist: 'String',
  boolean: 'Boolean',
  double: 'Decimal',
  currency: 'Decimal',
  percent: 'Decimal',
  date: 'Date',
  datetime: 'Datetime',
};

const TEXT = new Set<FieldType>(['string', 'textarea', 'email', 'phone', 'url', 'picklist']);
const NUMBER = new Set<FieldType>(['double', 'currency', 'percent']);

function fieldColumn(f: FieldDef): ColumnMetadata {
  return {
    aggregate: false,
    apexType: APEX_TYPES[f.type],
    booleanType: f.type === 'boolean',
    columnName: f.name,
    custom: f.custom,
    displayName: f.name,
    foreignKeyName: null,
    insertable: f.createable,
    joinColumns: [],
    numberType: NUMBER.has(f.type),
    textType: TEXT.has(f.type),
    updatable: f.updateable,
  };
}

/** A parent relationship (Owner, Customer__r) as a column whose joinColumns are the fields read through it. */
function relationshipColumn(hop: FieldDef): ColumnMetadata {
  return {
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: hop.relationshipName as string,
    custom: hop.custom,
    displayName: hop.relationshipName as string,
    foreignKeyName: hop.name,
    insertable: false,
    joinColumns: [],
    numberType: false,
    textType: false,
    updatable: false,
  };
}

function columnsOf(q: CompiledQuery): ColumnMetadata[] {
  const out: ColumnMetadata[] = [];
  for (const item of q.items) {
    if (item.kind === 'subquery') {
      out.push({
        aggregate: true,
        apexType: null,
        booleanType: false,
        columnName: item.query.relationshipName as string,
        custom: false,
        displayName: item.query.relationshipName as string,
        foreignKeyName: null,
        insertable: false,
        joinColumns: columnsOf(item.query),
        numberType: false,
        textType: false,
        updatable: false,
      });
      continue;
    }
    if (item.kind === 'count') {
      if (!item.path) continue;
      out.push({
        aggregate: true,
        apexType: null,
        booleanType: false,
        columnName: item.alias as string,
        custom: false,
        displayName: `count(${item.path.field.name})`,
        foreignKeyName: null,
        insertable: false,
        joinColumns: [],
        numberType: true,
        textType: false,
        updatable: false,
      });
      continue;
    }
    // Fields read through the same relationship share one relationship column.
    let level = out;
    for (const hop of item.path.hops) {
      let rel = level.find((c) => c.foreignKeyName === hop.name && c.joinColumns !== undefined && !c.aggregate);
      if (!rel) {
        rel = relationshipColumn(hop);
        level.push(rel);
      }
      level = rel.joinColumns;
    }
    level.push(fieldColumn(item.path.field));
  }
  return out;
}

export function queryColumns(q: CompiledQuery): QueryColumns {
  return {
    columnMetadata: columnsOf(q),
    entityName: q.obj.name,
    groupBy: false,
    idSelected: q.items.some((i) => i.kind === 'field' && i.path.hops.length === 0 && i.path.field.name === 'Id'),
    keyPrefix: q.obj.keyPrefix,
  };
}
