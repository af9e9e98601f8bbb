// Object and field definitions, read from the force-app source metadata at start-up so the
// emulator always serves exactly the objects the package deploys.
import fs from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { customKeyPrefix, ORG_KEY_PREFIX, USER_KEY_PREFIX } from './ids';
import { loadValidationRules, type ValidationRule } from './validation';

/** Field types as the describe call names them. */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'picklist'
  | 'reference';

export interface PicklistValue {
  value: string;
  label: string;
  defaultValue: boolean;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  precision: number;
  scale: number;
  custom: boolean;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  /** Long text cannot be used in WHERE or ORDER BY. */
  filterable: boolean;
  sortable: boolean;
  externalId: boolean;
  unique: boolean;
  caseSensitive: boolean;
  idLookup: boolean;
  nameField: boolean;
  /** Required on insert (master-detail fields, required fields). */
  required: boolean;
  defaultValue: string | number | boolean | null;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  referenceTo: string | null;
  /** Parent relationship used in SOQL paths, e.g. Company__r or Owner. */
  relationshipName: string | null;
  /** Child relationship the parent sees, e.g. Sales_Invoice_Lines__r. */
  childRelationshipName: string | null;
  masterDetail: boolean;
  /** Kept by the emulator (Id, CreatedDate...); never written by clients. */
  system: boolean;
  extraTypeInfo: string | null;
  /** User.Name is computed from FirstName/LastName. */
  computed: boolean;
  autoNumberFormat: string | null;
  /** A roll-up summary field: computed from the detail records on every read, never stored. */
  summary: SummarySpec | null;
}

export type SummaryOperation = 'count' | 'sum' | 'min' | 'max';

/** One filter item of a roll-up summary (the metadata's summaryFilterItems). */
export interface SummaryFilter {
  field: string;
  operation: 'equals' | 'notEqual' | 'lessThan' | 'greaterThan' | 'lessOrEqual' | 'greaterOrEqual' | 'contains' | 'notContain' | 'startsWith';
  /** Comma-separated values in the metadata mean "any of these". */
  values: string[];
}

export interface SummarySpec {
  operation: SummaryOperation;
  /** Detail object, e.g. Process_Log_Entry__c. */
  childObject: string;
  /** Master-detail field on the detail object pointing at this record, e.g. Process_Log__c. */
  foreignKey: string;
  /** Aggregated detail field (absent for COUNT). */
  summarizedField: string | null;
  filters: SummaryFilter[];
}

export interface ChildRelationship {
  relationshipName: string | null;
  childSObject: string;
  field: string;
  cascadeDelete: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  fields: FieldDef[];
  /** Lower-cased field name -> field. */
  fieldMap: Map<string, FieldDef>;
  /** Lower-cased parent relationship name -> reference field. */
  parentRelationships: Map<string, FieldDef>;
  childRelationships: ChildRelationship[];
  /** Lower-cased child relationship name -> relationship. */
  childRelationshipMap: Map<string, ChildRelationship>;
  nameField: FieldDef | null;
  /** The active validation rules of the object (force-app), checked on every insert and update. */
  validationRules: ValidationRule[];
  /** A custom metadata type (`__mdt`): its records are deployed metadata, read through SOQL, never written by DML. */
  customMetadata?: boolean;
  /** Its records come by deployment (notification types): seeded with every field, never changed by DML. */
  deployed?: boolean;
  /** Object-level permissions as describe reports them (Organization is read-only). */
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
}

export interface Schema {
  objects: ObjectDef[];
  get(name: string): ObjectDef | undefined;
  byKeyPrefix(prefix: string): ObjectDef | undefined;
}

type Xml = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'value' || name === 'fields',
});

function text(node: Xml | undefined, key: string): string | undefined {
  const v = node?.[key];
  return typeof v === 'string' ? v : undefined;
}

function bool(node: Xml | undefined, key: string, fallback = false): boolean {
  const v = text(node, key);
  return v === undefined ? fallback : v === 'true';
}

function num(node: Xml | undefined, key: string, fallback = 0): number {
  const v = text(node, key);
  return v === undefined ? fallback : Number(v);
}

function baseField(partial: Partial<FieldDef> & Pick<FieldDef, 'name' | 'label' | 'type'>): FieldDef {
  return {
    length: 0,
    precision: 0,
    scale: 0,
    custom: false,
    nillable: true,
    createable: true,
    updateable: true,
    filterable: true,
    sortable: true,
    externalId: false,
    unique: false,
    caseSensitive: false,
    idLookup: false,
    nameField: false,
    required: false,
    defaultValue: null,
    picklistValues: [],
    restrictedPicklist: false,
    referenceTo: null,
    relationshipName: null,
    childRelationshipName: null,
    masterDetail: false,
    system: false,
    extraTypeInfo: null,
    computed: false,
    autoNumberFormat: null,
    summary: null,
    ...partial,
  };
}

function systemField(name: string, label: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return baseField({
    name,
    label,
    type,
    nillable: false,
    createable: false,
    updateable: false,
    system: true,
    ...extra,
  });
}

function userRef(name: string, label: string, relationshipName: string, extra: Partial<FieldDef> = {}): FieldDef {
  return systemField(name, label, 'reference', { length: 18, referenceTo: 'User', relationshipName, ...extra });
}

/** Standard fields every custom object has, in the order the describe call lists them. */
function customObjectStandardFields(label: string, hasOwner: boolean, nameNode: Xml | undefined): FieldDef[] {
  const autoNumber = text(nameNode, 'type') === 'AutoNumber';
  const fields: FieldDef[] = [systemField('Id', 'Record ID', 'id', { length: 18, idLookup: true })];
  if (hasOwner) {
    fields.push(
      baseField({
        name: 'OwnerId',
        label: 'Owner ID',
        type: 'reference',
        length: 18,
        nillable: false,
        referenceTo: 'User',
        relationshipName: 'Owner',
      }),
    );
  }
  fields.push(systemField('IsDeleted', 'Deleted', 'boolean'));
  fields.push(
    baseField({
      name: 'Name',
      label: text(nameNode, 'label') ?? `${label} Name`,
      type: 'string',
      length: autoNumber ? 30 : 80,
      nameField: true,
      idLookup: true,
      createable: !autoNumber,
      updateable: !autoNumber,
      nillable: !autoNumber,
      autoNumberFormat: autoNumber ? (text(nameNode, 'displayFormat') ?? '{0}') : null,
    }),
  );
  fields.push(
    systemField('CreatedDate', 'Created Date', 'datetime'),
    userRef('CreatedById', 'Created By ID', 'CreatedBy'),
    systemField('LastModifiedDate', 'Last Modified Date', 'datetime'),
    userRef('LastModifiedById', 'Last Modified By ID', 'LastModifiedBy'),
    systemField('SystemModstamp', 'System Modstamp', 'datetime'),
  );
  return fields;
}

/** The parts of the standard User object the service touches. */
function userStandardFields(): FieldDef[] {
  return [
    systemField('Id', 'User ID', 'id', { length: 18, idLookup: true }),
    baseField({ name: 'Username', label: 'Username', type: 'string', length: 80, nillable: false, unique: true, idLookup: true, required: true }),
    baseField({ name: 'LastName', label: 'Last Name', type: 'string', length: 80, nillable: false, required: true }),
    baseField({ name: 'FirstName', label: 'First Name', type: 'string', length: 40 }),
    baseField({ name: 'Name', label: 'Full Name', type: 'string', length: 121, nameField: true, createable: false, updateable: false, computed: true }),
    baseField({ name: 'Email', label: 'Email', type: 'email', length: 128 }),
    baseField({ name: 'Alias', label: 'Alias', type: 'string', length: 8 }),
    baseField({ name: 'IsActive', label: 'Active', type: 'boolean', nillable: false, defaultValue: true }),
    systemField('CreatedDate', 'Created Date', 'datetime'),
    userRef('CreatedById', 'Created By ID', 'CreatedBy'),
    systemField('LastModifiedDate', 'Last Modified Date', 'datetime'),
    userRef('LastModifiedById', 'Last Modified By ID', 'LastModifiedBy'),
    systemField('SystemModstamp', 'System Modstamp', 'datetime'),
  ];
}

/** The fields of the standard Organization object that clients (the Salesforce CLI among them) read. */
function organizationFields(): FieldDef[] {
  const ro = (name: string, label: string, type: FieldType, extra: Partial<FieldDef> = {}) =>
    baseField({ name, label, type, createable: false, updateable: false, ...extra });
  return [
    systemField('Id', 'Organization ID', 'id', { length: 18, idLookup: true }),
    ro('Name', 'Name', 'string', { length: 80, nameField: true, nillable: false }),
    ro('Division', 'Division', 'string', { length: 80 }),
    ro('Country', 'Country', 'string', { length: 80 }),
    ro('PrimaryContact', 'Primary Contact', 'string', { length: 80 }),
    ro('DefaultLocaleSidKey', 'Locale', 'picklist', { length: 40, nillable: false }),
    ro('LanguageLocaleKey', 'Language', 'picklist', { length: 40, nillable: false }),
    ro('TimeZoneSidKey', 'Time Zone', 'picklist', { length: 40, nillable: false }),
    ro('OrganizationType', 'Edition', 'picklist', { length: 40 }),
    ro('InstanceName', 'Instance Name', 'string', { length: 5 }),
    ro('IsSandbox', 'Is Sandbox', 'boolean', { nillable: false }),
    ro('TrialExpirationDate', 'Trial Expiration Date', 'datetime'),
    ro('NamespacePrefix', 'Namespace Prefix', 'string', { length: 15 }),
    ro('IsReadOnly', 'Is Read Only', 'boolean', { nillable: false }),
    ro('DefaultCurrencyIsoCode', 'Currency', 'picklist', { length: 3 }),
    systemField('CreatedDate', 'Created Date', 'datetime'),
    userRef('CreatedById', 'Created By ID', 'CreatedBy'),
    systemField('LastModifiedDate', 'Last Modified Date', 'datetime'),
    userRef('LastModifiedById', 'Last Modified By ID', 'LastModifiedBy'),
    systemField('SystemModstamp', 'System Modstamp', 'datetime'),
  ];
}

/** The standard fields of a custom metadata type's records (no Name, owner or created audit fields). */
function customMetadataStandardFields(): FieldDef[] {
  const ro = (name: string, label: string, type: FieldType, extra: Partial<FieldDef> = {}) =>
    baseField({ name, label, type, createable: false, updateable: false, ...extra });
  return [
    systemField('Id', 'Custom Metadata Record ID', 'id', { length: 18, idLookup: true }),
    ro('DeveloperName', 'Custom Metadata Record Name', 'string', { length: 40, nillable: false }),
    ro('MasterLabel', 'Label', 'string', { length: 40, nillable: false, nameField: true }),
    ro('Language', 'Master Language', 'picklist', { length: 40 }),
    ro('NamespacePrefix', 'Namespace Prefix', 'string', { length: 15 }),
    ro('Label', 'Label', 'string', { length: 40 }),
    ro('QualifiedApiName', 'Qualified API Name', 'string', { length: 70, nillable: false }),
    systemField('SystemModstamp', 'System Modstamp', 'datetime'),
  ];
}

/**
 * The multi-currency objects of an org with several currencies and dated exchange rates (advanced currency
 * management): CurrencyType holds each currency's rate to the corporate currency, DatedConversionRate the rates by
 * period. Rates are units of the currency for one unit of the corporate currency.
 */
/** CustomNotificationType: the org's notification types (deployed metadata; SOQL reads them, DML cannot change them). */
function notificationTypeObject(): ObjectInput {
  const ro = (name: string, label: string, type: FieldType, extra: Partial<FieldDef> = {}) =>
    baseField({ name, label, type, createable: false, updateable: false, ...extra });
  return {
    name: 'CustomNotificationType',
    deployed: true,
    label: 'Custom Notification Type',
    labelPlural: 'Custom Notification Types',
    keyPrefix: '0ML',
    custom: false,
    createable: false,
    updateable: false,
    deletable: false,
    fields: [
      systemField('Id', 'Custom Notification Type ID', 'id', { length: 18, idLookup: true }),
      ro('DeveloperName', 'Custom Notification Type Name', 'string', { length: 80, nillable: false }),
      ro('MasterLabel', 'Master Label', 'string', { length: 80, nillable: false, nameField: true }),
      ro('CustomNotifTypeName', 'Custom Notification Name', 'string', { length: 80, nillable: false }),
      ro('Description', 'Description', 'string', { length: 255 }),
      ro('Desktop', 'Desktop', 'boolean', { nillable: false, defaultValue: false }),
      ro('Mobile', 'Mobile', 'boolean', { nillable: false, defaultValue: false }),
      ro('NamespacePrefix', 'Namespace Prefix', 'string', { length: 15 }),
    ],
  };
}

function currencyObjects(): ObjectInput[] {
  const field = (name: string, label: string, type: FieldType, extra: Partial<FieldDef> = {}) => baseField({ name, label, type, ...extra });
  const audit = [
    systemField('CreatedDate', 'Created Date', 'datetime'),
    userRef('CreatedById', 'Created By ID', 'CreatedBy'),
    systemField('LastModifiedDate', 'Last Modified Date', 'datetime'),
    userRef('LastModifiedById', 'Last Modified By ID', 'LastModifiedBy'),
    systemField('SystemModstamp', 'System Modstamp', 'datetime'),
  ];
  return [
    {
      name: 'CurrencyType',
      label: 'Currency Type',
      labelPlural: 'Currency Types',
      keyPrefix: '02N',
      custom: false,
      fields: [
        systemField('Id', 'Currency Type ID', 'id', { length: 18, idLookup: true }),
        field('IsoCode', 'Currency ISO Code', 'picklist', { length: 3, nillable: false, nameField: true }),
        field('ConversionRate', 'Conversion Rate', 'double', { precision: 18, scale: 6, nillable: false }),
        field('DecimalPlaces', 'Decimal Places', 'double', { precision: 2, scale: 0 }),
        field('IsActive', 'Active', 'boolean', { nillable: false, defaultValue: true }),
        field('IsCorporate', 'Corporate Currency', 'boolean', { nillable: false, defaultValue: false }),
        ...audit,
      ],
    },
    {
      name: 'DatedConversionRate',
      label: 'Dated Conversion Rate',
      labelPlural: 'Dated Conversion Rates',
      keyPrefix: '04w',
      custom: false,
      fields: [
        systemField('Id', 'Dated Conversion Rate ID', 'id', { length: 18, idLookup: true }),
        field('IsoCode', 'Currency ISO Code', 'picklist', { length: 3, nillable: false, nameField: true }),
        field('ConversionRate', 'Conversion Rate', 'double', { precision: 18, scale: 6, nillable: false }),
        field('StartDate', 'Start Date', 'date', { nillable: false }),
        field('NextStartDate', 'Next Start Date', 'date'),
        ...audit,
      ],
    },
  ];
}

/** Text defaults are formulas; only plain literals ("x", 12, true) can be honoured here. */
function literalDefault(formula: string | undefined, type: FieldType): string | number | boolean | null {
  if (formula === undefined) return null;
  const f = formula.trim();
  if (type === 'boolean') return f.toLowerCase() === 'true';
  const quoted = /^"(.*)"$/s.exec(f) ?? /^'(.*)'$/s.exec(f);
  if (quoted) return quoted[1];
  if (/^-?\d+(\.\d+)?$/.test(f) && (type === 'double' || type === 'currency' || type === 'percent')) return Number(f);
  return null;
}

const TYPE_MAP: Record<string, FieldType> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Checkbox: 'boolean',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Date: 'date',
  DateTime: 'datetime',
  Picklist: 'picklist',
  Lookup: 'reference',
  MasterDetail: 'reference',
  AutoNumber: 'string',
  // A roll-up summary's result type follows its operation and field; COUNT is a number with no scale.
  Summary: 'double',
};

const FILTER_OPERATIONS = new Set<SummaryFilter['operation']>([
  'equals',
  'notEqual',
  'lessThan',
  'greaterThan',
  'lessOrEqual',
  'greaterOrEqual',
  'contains',
  'notContain',
  'startsWith',
]);

function asArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Reads summaryOperation / summaryForeignKey ("Child__c.Parent__c") / summarizedField / summaryFilterItems. */
function parseSummary(xml: Xml, fieldName: string): SummarySpec {
  const op = (text(xml, 'summaryOperation') ?? '').toLowerCase();
  if (op !== 'count' && op !== 'sum' && op !== 'min' && op !== 'max') throw new Error(`${fieldName}: unknown summaryOperation ${op}`);
  const [childObject, foreignKey] = (text(xml, 'summaryForeignKey') ?? '').split('.');
  if (!childObject || !foreignKey) throw new Error(`${fieldName}: summaryForeignKey must be Object.Field`);
  const summarized = text(xml, 'summarizedField');
  const filters = asArray(xml.summaryFilterItems as Xml | Xml[] | undefined).map((item) => {
    const [obj, field] = (text(item, 'field') ?? '').split('.');
    const operation = text(item, 'operation') as SummaryFilter['operation'];
    if (obj !== childObject || !field || !FILTER_OPERATIONS.has(operation)) throw new Error(`${fieldName}: unsupported summaryFilterItems entry`);
    // The parser reads every <value> as a list (picklist value sets need that); a filter has one.
    const raw = asArray(item.value as string | string[] | undefined).join(',');
    return { field, operation, values: raw.split(',').map((v) => v.trim()) };
  });
  return { operation: op, childObject, foreignKey, summarizedField: summarized ? (summarized.split('.')[1] ?? null) : null, filters };
}

function parseCustomField(xml: Xml): FieldDef {
  const name = text(xml, 'fullName') ?? '';
  const metaType = text(xml, 'type') ?? 'Text';
  const type = TYPE_MAP[metaType] ?? 'string';
  const masterDetail = metaType === 'MasterDetail';
  const longText = metaType === 'LongTextArea' || metaType === 'Html';
  const required = masterDetail || bool(xml, 'required');
  const field = baseField({
    name,
    label: text(xml, 'label') ?? name,
    type,
    custom: true,
    externalId: bool(xml, 'externalId'),
    unique: bool(xml, 'unique'),
    caseSensitive: bool(xml, 'caseSensitive'),
    required,
    nillable: !required && type !== 'boolean',
    filterable: !longText,
    sortable: !longText,
    defaultValue: literalDefault(text(xml, 'defaultValue'), type),
  });
  if (metaType === 'Summary') {
    field.summary = parseSummary(xml, name);
    field.createable = false;
    field.updateable = false;
    field.nillable = true;
    field.required = false;
    field.computed = true;
    // Describe reports a COUNT as double(18, 0); SUM/MIN/MAX take the summarised field's type (set once all objects are read).
    field.precision = 18;
    field.scale = 0;
  }
  field.idLookup = field.externalId || field.unique;
  switch (metaType) {
    case 'Text':
      field.length = num(xml, 'length', 255);
      break;
    case 'TextArea':
      field.length = 255;
      break;
    case 'LongTextArea':
    case 'Html':
      field.length = num(xml, 'length', 32768);
      field.extraTypeInfo = metaType === 'Html' ? 'richtextarea' : 'plaintextarea';
      break;
    case 'Email':
      field.length = 80;
      break;
    case 'Phone':
      field.length = 40;
      break;
    case 'Url':
      field.length = 255;
      break;
    case 'Number':
    case 'Currency':
    case 'Percent':
      field.precision = num(xml, 'precision', 18);
      field.scale = num(xml, 'scale', 0);
      break;
    case 'Picklist': {
      field.length = 255;
      const valueSet = xml.valueSet as Xml | undefined;
      const def = valueSet?.valueSetDefinition as Xml | undefined;
      const values = (def?.value as Xml[] | undefined) ?? [];
      field.picklistValues = values.map((v) => ({
        value: text(v, 'fullName') ?? '',
        label: text(v, 'label') ?? text(v, 'fullName') ?? '',
        defaultValue: bool(v, 'default'),
      }));
      field.restrictedPicklist = bool(valueSet, 'restricted');
      field.defaultValue = field.picklistValues.find((v) => v.defaultValue)?.value ?? null;
      break;
    }
    case 'Lookup':
    case 'MasterDetail': {
      field.length = 18;
      field.referenceTo = text(xml, 'referenceTo') ?? null;
      field.relationshipName = name.replace(/__c$/i, '__r');
      const child = text(xml, 'relationshipName');
      field.childRelationshipName = child ? `${child}__r` : null;
      field.masterDetail = masterDetail;
      // A master-detail child can only be moved to another parent when the field says so.
      field.updateable = !masterDetail || bool(xml, 'reparentableMasterDetail');
      break;
    }
    case 'AutoNumber':
      field.length = 30;
      field.createable = false;
      field.updateable = false;
      field.autoNumberFormat = text(xml, 'displayFormat') ?? '{0}';
      break;
  }
  return field;
}

function readXml(file: string): Xml {
  return parser.parse(fs.readFileSync(file, 'utf8')) as Xml;
}

function listFieldFiles(objectDir: string): string[] {
  const dir = path.join(objectDir, 'fields');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.field-meta.xml'))
    .sort()
    .map((f) => path.join(dir, f));
}

type ObjectInput = Omit<
  ObjectDef,
  | 'fieldMap'
  | 'parentRelationships'
  | 'childRelationships'
  | 'childRelationshipMap'
  | 'nameField'
  | 'createable'
  | 'updateable'
  | 'deletable'
  | 'validationRules'
> &
  Partial<Pick<ObjectDef, 'createable' | 'updateable' | 'deletable' | 'validationRules'>>;

function indexObject(def: ObjectInput): ObjectDef {
  const fieldMap = new Map(def.fields.map((f) => [f.name.toLowerCase(), f]));
  const parentRelationships = new Map<string, FieldDef>();
  for (const f of def.fields) if (f.relationshipName) parentRelationships.set(f.relationshipName.toLowerCase(), f);
  return {
    ...def,
    fieldMap,
    parentRelationships,
    childRelationships: [],
    childRelationshipMap: new Map(),
    nameField: def.fields.find((f) => f.nameField) ?? null,
    validationRules: def.validationRules ?? [],
    createable: def.createable ?? true,
    updateable: def.updateable ?? true,
    deletable: def.deletable ?? true,
  };
}

export function loadSchema(forceAppDir: string): Schema {
  const objectsDir = path.join(forceAppDir, 'objects');
  if (!fs.existsSync(objectsDir)) throw new Error(`no objects folder under ${forceAppDir}`);
  const names = fs
    .readdirSync(objectsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

  const taken = new Set<string>([USER_KEY_PREFIX, ORG_KEY_PREFIX]);
  const objects: ObjectDef[] = [];
  const hasUser = names.includes('User');
  for (const name of hasUser ? names : [...names, 'User']) {
    const dir = path.join(objectsDir, name);
    const customFields = fs.existsSync(dir) ? listFieldFiles(dir).map((f) => parseCustomField((readXml(f).CustomField ?? {}) as Xml)) : [];
    if (name === 'User') {
      objects.push(
        indexObject({
          name: 'User',
          label: 'User',
          labelPlural: 'Users',
          keyPrefix: USER_KEY_PREFIX,
          custom: false,
          fields: [...userStandardFields(), ...customFields],
        }),
      );
      continue;
    }
    const metaFile = path.join(dir, `${name}.object-meta.xml`);
    const meta = fs.existsSync(metaFile) ? ((readXml(metaFile).CustomObject ?? {}) as Xml) : {};
    const label = text(meta, 'label') ?? name.replace(/__c$/, '').replace(/_/g, ' ');
    if (name.endsWith('__mdt')) {
      // Custom metadata records take an "m" key prefix; their fields are set by deployment, not by DML.
      const keyPrefix = `m${customKeyPrefix(name, taken).slice(1)}`;
      taken.add(keyPrefix);
      for (const f of customFields) Object.assign(f, { createable: false, updateable: false });
      objects.push(
        indexObject({
          name,
          label,
          labelPlural: text(meta, 'pluralLabel') ?? `${label}s`,
          keyPrefix,
          custom: true,
          customMetadata: true,
          fields: [...customMetadataStandardFields(), ...customFields],
          createable: false,
          updateable: false,
          deletable: false,
        }),
      );
      continue;
    }
    const isDetail = customFields.some((f) => f.masterDetail);
    const keyPrefix = customKeyPrefix(name, taken);
    taken.add(keyPrefix);
    objects.push(
      indexObject({
        name,
        label,
        labelPlural: text(meta, 'pluralLabel') ?? `${label}s`,
        keyPrefix,
        custom: name.endsWith('__c'),
        fields: [...customObjectStandardFields(label, !isDetail, meta.nameField as Xml | undefined), ...customFields],
        validationRules: loadValidationRules(dir),
      }),
    );
  }

  objects.push(
    indexObject({
      name: 'Organization',
      label: 'Organization',
      labelPlural: 'Organizations',
      keyPrefix: ORG_KEY_PREFIX,
      custom: false,
      fields: organizationFields(),
      createable: false,
      updateable: false,
      deletable: false,
    }),
  );

  for (const def of currencyObjects()) objects.push(indexObject(def));
  objects.push(indexObject(notificationTypeObject()));

  const byName = new Map(objects.map((o) => [o.name.toLowerCase(), o]));
  for (const child of objects) {
    for (const f of child.fields) {
      if (f.type !== 'reference' || !f.referenceTo) continue;
      const parent = byName.get(f.referenceTo.toLowerCase());
      if (!parent) continue;
      f.referenceTo = parent.name;
      const rel: ChildRelationship = {
        relationshipName: f.childRelationshipName,
        childSObject: child.name,
        field: f.name,
        cascadeDelete: f.masterDetail,
      };
      parent.childRelationships.push(rel);
      if (rel.relationshipName) parent.childRelationshipMap.set(rel.relationshipName.toLowerCase(), rel);
    }
  }
  for (const obj of objects) for (const f of obj.fields) if (f.summary) resolveSummary(obj, f, byName);
  const byPrefix = new Map(objects.map((o) => [o.keyPrefix, o]));
  return {
    objects,
    get: (name) => byName.get(name.toLowerCase()),
    byKeyPrefix: (prefix) => byPrefix.get(prefix),
  };
}

/** Checks a roll-up against the detail object and gives SUM/MIN/MAX the summarised field's type. */
function resolveSummary(obj: ObjectDef, field: FieldDef, byName: Map<string, ObjectDef>): void {
  const spec = field.summary as SummarySpec;
  const child = byName.get(spec.childObject.toLowerCase());
  const fk = child?.fieldMap.get(spec.foreignKey.toLowerCase());
  if (!child || !fk || !fk.masterDetail || fk.referenceTo !== obj.name) {
    throw new Error(`${obj.name}.${field.name}: roll-up summaries need a master-detail field ${spec.childObject}.${spec.foreignKey} to ${obj.name}`);
  }
  spec.childObject = child.name;
  spec.foreignKey = fk.name;
  for (const filter of spec.filters) {
    const f = child.fieldMap.get(filter.field.toLowerCase());
    if (!f) throw new Error(`${obj.name}.${field.name}: filter field ${filter.field} is not on ${child.name}`);
    filter.field = f.name;
  }
  if (spec.operation === 'count') return;
  const summarized = spec.summarizedField ? child.fieldMap.get(spec.summarizedField.toLowerCase()) : undefined;
  if (!summarized) throw new Error(`${obj.name}.${field.name}: summarizedField is missing`);
  spec.summarizedField = summarized.name;
  field.type = summarized.type;
  field.precision = summarized.precision;
  field.scale = summarized.scale;
}
