// The Salesforce CLI (sf 2.146, the real binary) against the Salesforce emulator: what a Salesforce developer
// tries first. It runs with a throwaway HOME and config folders, telemetry and update checks off, so it never
// touches the user's own CLI setup. The CLI starts slowly, so one emulator and one login serve every step.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../integration/sf-helpers';

const run = promisify(execFile);
const SF = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'sf');
const STEP_MS = 120_000;

let emu: Emulator;
let home: string;
let customerIds: string[];

interface CliResult {
  code: number;
  json: { status: number; result: any; name?: string; message?: string };
  stdout: string;
}

async function sf(args: string[], opts: { json?: boolean } = {}): Promise<CliResult> {
  const json = opts.json ?? true;
  const env: NodeJS.ProcessEnv = {
    PATH: `${path.dirname(SF)}:${process.env.PATH ?? ''}`,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_ACCESS_TOKEN: emu.token,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
  try {
    const { stdout } = await run(SF, json ? [...args, '--json'] : args, { cwd: home, env, timeout: STEP_MS, maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, json: json ? JSON.parse(stdout) : { status: 0, result: null }, stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number') throw e;
    let parsed: CliResult['json'];
    try {
      parsed = JSON.parse(err.stdout ?? '');
    } catch {
      throw new Error(`sf ${args.join(' ')} failed (${err.code}): ${err.stderr ?? ''}${err.stdout ?? ''}`);
    }
    return { code: err.code, json: parsed, stdout: err.stdout ?? '' };
  }
}

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cli-home-'));
  emu = await startEmulator();
  await emu.seed({
    Customer__c: [
      { Name: 'Bolt Hardware', Email__c: 'ap@bolt.example' },
      { Name: 'Cobalt, "Cafe"', Email__c: null },
    ],
    Company__c: [{ Name: 'Acme US' }],
  });
  customerIds = (await emu.records('Customer__c')).map((r) => r.Id as string);
  const companyId = (await emu.records('Company__c'))[0].Id as string;
  await emu.seed({ Sales_Invoice__c: [{ Name: 'SI-000001', Company__c: companyId, Customer__c: customerIds[0] }] });
}, STEP_MS);

afterAll(async () => {
  await emu.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('the Salesforce CLI against the emulator', () => {
  it(
    'when a developer logs in with an access token, then org display shows a connected org on this instance',
    async () => {
      const login = await sf(['org', 'login', 'access-token', '--instance-url', emu.url, '--no-prompt', '--alias', 'emu']);
      expect(login.json.status).toBe(0);
      const orgId = (await emu.query('SELECT Id FROM Organization')).body.records[0].Id;
      // The CLI keeps the URL with a trailing slash and then asks for "//services/data/...".
      expect(login.json.result).toMatchObject({ username: 'admin@ledgerline.demo', orgId, instanceUrl: `${emu.url}/` });
      const display = await sf(['org', 'display', '--target-org', 'emu']);
      expect(display.json.result).toMatchObject({
        id: orgId,
        apiVersion: '62.0',
        connectedStatus: 'Connected',
        username: 'admin@ledgerline.demo',
        alias: 'emu',
      });
    },
    STEP_MS,
  );

  it(
    'when data query runs, then records come back and the table is laid out from the column metadata',
    async () => {
      const soql = 'SELECT Id, Name, Email__c, Owner.Name, (SELECT Name FROM Sales_Invoices__r) FROM Customer__c ORDER BY Name';
      const q = await sf(['data', 'query', '--target-org', 'emu', '--query', soql]);
      expect(q.json.result.totalSize).toBe(2);
      expect(q.json.result.records.map((r: { Name: string }) => r.Name)).toEqual(['Bolt Hardware', 'Cobalt, "Cafe"']);
      expect(q.json.result.records[0].Sales_Invoices__r.records[0].Name).toBe('SI-000001');
      const table = await sf(['data', 'query', '--target-org', 'emu', '--query', 'SELECT Id, Name, Email__c, Owner.Name FROM Customer__c ORDER BY Name'], {
        json: false,
      });
      expect(table.stdout).toMatch(/ID\s+│\s+NAME\s+│\s+EMAIL__C\s+│\s+OWNER\.NAME/);
      expect(table.stdout).toContain('ap@bolt.example');
      expect(table.stdout).toContain('Total number of records retrieved: 2.');
      const csv = await sf(
        ['data', 'query', '--target-org', 'emu', '--query', 'SELECT Name, Owner.Name FROM Customer__c ORDER BY Name', '--result-format', 'csv'],
        { json: false },
      );
      expect(csv.stdout.trim().split('\n')).toEqual(['Name,Owner.Name', 'Bolt Hardware,Admin', '"Cobalt, ""Cafe""",Admin']);
    },
    STEP_MS,
  );

  it(
    'when a record is created, read, updated and deleted with data commands, then the emulator holds each change',
    async () => {
      const created = await sf([
        'data',
        'create',
        'record',
        '--target-org',
        'emu',
        '--sobject',
        'Customer__c',
        '--values',
        "Name='Delta Dairy' Email__c=ap@delta.example",
      ]);
      expect(created.json.result).toEqual({ id: expect.stringMatching(/^\w{18}$/), success: true, errors: [] });
      const id = created.json.result.id as string;
      const updated = await sf([
        'data',
        'update',
        'record',
        '--target-org',
        'emu',
        '--sobject',
        'Customer__c',
        '--record-id',
        id,
        '--values',
        "Phone__c='555 0100'",
      ]);
      expect(updated.json.result).toMatchObject({ id, success: true });
      const byWhere = await sf(['data', 'get', 'record', '--target-org', 'emu', '--sobject', 'Customer__c', '--where', "Name='Delta Dairy'"]);
      expect(byWhere.json.result).toMatchObject({
        Id: id,
        Name: 'Delta Dairy',
        Email__c: 'ap@delta.example',
        Phone__c: '555 0100',
        attributes: { type: 'Customer__c' },
      });
      const deleted = await sf(['data', 'delete', 'record', '--target-org', 'emu', '--sobject', 'Customer__c', '--record-id', id]);
      expect(deleted.json.result).toMatchObject({ id, success: true });
      expect(await emu.records('Customer__c')).toHaveLength(2);
      const gone = await sf(['data', 'get', 'record', '--target-org', 'emu', '--sobject', 'Customer__c', '--record-id', id]);
      expect(gone.code).not.toBe(0);
      expect(gone.json.name).toBe('NOT_FOUND');
    },
    STEP_MS,
  );

  it(
    'when an object is described and limits are listed, then the CLI reads the metadata and the API limits',
    async () => {
      const described = await sf(['sobject', 'describe', '--target-org', 'emu', '--sobject', 'Customer__c']);
      expect(described.json.result).toMatchObject({ name: 'Customer__c', custom: true, queryable: true });
      expect(described.json.result.fields.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['Id', 'Name', 'Email__c', 'OwnerId']));
      const limits = await sf(['org', 'list', 'limits', '--target-org', 'emu']);
      expect(limits.json.result).toContainEqual({ name: 'DailyApiRequests', max: 15000, remaining: expect.any(Number) });
    },
    STEP_MS,
  );

  it(
    'when data is exported and imported in bulk, then Bulk API 2.0 query and ingest jobs carry it',
    async () => {
      const file = path.join(home, 'customers.csv');
      const exported = await sf([
        'data',
        'export',
        'bulk',
        '--target-org',
        'emu',
        '--query',
        'SELECT Id, Name, Email__c FROM Customer__c ORDER BY Name',
        '--output-file',
        file,
        '--wait',
        '1',
      ]);
      expect(exported.json.result).toEqual({ totalSize: 2, filePath: file });
      expect(fs.readFileSync(file, 'utf8')).toBe(
        `"Id","Name","Email__c"\n"${customerIds[0]}","Bolt Hardware","ap@bolt.example"\n"${customerIds[1]}","Cobalt, ""Cafe""",""\n`,
      );
      const json = path.join(home, 'customers.json');
      await sf([
        'data',
        'export',
        'bulk',
        '--target-org',
        'emu',
        '--query',
        'SELECT Name FROM Customer__c ORDER BY Name',
        '--output-file',
        json,
        '--result-format',
        'json',
        '--wait',
        '1',
      ]);
      expect(JSON.parse(fs.readFileSync(json, 'utf8'))).toEqual([{ Name: 'Bolt Hardware' }, { Name: 'Cobalt, "Cafe"' }]);

      const input = path.join(home, 'import.csv');
      fs.writeFileSync(input, 'Name,Email__c\nEcho Eats,ap@echo.example\nFoxtrot Foods,\n');
      const imported = await sf(['data', 'import', 'bulk', '--target-org', 'emu', '--file', input, '--sobject', 'Customer__c', '--wait', '1']);
      expect(imported.json.result).toMatchObject({ processedRecords: 2, successfulRecords: 2, failedRecords: 0 });
      expect((await emu.records('Customer__c')).map((r) => r.Name).sort()).toEqual(['Bolt Hardware', 'Cobalt, "Cafe"', 'Echo Eats', 'Foxtrot Foods']);
    },
    STEP_MS,
  );
});
