// kill -9 in a run's first moments: the run has opened its Process Log in Salesforce but its Company counts are not
// back yet, so the store never heard of the log. The next service finds the log by the run's id and closes it
// (Failed, with an entry saying the export was interrupted) instead of leaving it "Running" forever.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startQboEmulator } from '../../emulators/qbo';
import { startSalesforceEmulator } from '../../emulators/salesforce';
import { generateDemoData } from '../../scripts/demo/generate';
import { fetchKeyPrefixes, seedEmulators } from '../../scripts/demo/load';
import { admin } from '../support/stack';
import { call, killableServiceEnv, startServiceProcess, until } from '../support/instances';

jest.setTimeout(180_000);

it('when the service is killed right after a run opened its Process Log, then the next service closes that log as interrupted', async () => {
  const children: ChildProcess[] = [];
  const qbo = await startQboEmulator({ port: 0 });
  const sf = await startSalesforceEmulator({ port: 0 });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-earlykill-'));
  try {
    const data = generateDemoData({ seed: 5, invoices: 8, keyPrefixes: await fetchKeyPrefixes(sf.url) });
    await seedEmulators(data, { sfUrl: sf.url, qboUrl: qbo.url });
    const company = data.facts.primaryCompanyId;
    const env = killableServiceEnv({ qbo: qbo.port, sf: sf.port }, { DATA_DIR: dataDir });
    const key = env.LEDGERLINE_API_KEY;
    const first = await startServiceProcess({ ...env, CONNECT_COMPANY_ID: company, CONNECT_REALM_ID: data.facts.realmIds.primary }, children);
    // The run's first count query is held: the run has its log, and nothing else has happened yet.
    await admin(sf.url, 'POST', '/faults', { kind: 'delay', delayMs: 30_000, count: 1, match: { path: 'COUNT' } });
    const started = await call(first.url, key, 'POST', `/api/companies/${company}/exports`, {});
    expect(started.status).toBe(202);
    const runId = started.body.runId as string;
    const logOf = async () => (await admin<any[]>(sf.url, 'GET', '/records/Process_Log__c')).find((l) => l.Run_Id__c === runId);
    await until('the run opened its Process Log', async () => ((await logOf())?.Status__c === 'Running' ? true : undefined));
    await first.kill();
    await admin(sf.url, 'DELETE', '/faults');

    const second = await startServiceProcess(env, children);
    await until('the dead run closed', async () => ((await call(second.url, key, 'GET', `/api/runs/${runId}`)).body.finished ? true : undefined));
    const log = await until('its Process Log closed', async () => {
      const found = await logOf();
      return found && found.Status__c !== 'Running' ? found : undefined;
    });
    expect(log.Status__c).toBe('Failed');
    expect(log.Summary__c).toMatch(/^The export was interrupted/);
    const entries = (await admin<any[]>(sf.url, 'GET', '/records/Process_Log_Entry__c')).filter((e) => e.Process_Log__c === log.Id);
    expect(entries.map((e) => e.Message__c)).toEqual([expect.stringMatching(/^The export was interrupted/)]);
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all([qbo.close(), sf.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
