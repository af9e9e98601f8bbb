/* global window, fetch */
// The harness's stand-in for the Apex side: SalesInvoiceExportController + LedgerlineServiceClient.
// Calls the Ledgerline service's HTTP API with the demo API key injected into the page
// (window.__LEDGERLINE__) and answers, or fails, the way the Apex methods do: the same JSON, and
// errors shaped like a rejected imperative Apex call ({ body: { message }, ok: false, status }).
import SERVICE_UNAUTHORIZED from '@salesforce/label/c.LL_Error_Service_Unauthorized';
import SERVICE_UNREACHABLE from '@salesforce/label/c.LL_Error_Service_Unreachable';
import SERVICE_ERROR from '@salesforce/label/c.LL_Error_Service';
import EXPORT_RUNNING from '@salesforce/label/c.LL_Error_Export_Running';
import RUN_NOT_FOUND from '@salesforce/label/c.LL_Error_Run_Not_Found';
import NO_COMPANY from '@salesforce/label/c.LL_Error_No_Company';

const DEFAULT_LOG_LIMIT = 5;
const MAX_LOG_LIMIT = 50;

function config() {
  return (typeof window !== 'undefined' && window.__LEDGERLINE__) || {};
}

function format(template, ...values) {
  return String(template).replace(/\{(\d+)\}/g, (m, i) => (values[Number(i)] === undefined ? m : String(values[Number(i)])));
}

function apexError(message, status) {
  return { body: { message }, ok: false, status, statusText: message };
}

async function call(method, path, body) {
  const { apiKey, apiBase = '' } = config();
  const headers = { Accept: 'application/json', Authorization: `Bearer ${apiKey || ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(`${apiBase}/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw apexError(format(SERVICE_UNREACHABLE, e && e.message ? e.message : String(e)), 0);
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (res.ok) {
    return json;
  }
  const serviceError = (json && json.error) || {};
  switch (res.status) {
    case 401:
    case 403:
      throw apexError(SERVICE_UNAUTHORIZED, res.status);
    case 409:
      throw apexError(serviceError.message || EXPORT_RUNNING, 409);
    case 404:
      if (path.startsWith('/runs/')) throw apexError(RUN_NOT_FOUND, 404);
      throw apexError(format(SERVICE_ERROR, 404, serviceError.message || res.statusText), 404);
    default:
      throw apexError(format(SERVICE_ERROR, res.status, serviceError.message || res.statusText), res.status);
  }
}

let companyIdPromise;

/** The "current user's Company": the injected companyId, else the service's primary company. */
export function currentCompanyId() {
  const injected = config().companyId;
  if (injected) return Promise.resolve(injected);
  if (!companyIdPromise) {
    companyIdPromise = call('GET', '/companies').then((companies) => {
      const list = Array.isArray(companies) ? companies : [];
      const company = list.find((c) => c.primary) || list[0];
      if (!company) throw apexError(NO_COMPANY, 500);
      return company.id;
    });
    companyIdPromise.catch(() => {
      companyIdPromise = undefined;
    });
  }
  return companyIdPromise;
}

export async function getSummary() {
  const companyId = await currentCompanyId();
  return call('GET', `/companies/${encodeURIComponent(companyId)}/summary`);
}

export async function startExport(params = {}) {
  const companyId = await currentCompanyId();
  const body = { dryRun: params.dryRun === true };
  const numbers = typeof params.invoiceNumbers === 'string' ? params.invoiceNumbers.trim() : '';
  if (numbers) body.invoiceNumbers = numbers;
  return call('POST', `/companies/${encodeURIComponent(companyId)}/exports`, body);
}

export async function getRunStatus(params = {}) {
  const runId = params.runId;
  if (!runId || !String(runId).trim()) throw apexError(RUN_NOT_FOUND, 404);
  const companyId = await currentCompanyId();
  const run = await call('GET', `/runs/${encodeURIComponent(runId)}`);
  // Same rule as the Apex controller: only runs of the user's own Company.
  if (!run || run.companyId !== companyId) throw apexError(RUN_NOT_FOUND, 404);
  return run;
}

export async function getProcessLogs(params = {}) {
  const requested = Number(params.limitCount);
  const limit = !requested || requested < 1 ? DEFAULT_LOG_LIMIT : Math.min(requested, MAX_LOG_LIMIT);
  const companyId = await currentCompanyId();
  const logs = await call('GET', `/companies/${encodeURIComponent(companyId)}/process-logs?limit=${limit}`);
  return Array.isArray(logs) ? logs : [];
}
