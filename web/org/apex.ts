// The local org's Apex: the @AuraEnabled methods of force-app's controllers, written again in TypeScript because
// Apex cannot run here. Each keeps its class's rules — the current user's Company from User.Ledgerline_Company__c
// (UserCompany), service callouts through the Named Credential's key with LedgerlineServiceClient's error mapping,
// and ProcessLogSelector's queries, run as the signed-in user against the Salesforce emulator — and fails the way an
// AuraHandledException reaches a component.
import { soqlQuote } from '../../service/src/salesforce/repository';
import { formatLabel } from '../labels';
import { selectorFields } from './apexSource';
import { asApexRecord, SalesforceQueryError, soqlContains, type OrgUser, type SalesforceClient } from './salesforce';

export interface ApexContext {
  user: OrgUser;
  salesforce: SalesforceClient;
  /** The Named Credential: the service's URL and the key its External Credential sends. */
  service: { url: string; apiKey: string };
  labels: Map<string, string>;
}

/** An AuraHandledException: the message is what the component shows. */
export class AuraHandledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuraHandledError';
  }
}

type Params = Record<string, unknown>;
type ApexMethod = (ctx: ApexContext, params: Params) => Promise<unknown>;

function label(ctx: ApexContext, name: string, ...values: unknown[]): string {
  const text = ctx.labels.get(name);
  if (text === undefined) throw new Error(`Custom Label ${name} is not defined`);
  return formatLabel(text, ...values);
}

// ---- UserCompany ------------------------------------------------------------------------------

async function currentCompanyId(ctx: ApexContext): Promise<string> {
  const userId = await ctx.salesforce.userId(ctx.user);
  const { records } = await ctx.salesforce.query<{ Ledgerline_Company__c: string | null }>(
    ctx.user,
    `SELECT Ledgerline_Company__c FROM User WHERE Id = ${soqlQuote(userId)} LIMIT 1`,
  );
  const companyId = records[0]?.Ledgerline_Company__c;
  if (!companyId) throw new AuraHandledError(label(ctx, 'LL_Error_No_Company'));
  return companyId;
}

// ---- LedgerlineServiceClient --------------------------------------------------------------------

class ServiceError extends AuraHandledError {
  constructor(
    message: string,
    readonly status: number,
    readonly requestId: string | null = null,
  ) {
    super(message);
  }
}

/** "… (reference 3f0c…)": the service's id of the request, for support to find it in the logs. */
function withReference(ctx: ApexContext, message: string, requestId: string | null): string {
  return requestId ? label(ctx, 'LL_Error_Reference', message, requestId) : message;
}

async function callService(ctx: ApexContext, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(`${ctx.service.url}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        Authorization: `Bearer ${ctx.service.apiKey}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    // (ECONNREFUSED, a time-out: the user is told what it means and what to do, not the socket's code.)
    throw new ServiceError(label(ctx, 'LL_Error_Service_Unreachable'), 0);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (res.ok) {
    if (json === null || typeof json !== 'object') throw new ServiceError(label(ctx, 'LL_Error_Service', res.status, 'not JSON'), res.status);
    return json as Record<string, unknown>;
  }
  const serviceError = ((json as { error?: unknown } | null)?.error ?? {}) as { message?: string; requestId?: string };
  // The service's reference for the request (its X-Request-Id) goes with the message: support finds it in the logs.
  const requestId = serviceError.requestId || res.headers.get('x-request-id');
  const referenced = (message: string) => withReference(ctx, message, requestId);
  if (res.status === 401 || res.status === 403) throw new ServiceError(referenced(label(ctx, 'LL_Error_Service_Unauthorized')), res.status, requestId);
  if (res.status === 409) throw new ServiceError(serviceError.message || label(ctx, 'LL_Error_Export_Running'), 409, requestId);
  throw new ServiceError(referenced(label(ctx, 'LL_Error_Service', res.status, serviceError.message || res.statusText)), res.status, requestId);
}

// ---- SalesInvoiceExportController -----------------------------------------------------------------

const SalesInvoiceExportController: Record<string, ApexMethod> = {
  async getSummary(ctx) {
    const companyId = await currentCompanyId(ctx);
    return callService(ctx, 'GET', `/api/companies/${encodeURIComponent(companyId)}/summary`);
  },

  async startExport(ctx, params) {
    const numbers = typeof params.invoiceNumbers === 'string' ? params.invoiceNumbers.trim() : '';
    // A list of commas names no invoice: refused, never sent as "every invoice".
    if (numbers && !numbers.split(',').some((part) => part.trim())) throw new AuraHandledError(label(ctx, 'LL_Error_No_Invoice_Number'));
    const companyId = await currentCompanyId(ctx);
    const body: Record<string, unknown> = { dryRun: params.dryRun === true };
    if (numbers) body.invoiceNumbers = numbers;
    return callService(ctx, 'POST', `/api/companies/${encodeURIComponent(companyId)}/exports`, body);
  },

  async getRunStatus(ctx, params) {
    return readOwn(ctx, params.runId, 'LL_Error_Run_Not_Found', (runId) => `/api/runs/${encodeURIComponent(runId)}`);
  },

  async syncStatusNow(ctx) {
    const companyId = await currentCompanyId(ctx);
    return callService(ctx, 'POST', `/api/companies/${encodeURIComponent(companyId)}/status-sync`, {});
  },

  async getStatusSync(ctx, params) {
    return readOwn(
      ctx,
      params.syncId,
      'LL_Error_Sync_Not_Found',
      (syncId, companyId) => `/api/companies/${encodeURIComponent(companyId)}/status-sync/${encodeURIComponent(syncId)}`,
    );
  },
};

// ---- ReconciliationController ----------------------------------------------------------------------

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

const ReconciliationController: Record<string, ApexMethod> = {
  async getReconciliation(ctx, params) {
    // @AuraEnabled Date parameters: YYYY-MM-DD, as the component sends them; a period that ends before it starts is refused.
    const from = typeof params.fromDate === 'string' && CALENDAR_DATE.test(params.fromDate) ? params.fromDate : null;
    const to = typeof params.toDate === 'string' && CALENDAR_DATE.test(params.toDate) ? params.toDate : null;
    if (!from || !to || from > to) throw new AuraHandledError(label(ctx, 'RCV_Error_Period'));
    const companyId = await currentCompanyId(ctx);
    const query = new URLSearchParams({ from, to });
    return callService(ctx, 'GET', `/api/companies/${encodeURIComponent(companyId)}/reconciliation?${query}`);
  },
};

/**
 * A run or sync of the user's own Company: its id is not a secret, so one of another Company (the service echoes a
 * 15- or 18-character id) is "not found", as is a blank id or the service's 404.
 */
async function readOwn(ctx: ApexContext, rawId: unknown, notFound: string, path: (id: string, companyId: string) => string): Promise<Record<string, unknown>> {
  const id = typeof rawId === 'string' ? rawId.trim() : '';
  if (!id) throw new AuraHandledError(label(ctx, notFound));
  const companyId = await currentCompanyId(ctx);
  let found: Record<string, unknown>;
  try {
    found = await callService(ctx, 'GET', path(id, companyId));
  } catch (err) {
    if (err instanceof ServiceError && err.status === 404) throw new AuraHandledError(withReference(ctx, label(ctx, notFound), err.requestId));
    throw err;
  }
  const serviceId = String(found.companyId ?? '');
  if (!serviceId || (serviceId !== companyId && serviceId !== companyId.slice(0, 15))) throw new AuraHandledError(label(ctx, notFound));
  return found;
}

// ---- ProcessLogSelector / ProcessLogController ---------------------------------------------------------

// ProcessLogSelector's own field lists, read from its source (web/org/apexSource.ts): never a hand copy.
export const SELECTOR = selectorFields();
const LOG_FIELDS = SELECTOR.log;
const ENTRY_FIELDS = SELECTOR.entry;
const SEARCHED_FIELDS = SELECTOR.searched;
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 200;
const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})$/;

function pageSizeOf(requested: unknown): number {
  const n = Number(requested);
  return !Number.isFinite(n) || n < 1 ? DEFAULT_PAGE_SIZE : Math.min(Math.floor(n), MAX_PAGE_SIZE);
}

function idParam(ctx: ApexContext, value: unknown): string {
  // An @AuraEnabled Id parameter that is not an id never reaches the method.
  if (typeof value !== 'string' || !SALESFORCE_ID.test(value)) throw new AuraHandledError(label(ctx, 'PLV_Error_Not_Found'));
  return value;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value : null;
}

function entryConditions(processLogId: string, query: Params): string {
  const conditions = [`Process_Log__c = ${soqlQuote(processLogId)}`];
  const level = text(query.level);
  const outcome = text(query.outcome);
  const recordType = text(query.recordType);
  const search = text(query.searchTerm);
  if (level) conditions.push(`Level__c = ${soqlQuote(level)}`);
  if (outcome) conditions.push(`Outcome__c = ${soqlQuote(outcome)}`);
  if (recordType) conditions.push(`Record_Type__c = ${soqlQuote(recordType)}`);
  if (search) conditions.push(`(${SEARCHED_FIELDS.map((f) => `${f} LIKE ${soqlContains(search.trim())}`).join(' OR ')})`);
  return conditions.join(' AND ');
}

async function selectorQuery(ctx: ApexContext, soql: string) {
  try {
    return await ctx.salesforce.query(ctx.user, soql);
  } catch (err) {
    // A QueryException reaches the page as its message.
    if (err instanceof SalesforceQueryError) throw new AuraHandledError(err.message);
    throw err;
  }
}

/** Drops the extra row read to know whether another page follows. */
function page<T>(rows: T[], size: number): { rows: T[]; hasMore: boolean } {
  return { rows: rows.slice(0, size), hasMore: rows.length > size };
}

const ProcessLogController: Record<string, ApexMethod> = {
  async getRuns(ctx, params) {
    const companyId = await currentCompanyId(ctx);
    const size = pageSizeOf(params.pageSize);
    // An @AuraEnabled Datetime parameter: ISO 8601, as the component got it.
    const before = typeof params.startedBefore === 'string' && DATETIME.test(params.startedBefore) ? new Date(params.startedBefore).toISOString() : null;
    const where = `Company__c = ${soqlQuote(companyId)}`;
    const [runs, count] = await Promise.all([
      selectorQuery(
        ctx,
        `SELECT ${LOG_FIELDS} FROM Process_Log__c WHERE ${where}${before ? ` AND Start_Time__c < ${before}` : ''} ORDER BY Start_Time__c DESC LIMIT ${size + 1}`,
      ),
      selectorQuery(ctx, `SELECT COUNT() FROM Process_Log__c WHERE ${where}`),
    ]);
    const { rows, hasMore } = page(runs.records, size);
    return { runs: rows.map(asApexRecord), total: count.totalSize, hasMore };
  },

  async getRun(ctx, params) {
    const id = idParam(ctx, params.processLogId);
    const { records } = await selectorQuery(ctx, `SELECT ${LOG_FIELDS} FROM Process_Log__c WHERE Id = ${soqlQuote(id)} LIMIT 1`);
    if (!records[0]) throw new AuraHandledError(label(ctx, 'PLV_Error_Not_Found'));
    return asApexRecord(records[0]);
  },

  async getEntries(ctx, params) {
    const id = idParam(ctx, params.processLogId);
    const query = (params.query && typeof params.query === 'object' ? params.query : {}) as Params;
    const size = pageSizeOf(query.pageSize);
    const after = text(query.afterName);
    const where = entryConditions(id, query);
    const [entries, count] = await Promise.all([
      selectorQuery(
        ctx,
        `SELECT ${ENTRY_FIELDS} FROM Process_Log_Entry__c WHERE ${where}${after ? ` AND Name > ${soqlQuote(after)}` : ''} ORDER BY Name ASC LIMIT ${size + 1}`,
      ),
      selectorQuery(ctx, `SELECT COUNT() FROM Process_Log_Entry__c WHERE ${where}`),
    ]);
    const { rows, hasMore } = page(entries.records, size);
    return { entries: rows.map(asApexRecord), total: count.totalSize, hasMore };
  },

  async retryRecords(ctx, params) {
    const ids = (Array.isArray(params.recordIds) ? params.recordIds : [])
      .filter((id): id is string => typeof id === 'string' && !!id.trim())
      .map((id) => id.trim());
    if (!ids.length) throw new AuraHandledError(label(ctx, 'PLV_Error_Nothing_To_Retry'));
    return startRetry(ctx, ids);
  },

  async retryRun(ctx, params) {
    const id = idParam(ctx, params.processLogId);
    const companyId = await currentCompanyId(ctx);
    const { records } = await selectorQuery(ctx, `SELECT Id, Company__c FROM Process_Log__c WHERE Id = ${soqlQuote(id)} LIMIT 1`);
    if (!records[0] || records[0].Company__c !== companyId) throw new AuraHandledError(label(ctx, 'PLV_Error_Not_Found'));
    // ProcessLogSelector.selectRetryableRecordIds: the run's errors about records an export sends, not retried yet.
    const types = SELECTOR.retryableTypes.map(soqlQuote).join(', ');
    const { records: entries } = await selectorQuery(
      ctx,
      `SELECT Record_Id__c FROM Process_Log_Entry__c WHERE Process_Log__c = ${soqlQuote(id)} AND Level__c = 'ERROR' AND Record_Id__c != null ` +
        `AND Record_Type__c IN (${types}) AND (Retried_In__c = null OR Retry_Outcome__c = 'Run Failed') ORDER BY Name ASC LIMIT 10000`,
    );
    const ids = [...new Set(entries.map((e) => String(e.Record_Id__c)))].slice(0, 1000);
    if (!ids.length) throw new AuraHandledError(label(ctx, 'PLV_Error_Nothing_To_Retry'));
    return startRetry(ctx, ids);
  },
};

/** LedgerlineServiceClient.retryRecords for the user's Company. */
async function startRetry(ctx: ApexContext, recordIds: string[]): Promise<Record<string, unknown>> {
  const companyId = await currentCompanyId(ctx);
  return callService(ctx, 'POST', `/api/companies/${encodeURIComponent(companyId)}/exports`, { dryRun: false, records: recordIds });
}

export const APEX_CLASSES: Record<string, Record<string, ApexMethod>> = { SalesInvoiceExportController, ProcessLogController, ReconciliationController };

/** Runs Class.method as the user; undefined when no such @AuraEnabled method exists. */
export function apexMethod(className: string, method: string): ApexMethod | undefined {
  const cls = Object.hasOwn(APEX_CLASSES, className) ? APEX_CLASSES[className] : undefined;
  return cls && Object.hasOwn(cls, method) ? cls[method] : undefined;
}
