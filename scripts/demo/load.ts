// Loads a demo data set into the Salesforce and QuickBooks emulators through their admin APIs.

import { type DemoObjectName, KEY_PREFIXES } from './ids';
import type { DemoData } from './types';

export interface EmulatorUrls {
  /** Base URL of the Salesforce emulator, e.g. http://127.0.0.1:4020 */
  sfUrl: string;
  /** Base URL of the QuickBooks Online emulator, e.g. http://127.0.0.1:4010 */
  qboUrl: string;
}

/** One merging `/__admin/seed` request; any record the emulator rejects fails it. */
export async function postSeed(baseUrl: string, body: unknown, system: string): Promise<void> {
  const url = new URL('/__admin/seed', baseUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new Error(`Could not reach the ${system} emulator at ${url.origin}: ${(error as Error).message}`, { cause: error });
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`Seeding the ${system} emulator failed: HTTP ${response.status} ${text.slice(0, 500)}`);
  // The Salesforce emulator answers 200 with per-record errors (like composite/sobjects); a partly seeded org would
  // make every later count wrong, so any rejected record fails the whole seed.
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return;
  }
  const errors = (answer as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    const hint = text.includes('MALFORMED_ID')
      ? ' (the org gives these objects other key prefixes than the data has: generate with { keyPrefixes: await fetchKeyPrefixes(sfUrl) })'
      : '';
    throw new Error(`Seeding the ${system} emulator rejected ${errors.length} record(s)${hint}, e.g. ${JSON.stringify(errors.slice(0, 2))}`);
  }
}

/** Replaces what each emulator holds with the data set: `{records}` to Salesforce, `{realms}` to QuickBooks. */
export async function seedEmulators(data: DemoData, urls: EmulatorUrls): Promise<void> {
  await seedSome(data, urls);
}

/** Seeds only the emulators whose URL is given (the CLI lets either be left out). */
export async function seedSome(data: DemoData, urls: Partial<EmulatorUrls>): Promise<void> {
  await Promise.all([
    urls.sfUrl ? postSeed(urls.sfUrl, { records: data.salesforce.records }, 'Salesforce') : undefined,
    urls.qboUrl ? postSeed(urls.qboUrl, { realms: data.quickbooks.realms }, 'QuickBooks') : undefined,
  ]);
}

/**
 * The key prefixes an org (or the emulator) gives the demo objects, read from its global describe, so data
 * generated with them can be inserted there: `generateDemoData({ keyPrefixes: await fetchKeyPrefixes(url) })`.
 * Uses the emulator's admin token endpoint; one describe call.
 */
export async function fetchKeyPrefixes(sfUrl: string, apiVersion = '62.0'): Promise<Partial<Record<DemoObjectName, string>>> {
  const tokenResponse = await fetch(new URL('/__admin/token', sfUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  if (!tokenResponse.ok) throw new Error(`Salesforce emulator token: HTTP ${tokenResponse.status}`);
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const describe = await fetch(new URL(`/services/data/v${apiVersion}/sobjects`, sfUrl), {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!describe.ok) throw new Error(`Salesforce describe: HTTP ${describe.status}`);
  const { sobjects } = (await describe.json()) as { sobjects: Array<{ name: string; keyPrefix: string | null }> };
  const prefixes: Partial<Record<DemoObjectName, string>> = {};
  for (const { name, keyPrefix } of sobjects) {
    if (keyPrefix && Object.hasOwn(KEY_PREFIXES, name)) prefixes[name as DemoObjectName] = keyPrefix;
  }
  return prefixes;
}
