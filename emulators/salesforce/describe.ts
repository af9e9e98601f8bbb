// Describe results (global and per object) generated from the schema, in the REST API's shape.
import type { FieldDef, ObjectDef, Schema } from './schema';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function urls(version: string, obj: ObjectDef): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${obj.name}`;
  return {
    compactLayouts: `${base}/describe/compactLayouts`,
    rowTemplate: `${base}/{ID}`,
    approvalLayouts: `${base}/describe/approvalLayouts`,
    defaultValues: `${base}/defaultValues?recordTypeId&fields`,
    describe: `${base}/describe`,
    quickActions: `${base}/quickActions`,
    layouts: `${base}/describe/layouts`,
    sobject: base,
  };
}

function describeField(f: FieldDef): Record<string, unknown> {
  const textual = ['string', 'textarea', 'email', 'phone', 'url', 'picklist'].includes(f.type);
  return {
    aggregatable: f.filterable,
    aiPredictionField: false,
    autoNumber: f.autoNumberFormat !== null,
    byteLength: textual ? f.length * 3 : f.type === 'id' || f.type === 'reference' ? 18 : 0,
    calculated: f.computed,
    calculatedFormula: null,
    cascadeDelete: f.masterDetail,
    caseSensitive: f.caseSensitive,
    compoundFieldName: null,
    controllerName: null,
    createable: f.createable,
    custom: f.custom,
    // Checkbox defaults are values; other defaults are formulas, and picklist defaults live in picklistValues.
    defaultValue: f.type === 'boolean' ? (f.defaultValue ?? false) : null,
    defaultValueFormula:
      f.type === 'boolean' || f.type === 'picklist' || f.defaultValue === null
        ? null
        : typeof f.defaultValue === 'string'
          ? JSON.stringify(f.defaultValue)
          : String(f.defaultValue),
    defaultedOnCreate: f.system || f.nameField || f.type === 'boolean' || f.name === 'OwnerId' || f.defaultValue !== null,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: f.externalId,
    extraTypeInfo: f.extraTypeInfo,
    filterable: f.filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: f.filterable && !['double', 'currency', 'percent', 'datetime'].includes(f.type),
    highScaleNumber: false,
    htmlFormatted: f.extraTypeInfo === 'richtextarea',
    idLookup: f.idLookup,
    inlineHelpText: null,
    label: f.label,
    length: textual ? f.length : f.type === 'id' || f.type === 'reference' ? 18 : 0,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.nameField,
    namePointing: false,
    nillable: f.nillable,
    permissionable: f.custom && !f.required,
    picklistValues: f.picklistValues.map((p) => ({ active: true, defaultValue: p.defaultValue, label: p.label, validFor: null, value: p.value })),
    polymorphicForeignKey: false,
    precision: f.precision,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo ? [f.referenceTo] : [],
    relationshipName: f.relationshipName,
    relationshipOrder: f.masterDetail ? 0 : null,
    restrictedDelete: false,
    restrictedPicklist: f.restrictedPicklist,
    scale: f.scale,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    sortable: f.sortable,
    type: f.type,
    unique: f.unique,
    updateable: f.updateable,
    writeRequiresMasterRead: false,
  };
}

function globalEntry(version: string, obj: ObjectDef): Record<string, unknown> {
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: obj.createable,
    custom: obj.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: obj.deletable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: obj.keyPrefix,
    label: obj.label,
    labelPlural: obj.labelPlural,
    layoutable: true,
    mergeable: false,
    mruEnabled: true,
    name: obj.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: obj.deletable,
    updateable: obj.updateable,
    urls: urls(version, obj),
  };
}

export function describeGlobal(version: string, schema: Schema): Record<string, unknown> {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: schema.objects.map((o) => globalEntry(version, o)) };
}

export function basicInfo(version: string, obj: ObjectDef): Record<string, unknown> {
  return { objectDescribe: globalEntry(version, obj), recentItems: [] };
}

export function describeSObject(version: string, obj: ObjectDef): Record<string, unknown> {
  return {
    ...globalEntry(version, obj),
    actionOverrides: [],
    childRelationships: obj.childRelationships.map((r) => ({
      cascadeDelete: r.cascadeDelete,
      childSObject: r.childSObject,
      deprecatedAndHidden: false,
      field: r.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: r.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: true,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: obj.fields.map(describeField),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [],
    searchLayoutable: true,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [{ label: 'All', name: 'everything' }],
  };
}
