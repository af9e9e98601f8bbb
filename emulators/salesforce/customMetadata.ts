// Custom metadata records, read from force-app's customMetadata folder (`<Type>.<DeveloperName>.md-meta.xml`) as an
// org holds them once deployed: SOQL reads them, DML cannot change them, and a reset of the org's data keeps them.
import fs from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { Schema } from './schema';
import type { Row } from './store';

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: (name) => name === 'values' });

/** Rows per `__mdt` object for every record file whose type the schema knows. */
export function customMetadataRecords(forceAppDir: string, schema: Schema): Record<string, Row[]> {
  const dir = path.join(forceAppDir, 'customMetadata');
  if (!fs.existsSync(dir)) return {};
  const out: Record<string, Row[]> = {};
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md-meta.xml'))
    .sort()) {
    const [type, developerName] = file.replace(/\.md-meta\.xml$/, '').split('.');
    const obj = type && developerName ? schema.get(`${type}__mdt`) : undefined;
    if (!obj) continue;
    const xml = (parser.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { CustomMetadata?: Record<string, unknown> }).CustomMetadata ?? {};
    const label = typeof xml.label === 'string' ? xml.label : developerName!;
    const row: Row = { DeveloperName: developerName, MasterLabel: label, Label: label, QualifiedApiName: developerName, Language: 'en_US' };
    for (const v of (xml.values as { field?: string; value?: unknown }[] | undefined) ?? []) {
      if (typeof v.field !== 'string') continue;
      const field = obj.fieldMap.get(v.field.toLowerCase());
      const raw = typeof v.value === 'string' ? v.value : null;
      if (field) row[field.name] = field.type === 'boolean' ? raw === 'true' : raw;
    }
    (out[obj.name] ??= []).push(row);
  }
  return out;
}
