// What must hold after any fault, once a normal export has run again: every approved invoice in QuickBooks exactly
// once with the right total, every Salesforce invoice transferred with the right id or untouched with an entry, every
// customer, item and payment the export created linked from Salesforce (a second copy would be linked by nobody) and
// no payment twice, no Process Log left "Running", and no secret in any log line, answer or entry.
import type { DemoStack } from '../../scripts/demo-stack';
import { readMarker } from '../../service/src/export/marker';
import { admin, api, qboEntities, sfRecords } from '../support/stack';

export interface Evidence {
  logLines: string[];
  answers: unknown[];
}

/** Every secret the stack knows: keys, tokens, client secrets. */
export async function secretsOf(stack: DemoStack): Promise<string[]> {
  const secrets = [stack.apiKey, stack.adminKey, 'ledgerline-demo-secret', 'ledgerline-sf-secret'];
  for (const company of [stack.primaryCompanyId, stack.secondaryCompanyId]) {
    const tokens = await stack.container.store.tokens.get(company);
    if (tokens) secrets.push(tokens.accessToken, tokens.refreshToken);
  }
  return secrets.filter((s) => s && s.length >= 12);
}

/** Ids of the customers, items and payments QuickBooks holds before a test's export (what the export did not create). */
export async function heldBefore(stack: DemoStack): Promise<Set<string>> {
  const realmId = stack.data.facts.realmIds.primary;
  const held = new Set<string>();
  for (const entity of ['Customer', 'Item', 'Payment']) for (const r of await qboEntities(stack, realmId, entity)) held.add(`${entity}:${r.Id}`);
  return held;
}

/** Customers, items and payments the export created: each linked from Salesforce, no payment twice. */
async function createdViolations(stack: DemoStack, held: Set<string>): Promise<string[]> {
  const found: string[] = [];
  const realmId = stack.data.facts.realmIds.primary;
  const linked = {
    Customer: new Set((await sfRecords(stack, 'Customer__c')).flatMap((c) => [c.Financial_System_Customer_Id__c, c.Secondary_Customer_Id__c])),
    Item: new Set((await sfRecords(stack, 'Product__c')).map((p) => p.Financial_System_Product_Id__c)),
  };
  for (const entity of ['Customer', 'Item'] as const) {
    for (const r of await qboEntities(stack, realmId, entity)) {
      if (!held.has(`${entity}:${r.Id}`) && !linked[entity].has(r.Id))
        found.push(`QuickBooks ${entity} ${r.Id} "${r.DisplayName ?? r.Name}" was created but no Salesforce record links it`);
    }
  }
  const payments = new Map<string, string[]>();
  for (const p of await qboEntities(stack, realmId, 'Payment')) {
    const id = readMarker(p.PrivateNote);
    if (id) payments.set(id, [...(payments.get(id) ?? []), p.Id]);
  }
  for (const [id, copies] of payments)
    if (copies.length > 1) found.push(`Salesforce payment ${id} is in QuickBooks ${copies.length} times (${copies.join(', ')})`);
  return found;
}

export async function violations(stack: DemoStack, evidence: Evidence, secrets: string[], held?: Set<string>): Promise<string[]> {
  const found: string[] = held ? await createdViolations(stack, held) : [];
  const companyId = stack.primaryCompanyId;
  const realmId = stack.data.facts.realmIds.primary;
  const qbo = new Map<string, any[]>();
  for (const entity of ['Invoice', 'CreditMemo', 'SalesReceipt']) {
    for (const doc of await qboEntities(stack, realmId, entity)) {
      const id = readMarker(doc.PrivateNote);
      if (id) qbo.set(id, [...(qbo.get(id) ?? []), doc]);
    }
  }
  const { body: logs } = await api<any[]>(stack, 'GET', `/api/companies/${companyId}/process-logs?limit=50`);
  const entryFor = new Set(logs.flatMap((l) => l.entries.filter((e: any) => e.level !== 'INFO').map((e: any) => e.recordId)));
  for (const inv of (await sfRecords(stack, 'Sales_Invoice__c')).filter((i) => i.Company__c === companyId && i.Approved__c)) {
    const copies = qbo.get(inv.Id) ?? [];
    if (copies.length > 1) found.push(`${inv.Name} is in QuickBooks ${copies.length} times`);
    if (copies.length === 1 && !inv.Transferred__c) found.push(`${inv.Name} is in QuickBooks (${copies[0].Id}) but not linked in Salesforce`);
    if (inv.Transferred__c) {
      if (copies.length !== 1) found.push(`${inv.Name} is transferred but QuickBooks holds ${copies.length} copies`);
      else if (copies[0].Id !== inv.Financial_System_Invoice_Id__c)
        found.push(`${inv.Name} links QuickBooks ${inv.Financial_System_Invoice_Id__c}, not ${copies[0].Id}`);
      else if (Math.round(copies[0].TotalAmt * 100) !== Math.round(Math.abs(inv.Total_Amount__c) * 100) && copies[0].TotalAmt !== undefined) {
        found.push(`${inv.Name}: QuickBooks total ${copies[0].TotalAmt}, Salesforce ${inv.Total_Amount__c}`);
      }
    } else if (!entryFor.has(inv.Id)) {
      found.push(`${inv.Name} was neither exported nor named in a Process Log`);
    }
  }
  for (const l of logs) if (l.status === 'Running') found.push(`Process Log ${l.id} is left Running`);
  const texts = [...evidence.logLines, ...evidence.answers.map((a) => JSON.stringify(a)), JSON.stringify(logs)];
  for (const secret of secrets) if (texts.some((t) => t.includes(secret))) found.push(`a secret (${secret.slice(0, 4)}…) reached a log line, answer or entry`);
  const stats = await admin(stack.sfUrl, 'GET', '/stats');
  void stats;
  return found;
}
