// Strict input on every route, over real HTTP against the whole product (both emulators, the service with its
// QuickBooks pages): a typo or a wrong media type never runs an export, sizes and bounds are refused with the
// limit named before anything starts, and no client mistake is ever answered 500.
import type { DemoStack } from '../../scripts/demo-stack';
import { NO_INVOICE_NUMBER } from '../../service/src/http/invoiceNumbers';
import { exportCli } from '../support/cli';
import { sendRaw } from '../support/http';
import { admin, api, startTestStack, waitForRun } from '../support/stack';

describe('when a request to the export API is not exactly what the API reads', () => {
  let stack: DemoStack;
  let exportsUrl: string;
  const auth = () => ({ Authorization: `Bearer ${stack.apiKey}` });
  const qboWrites = async () => {
    const stats = await admin(stack.qboUrl, 'GET', '/stats');
    return stats.byKind.write + stats.byKind.batch;
  };
  const noRunStarted = async () => expect(await stack.container.store.runs.latestForCompany(stack.primaryCompanyId)).toBeNull();

  beforeAll(async () => {
    stack = await startTestStack({ invoices: 12, authPages: true });
    exportsUrl = `${stack.serviceUrl}/api/companies/${stack.primaryCompanyId}/exports`;
  });
  afterAll(() => stack?.close());

  it('when a field name is mistyped ({"dryrun": true}), then 400 names the unknown field and nothing is exported', async () => {
    const writes = await qboWrites();
    const answer = await api(stack, 'POST', `/api/companies/${stack.primaryCompanyId}/exports`, { dryrun: true });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'BAD_REQUEST', message: 'Unknown field dryrun' });
    const two = await api(stack, 'POST', `/api/companies/${stack.primaryCompanyId}/exports`, { dryRun: true, invoices: 'SI-1', from: '2026-01-01' });
    expect(two.status).toBe(400);
    expect(two.body.error.message).toBe('Unknown fields invoices, from');
    await noRunStarted();
    expect(await qboWrites()).toBe(writes);
  });

  it('when the body is sent as text/plain or as a form, then 415 and nothing is exported', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await fetch(exportsUrl, { method: 'POST', headers: { ...auth(), 'Content-Type': type }, body: '{"dryRun": true}' });
      expect(res.status).toBe(415);
      const body = (await res.json()) as any;
      expect(body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(body.error.message).toContain('application/json');
    }
    await noRunStarted();
  });

  it('when the body is JSON but not an object, or not JSON at all, then 400', async () => {
    for (const body of ['[]', '"dryRun"', 'null', '{"dryRun": tru']) {
      const res = await fetch(exportsUrl, { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body });
      expect(res.status).toBe(400);
    }
    const wrongType = await api(stack, 'POST', `/api/companies/${stack.primaryCompanyId}/exports`, { dryRun: 'true' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toMatch(/^dryRun: /);
    await noRunStarted();
  });

  it('when the body is 2 MB, says it is 50 MB, or streams 2 MB chunked, then 413 naming the limit — never 500', async () => {
    const json = { ...auth(), 'Content-Type': 'application/json' };
    const two = await sendRaw(exportsUrl, { headers: { ...json, 'Content-Length': String(2 * 1024 * 1024) }, totalBytes: 2 * 1024 * 1024, fill: ' ' });
    const fifty = await sendRaw(exportsUrl, { headers: { ...json, 'Content-Length': String(50 * 1024 * 1024) }, totalBytes: 50 * 1024 * 1024, fill: ' ' });
    const chunked = await sendRaw(exportsUrl, { headers: json, totalBytes: 2 * 1024 * 1024, fill: ' ' });
    for (const answer of [two, fifty, chunked]) {
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.text).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large (the limit is 1 MB).' });
    }
    await noRunStarted();
  });

  it('when an invoice number is longer than 80 characters or more than 1,000 are named, then 400 names the limit before any run starts', async () => {
    const path = `/api/companies/${stack.primaryCompanyId}/exports`;
    const long = await api(stack, 'POST', path, { invoiceNumbers: 'x'.repeat(200 * 1024) });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toBe('invoiceNumbers: an invoice number has at most 80 characters (one given has 204,800)');
    const many = Array.from({ length: 5000 }, (_, i) => `SI-${String(i).padStart(6, '0')}`);
    const tooMany = await api(stack, 'POST', path, { invoiceNumbers: many });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/^invoiceNumbers: at most 1,000 invoice numbers per export \(5,000 given\)/);
    const asText = await api(stack, 'POST', path, { invoiceNumbers: many.slice(0, 1001).join(',') });
    expect(asText.status).toBe(400);
    expect(asText.body.error.message).toMatch(/at most 1,000 invoice numbers per export \(1,001 given\)/);
    await noRunStarted();
  });

  it('when invoiceNumbers is given but names no invoice, then 400 says so — at the API and on the command line — and nothing is exported', async () => {
    const path = `/api/companies/${stack.primaryCompanyId}/exports`;
    const writes = await qboWrites();
    for (const invoiceNumbers of ['', [' ', ''], [], ',', ' , ']) {
      for (const dryRun of [false, true]) {
        const answer = await api(stack, 'POST', path, { dryRun, invoiceNumbers });
        expect({ invoiceNumbers, status: answer.status }).toEqual({ invoiceNumbers, status: 400 });
        expect(answer.body.error).toMatchObject({ code: 'BAD_REQUEST', message: `invoiceNumbers: ${NO_INVOICE_NUMBER}` });
      }
    }
    for (const invoices of [',', ' , ', '']) {
      const cli = await exportCli(stack, ['--company', stack.primaryCompanyId, '--invoices', invoices]);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(`--invoices names no invoice number ("${invoices}")`);
    }
    await noRunStarted();
    expect(await qboWrites()).toBe(writes);
  });

  it('when a date does not exist (2026-02-30, 2026-13-01), then 400 names the field and the date', async () => {
    const path = `/api/companies/${stack.primaryCompanyId}/exports`;
    const feb = await api(stack, 'POST', path, { fromDate: '2026-02-30' });
    expect(feb.status).toBe(400);
    expect(feb.body.error.message).toBe('fromDate: 2026-02-30 is not a date on the calendar');
    const month = await api(stack, 'POST', path, { toDate: '2026-13-01' });
    expect(month.status).toBe(400);
    expect(month.body.error.message).toBe('toDate: 2026-13-01 is not a date on the calendar');
    const leap = await api(stack, 'POST', path, { fromDate: '2028-02-29', toDate: '2028-02-29', dryRun: true });
    expect(leap.status).toBe(202);
    await waitForRun(stack, leap.body.runId);
  });

  it('when 1,000 invoice numbers are named, then the dry run reads them all (queries split to fit Salesforce URIs) and finds the real ones', async () => {
    const approved = stack.data.salesforce.records.Sales_Invoice__c!.filter((i) => i.Company__c === stack.primaryCompanyId && i.Approved__c === true);
    const real = approved.slice(0, 3).map((i) => String(i.Name));
    const names = [...real, ...Array.from({ length: 997 }, (_, i) => `NO-SUCH-INVOICE-${String(i).padStart(6, '0')}`)];
    const started = await api(stack, 'POST', `/api/companies/${stack.primaryCompanyId}/exports`, { dryRun: true, invoiceNumbers: names });
    expect(started.status).toBe(202);
    const run = await waitForRun(stack, started.body.runId);
    expect(run.status).not.toBe('failed');
    // The three real ones are planned; each of the 997 others is named as unknown.
    const decisions: any[] = run.plan.decisions.filter((d: any) => d.recordType === 'Invoice');
    expect(
      decisions
        .filter((d) => real.includes(d.recordName))
        .map((d) => d.recordName)
        .sort(),
    ).toEqual([...real].sort());
    const unknown = decisions.filter((d) => d.recordName.startsWith('NO-SUCH-INVOICE-'));
    expect(unknown).toHaveLength(997);
    expect(unknown.every((d) => d.action === 'fail' && d.message === `Invoice ${d.recordName} was not exported: no Sales Invoice has this number.`)).toBe(true);
  });

  it('when a query parameter is unknown or out of range, then 400 names it', async () => {
    const unknown = await api(stack, 'GET', `/api/companies/${stack.primaryCompanyId}/summary?company=x`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe('Unknown query parameter company');
    for (const limit of ['0', '51', 'abc', '2.5']) {
      const bad = await api(stack, 'GET', `/api/companies/${stack.primaryCompanyId}/process-logs?limit=${limit}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe('limit: limit is a whole number from 1 to 50');
    }
    expect((await api(stack, 'GET', `/api/companies/${stack.primaryCompanyId}/process-logs?limit=5`)).status).toBe(200);
  });

  it('when a URL does not decode, then 400, not 500', async () => {
    const answer = await sendRaw(`${stack.serviceUrl}/api/runs/%E0%A4%A`, { method: 'GET', headers: auth(), body: '' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).error).toEqual({
      code: 'BAD_REQUEST',
      message: 'The request is not valid (its URL or body could not be read).',
      requestId: expect.any(String),
    });
  });

  describe('the admin forms and files under /quickbooks', () => {
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

    it('when a form has a field the page never sends, then 400 names it and nobody is signed in', async () => {
      const res = await fetch(`${stack.serviceUrl}/quickbooks/session`, { ...form({ adminKey: stack.adminKey, remember: 'yes' }), redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('Unknown field remember');
      expect(res.headers.getSetCookie()).toEqual([]);
    });

    it('when a form comes as JSON, then 415; when it is 20 KB, then 413 — pages, not 500', async () => {
      const json = await fetch(`${stack.serviceUrl}/quickbooks/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ adminKey: stack.adminKey }),
        redirect: 'manual',
      });
      expect(json.status).toBe(415);
      expect(json.headers.get('content-type')).toMatch(/text\/html/);
      const big = await fetch(`${stack.serviceUrl}/quickbooks/refresh`, form({ companyId: stack.primaryCompanyId, csrf: 'x'.repeat(20 * 1024) }));
      expect(big.status).toBe(413);
      expect(await big.text()).toContain('too large');
    });

    it('when an asset path climbs out of its folder (..%2F) or does not decode, then 404 or 400, never a 500 page', async () => {
      for (const path of [
        '/quickbooks/assets/..%2F..%2F..%2Fpackage.json',
        '/quickbooks/assets/styles/..%2F..%2F..%2F..%2F..%2Fpackage.json',
        '/quickbooks/assets/%E0%A4%A',
      ]) {
        const answer = await sendRaw(`${stack.serviceUrl}${path}`, { method: 'GET', body: '' });
        expect([400, 404]).toContain(answer.status);
        expect(answer.text).not.toContain('"devDependencies"');
      }
      const css = await fetch(`${stack.serviceUrl}/quickbooks/assets/styles/salesforce-lightning-design-system.min.css`);
      expect(css.status).toBe(200);
    });
  });
});
