// The Salesforce package in force-app, checked offline: the sf CLI converts it and builds a manifest
// (no org needed), Apex parses (scripts/check-apex.js), and the pieces that reference each other by
// name — labels, permission set fields, credentials, flexipage, tab — agree.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// The sf CLI starts slowly (several seconds per command on a busy machine).
jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
const SF = path.join(ROOT, 'node_modules', '.bin', 'sf');
const CHECK_APEX = path.join(ROOT, 'scripts', 'check-apex.js');
const DEFAULT_DIR = path.join(ROOT, 'force-app', 'main', 'default');
const SF_ENV = {
  ...process.env,
  SF_DISABLE_TELEMETRY: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
  NO_COLOR: '1',
  // Under jest NODE_ENV is "test", which makes oclif look for the CLI's dev-only plugins and warn.
  NODE_ENV: 'production',
};

interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function exec(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ExecResult> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: ROOT, env, maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
  }
}

/** `sf ... --json` prints one JSON document on stdout; warnings may precede it. */
function sfJson(stdout: string): { status: number; result?: Record<string, unknown> } {
  const start = stdout.indexOf('{');
  return JSON.parse(stdout.slice(start));
}

/** type name -> members, from a package.xml */
function manifestTypes(xml: string): Map<string, string[]> {
  const types = new Map<string, string[]>();
  for (const block of xml.match(/<types>[\s\S]*?<\/types>/g) ?? []) {
    const name = /<name>([^<]+)<\/name>/.exec(block)?.[1] ?? '';
    const members = [...block.matchAll(/<members>([^<]+)<\/members>/g)].map((m) => m[1]);
    types.set(name, members);
  }
  return types;
}

function read(relative: string): string {
  return readFileSync(path.join(DEFAULT_DIR, relative), 'utf8');
}

function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix) && !f.split(path.sep).includes('__tests__'))
    .map((f) => path.join(dir, f));
}

describe('force-app metadata', () => {
  let tmp: string;

  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-metadata-'));
  });

  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('when the source is converted to Metadata API format, then sf succeeds and leaves the tests out', async () => {
    const out = path.join(tmp, 'mdapi');

    const result = await exec(SF, ['project', 'convert', 'source', '--root-dir', 'force-app', '--output-dir', out, '--json'], SF_ENV);

    expect(result.code).toBe(0);
    expect(sfJson(result.stdout).status).toBe(0);
    for (const file of [
      'package.xml',
      'classes/SalesInvoiceExportController.cls',
      'classes/LedgerlineServiceClient.cls',
      'lwc/salesInvoiceExport/salesInvoiceExport.js',
      'lwc/processLogViewer/processLogViewer.html',
      'labels/CustomLabels.labels',
      'namedCredentials/Ledgerline_Service.namedCredential',
      'externalCredentials/Ledgerline_Service.externalCredential',
      'permissionsets/Ledgerline_Export_User.permissionset',
      'flexipages/Sales_Invoice_Export.flexipage',
      'tabs/Sales_Invoice_Export.tab',
      'classes/ProcessLogController.cls',
      'classes/ProcessLogSelector.cls',
      'classes/AcceptedInvoiceLock.cls',
      'triggers/SalesInvoiceLock.trigger',
      'triggers/SalesInvoiceLineLock.trigger',
      'tabs/Process_Log__c.tab',
      'flexipages/Process_Log_Record_Page.flexipage',
      'layouts/Process_Log__c-Process Log Layout.layout',
      'layouts/Process_Log_Entry__c-Process Log Entry Layout.layout',
      'messageChannels/Ledgerline_Export_Run.messageChannel',
    ]) {
      expect(existsSync(path.join(out, file))).toBe(true);
    }
    // .forceignore keeps jest tests and fixtures out of the package.
    expect(existsSync(path.join(out, 'lwc', 'salesInvoiceExport', '__tests__'))).toBe(false);
  });

  it('when a manifest is generated, then it lists the classes, components, objects, credentials, page and tab', async () => {
    const out = path.join(tmp, 'manifest');

    const result = await exec(SF, ['project', 'generate', 'manifest', '--source-dir', 'force-app', '--output-dir', out, '--json'], SF_ENV);

    expect(result.code).toBe(0);
    expect(sfJson(result.stdout).status).toBe(0);
    const types = manifestTypes(readFileSync(path.join(out, 'package.xml'), 'utf8'));
    expect(types.get('ApexClass')).toEqual(
      expect.arrayContaining([
        'SalesInvoiceExportController',
        'SalesInvoiceExportController_Tests',
        'LedgerlineServiceClient',
        'LedgerlineServiceClient_Tests',
        'HttpCalloutMockFactory',
        'AcceptedInvoiceLock',
        'AcceptedInvoiceLock_Tests',
      ]),
    );
    // Validation rules cannot stop a delete: before-delete triggers keep an accepted invoice and its lines.
    expect(types.get('ApexTrigger')).toEqual(expect.arrayContaining(['SalesInvoiceLock', 'SalesInvoiceLineLock']));
    expect(types.get('LightningComponentBundle')).toEqual(expect.arrayContaining(['salesInvoiceExport', 'processLogViewer', 'ledgerlineUtils', 'errorPanel']));
    expect(types.get('CustomObject')).toEqual(
      expect.arrayContaining([
        'Company__c',
        'Customer__c',
        'Product__c',
        'Sales_Invoice__c',
        'Sales_Invoice_Line__c',
        'Payment__c',
        'Process_Log__c',
        'Process_Log_Entry__c',
      ]),
    );
    expect(types.get('CustomField')).toEqual(expect.arrayContaining(['User.Ledgerline_Company__c']));
    // Fields an admin maps without code: the custom metadata type and its example record.
    expect(types.get('CustomObject')).toEqual(expect.arrayContaining(['Ledgerline_Field_Mapping__mdt']));
    expect(types.get('CustomMetadata')).toEqual(['Ledgerline_Field_Mapping.PO_Number_Custom_Field']);
    // QuickBooks Desktop's lock: an invoice QuickBooks accepted cannot be edited (sf-validation-rules evaluates them).
    expect(types.get('ValidationRule')).toEqual(
      expect.arrayContaining(['Sales_Invoice__c.Locked_After_QuickBooks_Accepted', 'Sales_Invoice_Line__c.Locked_After_QuickBooks_Accepted']),
    );
    expect(types.get('NamedCredential')).toEqual(['Ledgerline_Service']);
    expect(types.get('ExternalCredential')).toEqual(['Ledgerline_Service']);
    expect(types.get('PermissionSet')).toEqual(expect.arrayContaining(['Ledgerline_Export_User']));
    expect(types.get('FlexiPage')).toEqual(expect.arrayContaining(['Sales_Invoice_Export']));
    expect(types.get('CustomTab')).toEqual(expect.arrayContaining(['Sales_Invoice_Export', 'Process_Log__c']));
    expect(types.get('ListView')).toEqual(expect.arrayContaining(['Process_Log__c.All', 'Process_Log__c.Runs_With_Errors']));
    expect(types.get('Layout')).toEqual(expect.arrayContaining(['Process_Log__c-Process Log Layout', 'Process_Log_Entry__c-Process Log Entry Layout']));
    // The notification type Ledgerline's alerts are sent as (customNotificationAction).
    expect(types.get('CustomNotificationType')).toEqual(['Ledgerline_Alert']);
    expect(types.get('LightningMessageChannel')).toEqual(['Ledgerline_Export_Run']);
    expect(types.get('FlexiPage')).toEqual(expect.arrayContaining(['Process_Log_Record_Page']));
    expect(types.get('CustomLabel')).toEqual(expect.arrayContaining(['SIE_Export', 'SIE_QuickBooks_Authentication']));
  });

  it('then deleting an accepted Desktop invoice or one of its lines is refused by before-delete triggers, each covered by its Apex test', () => {
    const read = (file: string) => readFileSync(path.join(DEFAULT_DIR, file), 'utf8');
    expect(read('triggers/SalesInvoiceLock.trigger')).toMatch(
      /trigger SalesInvoiceLock on Sales_Invoice__c\s*\(before delete\)[\s\S]*AcceptedInvoiceLock\.refuseInvoiceDeletes\(Trigger\.old\)/,
    );
    expect(read('triggers/SalesInvoiceLineLock.trigger')).toMatch(
      /trigger SalesInvoiceLineLock on Sales_Invoice_Line__c\s*\(before delete\)[\s\S]*AcceptedInvoiceLock\.refuseLineDeletes\(Trigger\.old\)/,
    );
    const tests = read('classes/AcceptedInvoiceLock_Tests.cls');
    // The negative cases delete an accepted invoice and a line of it and assert the lock's own message.
    expect(tests).toMatch(
      /static void testDeleteAcceptedDesktopInvoiceNegative\(\)[\s\S]*?Database\.delete\(accepted, false\)[\s\S]*?AcceptedInvoiceLock\.INVOICE_LOCKED/,
    );
    expect(tests).toMatch(
      /static void testDeleteLineOfAcceptedDesktopInvoiceNegative\(\)[\s\S]*?Database\.delete\(line, false\)[\s\S]*?AcceptedInvoiceLock\.LINE_LOCKED/,
    );
    expect(tests).toMatch(/static void testDeleteNotYetAcceptedAndOnlineInvoicesPositive\(\)/);
  });

  it('when check-apex runs over force-app, then every class parses', async () => {
    const result = await exec(process.execPath, [CHECK_APEX]);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const cls of ['SalesInvoiceExportController.cls', 'LedgerlineServiceClient.cls', 'HttpCalloutMockFactory.cls']) {
      expect(result.stdout).toContain(`ok   force-app/main/default/classes/${cls}`);
    }
    expect(result.stdout).toMatch(/check-apex: \d+ file\(s\) checked, 0 with syntax errors/);
  });

  it('when check-apex is given broken Apex, then it fails and names the file', async () => {
    const dir = mkdtempSync(path.join(tmp, 'apex-'));
    const good = path.join(dir, 'Good.cls');
    const broken = path.join(dir, 'Broken.cls');
    writeFileSync(good, 'public class Good {\n    public Integer twice(Integer n) { return n * 2; }\n}\n');
    writeFileSync(broken, 'public class Broken {\n    public void go( {\n        Integer x = ;\n    }\n}\n');

    const result = await exec(process.execPath, [CHECK_APEX, good, broken]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('FAIL');
    expect(result.stderr).toContain('Broken.cls');
    expect(result.stdout).toContain('Good.cls');
    expect(result.stdout).toContain('2 file(s) checked, 1 with syntax errors');
  });

  it('when a formatting-only difference is present, then check-apex still passes', async () => {
    const dir = mkdtempSync(path.join(tmp, 'apex-'));
    const ugly = path.join(dir, 'Ugly.cls');
    writeFileSync(ugly, 'public   class Ugly{public void go(){Integer x=1;System.debug(x);}}');

    const result = await exec(process.execPath, [CHECK_APEX, ugly]);

    expect(result.code).toBe(0);
  });

  it('then every Custom Label the components and Apex use is defined', () => {
    const defined = new Set([...read('labels/CustomLabels.labels-meta.xml').matchAll(/<fullName>([^<]+)<\/fullName>/g)].map((m) => m[1]));
    const used = new Set<string>();
    for (const file of filesUnder(path.join(DEFAULT_DIR, 'lwc'), '.js')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/@salesforce\/label\/c\.([A-Za-z0-9_]+)/g)) used.add(m[1]);
    }
    for (const file of filesUnder(path.join(DEFAULT_DIR, 'classes'), '.cls')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/System\.Label\.([A-Za-z0-9_]+)/g)) used.add(m[1]);
    }

    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((name) => !defined.has(name))).toEqual([]);
  });

  it('then the permission set grants only fields that exist and are not master-detail or required', () => {
    const permset = read('permissionsets/Ledgerline_Export_User.permissionset-meta.xml');
    const fields = [...permset.matchAll(/<field>([^<]+)<\/field>/g)].map((m) => m[1]);

    expect(fields.length).toBeGreaterThan(0);
    const problems = fields.filter((field) => {
      const [object, name] = field.split('.');
      const file = path.join(DEFAULT_DIR, 'objects', object, 'fields', `${name}.field-meta.xml`);
      if (!existsSync(file)) return true;
      const xml = readFileSync(file, 'utf8');
      return xml.includes('<type>MasterDetail</type>') || xml.includes('<required>true</required>');
    });
    expect(problems).toEqual([]);
    expect(permset).toContain('<apexClass>SalesInvoiceExportController</apexClass>');
    expect(permset).toContain('<tab>Sales_Invoice_Export</tab>');
    expect(permset).toContain('<tab>Process_Log__c</tab>');
    expect(permset).toContain('<apexClass>ProcessLogController</apexClass>');
  });

  it('then the credentials, permission set, flexipage and tab reference each other by the right names', () => {
    const external = read('externalCredentials/Ledgerline_Service.externalCredential-meta.xml');
    const named = read('namedCredentials/Ledgerline_Service.namedCredential-meta.xml');
    const permset = read('permissionsets/Ledgerline_Export_User.permissionset-meta.xml');
    const flexipage = read('flexipages/Sales_Invoice_Export.flexipage-meta.xml');
    const tab = read('tabs/Sales_Invoice_Export.tab-meta.xml');
    const client = read('classes/LedgerlineServiceClient.cls');

    expect(external).toContain('<authenticationProtocol>Custom</authenticationProtocol>');
    expect(external).toMatch(/<parameterName>Ledgerline_Principal<\/parameterName>\s*<parameterType>NamedPrincipal<\/parameterType>/);
    expect(external).toContain("<parameterValue>{!'Bearer ' &amp; $Credential.Ledgerline_Service.ApiKey}</parameterValue>");
    expect(named).toContain('<externalCredential>Ledgerline_Service</externalCredential>');
    expect(named).toContain('<namedCredentialType>SecuredEndpoint</namedCredentialType>');
    expect(named).toContain('<allowMergeFieldsInHeader>true</allowMergeFieldsInHeader>');
    expect(named).toContain('<generateAuthorizationHeader>false</generateAuthorizationHeader>');
    expect(permset).toContain('<externalCredentialPrincipal>Ledgerline_Service-Ledgerline_Principal</externalCredentialPrincipal>');
    expect(client).toContain("'callout:Ledgerline_Service'");
    expect(flexipage).toContain('<componentName>salesInvoiceExport</componentName>');
    expect(flexipage).toContain('<componentName>processLogViewer</componentName>');
    const recordPage = read('flexipages/Process_Log_Record_Page.flexipage-meta.xml');
    expect(recordPage).toContain('<sobjectType>Process_Log__c</sobjectType>');
    expect(recordPage).toContain('<componentName>processLogViewer</componentName>');
    expect(read('objects/Process_Log__c/Process_Log__c.object-meta.xml')).toContain('<content>Process_Log_Record_Page</content>');
    expect(read('layouts/Process_Log__c-Process Log Layout.layout-meta.xml')).toContain('<relatedList>Process_Log_Entry__c.Process_Log__c</relatedList>');
    expect(tab).toContain('<flexiPage>Sales_Invoice_Export</flexiPage>');
    for (const file of filesUnder(DEFAULT_DIR, '.cls-meta.xml')) {
      expect(readFileSync(file, 'utf8')).toContain('<apiVersion>62.0</apiVersion>');
    }
  });
});
