// The Apex the local org stands in for, read from force-app's source when the local org loads: ProcessLogSelector's
// field lists are taken from its constants, not copied, so the stand-in queries exactly what the selector queries in
// the org. A selector that no longer declares a constant fails loudly, naming it.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const SELECTOR_SOURCE = path.resolve(__dirname, '../../force-app/main/default/classes/ProcessLogSelector.cls');

/** An Apex String constant (`static final String NAME = 'a' + 'b';`), its literals joined. */
export function apexStringConstant(source: string, name: string): string {
  const m = new RegExp(`static\\s+final\\s+String\\s+${name}\\s*=\\s*((?:'(?:[^'\\\\]|\\\\.)*'\\s*\\+?\\s*)+);`).exec(source);
  if (!m) throw new Error(`ProcessLogSelector.cls declares no String constant ${name} (the local org reads its field lists from there)`);
  return [...m[1]!.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((s) => s[1]).join('');
}

/** An Apex List<String> constant (`static final List<String> NAME = new List<String>{ 'a', 'b' };`). */
export function apexStringList(source: string, name: string): string[] {
  const m = new RegExp(`static\\s+final\\s+List<String>\\s+${name}\\s*=\\s*new\\s+List<String>\\s*\\{([^}]*)\\}`).exec(source);
  if (!m) throw new Error(`ProcessLogSelector.cls declares no List<String> constant ${name} (the local org reads its field lists from there)`);
  return [...m[1]!.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((s) => s[1]!);
}

export interface SelectorFields {
  /** Process_Log__c fields, as the SELECT lists them. */
  log: string;
  /** Process_Log_Entry__c fields. */
  entry: string;
  /** The text fields a search looks in. */
  searched: string[];
  /** The record kinds whose errors can be retried. */
  retryableTypes: string[];
}

export function selectorFields(source: string = readFileSync(SELECTOR_SOURCE, 'utf8')): SelectorFields {
  return {
    log: apexStringConstant(source, 'LOG_FIELDS'),
    entry: apexStringConstant(source, 'ENTRY_FIELDS'),
    searched: apexStringList(source, 'SEARCHED_FIELDS'),
    retryableTypes: apexStringList(source, 'RETRYABLE_TYPES'),
  };
}
