// Custom Labels by API name, read from the metadata file the org gets (the page bundle and the local org's Apex
// stand-ins use the same texts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export const LABELS_FILE = path.resolve(__dirname, '..', 'force-app', 'main', 'default', 'labels', 'CustomLabels.labels-meta.xml');

export function readCustomLabels(file = LABELS_FILE): Map<string, string> {
  const parser = new XMLParser({ isArray: (name) => name === 'labels', parseTagValue: false, trimValues: false });
  const doc = parser.parse(readFileSync(file, 'utf8')) as { CustomLabels?: { labels?: { fullName: string; value: string }[] } };
  const labels = new Map<string, string>();
  for (const label of doc.CustomLabels?.labels ?? []) labels.set(String(label.fullName).trim(), String(label.value ?? ''));
  return labels;
}

/** String.format as Apex does it for labels: {0}, {1}, … */
export function formatLabel(template: string, ...values: unknown[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i) => (values[Number(i)] === undefined ? m : String(values[Number(i)])));
}
