// kill -9 at seeded random points of an export, as a property: whatever batch call the service dies after, a new
// service on the same store closes the dead run (its Process Log too), resumes it from the journal, and QuickBooks
// ends with every approved invoice exactly once.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { startQboEmulator } from '../../emulators/qbo';
import { startSalesforceEmulator } from '../../emulators/salesforce';
import { generateDemoData } from '../../scripts/demo/generate';
import { fetchKeyPrefixes, seedEmulators } from '../../scripts/demo/load';
import { admin, markerCopies } from '../support/stack';
import { call, killableServiceEnv, startServiceProcess, until } from '../support/instances';

const results: { killAfterBatches: number; copiesAtKill: number; held: boolean; note: string }[] = [];

afterAll(() =>
  process.stdout.write(
    `\n${results.map((r) => `${r.held ? 'held' : 'BROKE'}  kill -9 after ${r.killAfterBatches} batch calls (${r.copiesAtKill} invoices in QuickBooks then) ${r.note}`).join('\n')}\n`,
  ),
);

it('when the service is killed after any number of batch calls, then a new one finishes the export exactly once', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 14 }), async (killAfterBatches) => {
      const children: ChildProcess[] = [];
      const qbo = await startQboEmulator({ port: 0, timeScale: 0.02, latencyMs: 15 });
      const sf = await startSalesforceEmulator({ port: 0 });
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-killpoint-'));
      try {
        const data = generateDemoData({ seed: 13, invoices: 260, keyPrefixes: await fetchKeyPrefixes(sf.url) });
        await seedEmulators(data, { sfUrl: sf.url, qboUrl: qbo.url });
        const company = data.facts.primaryCompanyId;
        const realmId = data.facts.realmIds.primary;
        const env = killableServiceEnv({ qbo: qbo.port, sf: sf.port }, { DATA_DIR: dataDir });
        const key = env.LEDGERLINE_API_KEY;
        const first = await startServiceProcess({ ...env, CONNECT_COMPANY_ID: company, CONNECT_REALM_ID: realmId }, children);
        const started = await call(first.url, key, 'POST', `/api/companies/${company}/exports`, {});
        expect(started.status).toBe(202);
        await until(`${killAfterBatches} batch calls`, async () => {
          const stats = await admin(qbo.url, 'GET', '/stats');
          const { body } = await call(first.url, key, 'GET', `/api/runs/${started.body.runId}`);
          return stats.byKind.batch >= killAfterBatches || body.finished ? true : undefined;
        });
        await first.kill();
        const copiesAt = () => markerCopies(qbo.url, realmId);
        const atKill = (await copiesAt()).size;

        const second = await startServiceProcess(env, children);
        // The dead run is closed (and, unless it had finished, resumed).
        await until('the dead run closed', async () =>
          (await call(second.url, key, 'GET', `/api/runs/${started.body.runId}`)).body.finished ? true : undefined,
        );
        // Then a normal export: while the resumed run goes, Export answers 409 with its id; follow it, then export.
        const finish = (runId: string) =>
          until(`run ${runId}`, async () => ((await call(second.url, key, 'GET', `/api/runs/${runId}`)).body.finished ? true : undefined), 120_000);
        for (;;) {
          const { status, body } = await call(second.url, key, 'POST', `/api/companies/${company}/exports`, {});
          if (status === 202) {
            await finish(body.runId);
            break;
          }
          expect(status).toBe(409);
          await finish(body.error.runId);
        }

        const copies = await copiesAt();
        const collision = data.facts.expected[company]!.docNumberCollision!.invoiceId;
        const approved = data.salesforce.records.Sales_Invoice__c!.filter((i) => i.Company__c === company && i.Approved__c === true && i.Id !== collision);
        const wrong = approved.filter((i) => copies.get(i.Id) !== 1).map((i) => `${i.Name}: ${copies.get(i.Id) ?? 0}`);
        const running = (await admin<any[]>(sf.url, 'GET', '/records/Process_Log__c')).filter((l) => l.Status__c === 'Running').length;
        const held = wrong.length === 0 && running === 0;
        results.push({ killAfterBatches, copiesAtKill: atKill, held, note: held ? '' : `${wrong.join(', ')}; ${running} logs Running` });
        expect({ wrong, running }).toEqual({ wrong: [], running: 0 });
      } finally {
        for (const c of children) c.kill('SIGKILL');
        await Promise.all([qbo.close(), sf.close()]);
        rmSync(dataDir, { recursive: true, force: true });
      }
    }),
    { numRuns: 5, seed: 20261201, endOnFailure: true },
  );
});
