// The OpenAPI 3.1 document of the service's API, generated from the contract's zod schemas (zod's JSON Schema output
// is the 2020-12 dialect OpenAPI 3.1 uses), so the document cannot say other than what the service answers.
import { z } from 'zod';
import './answers';

type Json = Record<string, unknown>;

/** The request bodies, as the routes parse them (they live beside their routes). */
export interface RequestSchemas {
  exportRequest: z.ZodType;
  scheduleRequest: z.ZodType;
  statusSyncScheduleRequest: z.ZodType;
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (schema: Json, description: string) => ({ description, content: { 'application/json': { schema } } });
const failure = (description: string) => json(ref('ErrorAnswer'), description);

/** Every component the contract registered (`.meta({ id })`), cross-referenced by $ref. */
function components(): Record<string, Json> {
  const generated = z.toJSONSchema(z.globalRegistry, { uri: (id) => `#/components/schemas/${id}`, io: 'output' }) as { schemas: Record<string, Json> };
  const out: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(generated.schemas)) {
    const { $schema: _dialect, $id: _uri, id: _id, ...rest } = schema;
    out[id] = rest;
  }
  return out;
}

function requestBody(schema: z.ZodType): Json {
  const { $schema: _dialect, ...body } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return { required: false, content: { 'application/json': { schema: body } } };
}

const companyId = { name: 'companyId', in: 'path', required: true, description: 'The Salesforce Company__c id.', schema: { type: 'string' } };

const COMMON_FAILURES = {
  '400': failure('The request is not valid: the message names each problem.'),
  '401': failure('No valid API key (Authorization: Bearer <key>).'),
  '404': failure('No such company, run or route.'),
  '429': failure('Too many refused API keys from this address: wait, then try again.'),
  '503': failure('Salesforce is not available right now (the message and Retry-After say when to try again).'),
};

export function openApiDocument(requests: RequestSchemas, serverUrl: string): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ledgerline service API',
      version: '1',
      description: 'Exports approved Sales Invoices from Salesforce to QuickBooks. Every answer carries X-Request-Id; an error answer names it too.',
    },
    servers: [{ url: serverUrl }],
    security: [{ apiKey: [] }],
    paths: {
      '/api/health': { get: { summary: 'Liveness', security: [], responses: { '200': json(ref('Health'), 'The service is up.') } } },
      '/api/openapi.json': {
        get: { summary: 'This document', security: [], responses: { '200': json({ type: 'object' }, 'The OpenAPI 3.1 document.') } },
      },
      '/api/companies': { get: { summary: 'The org’s companies', responses: { '200': json(ref('CompanyList'), 'Every Company__c.'), ...COMMON_FAILURES } } },
      '/api/companies/{companyId}/summary': {
        get: {
          summary: 'What the Sales Invoice Export page shows',
          parameters: [companyId],
          responses: { '200': json(ref('Summary'), 'Counts, the QuickBooks connection and the run in progress.'), ...COMMON_FAILURES },
        },
      },
      '/api/companies/{companyId}/exports': {
        post: {
          summary: 'Start an export or a dry run (of every waiting record, of invoice numbers, of dates, or of named records: a retry)',
          parameters: [companyId],
          requestBody: requestBody(requests.exportRequest),
          responses: {
            '202': json(ref('ExportStarted'), 'Started: follow it with GET /api/runs/{runId}.'),
            '409': failure('An export of this company is already running (error.runId names it).'),
            ...COMMON_FAILURES,
          },
        },
      },
      '/api/companies/{companyId}/schedule': {
        get: {
          summary: 'When the company exports by itself',
          parameters: [companyId],
          responses: { '200': json({ anyOf: [ref('Schedule'), { type: 'null' }] }, 'The schedule, or null.'), ...COMMON_FAILURES },
        },
        put: {
          summary: 'Set or clear the schedule (admin key)',
          parameters: [companyId],
          requestBody: requestBody(requests.scheduleRequest),
          responses: {
            '200': json({ anyOf: [ref('Schedule'), { type: 'null' }] }, 'The schedule now.'),
            '403': failure('Only the admin key can.'),
            ...COMMON_FAILURES,
          },
        },
      },
      '/api/companies/{companyId}/invoices/{invoiceId}/unpend': {
        post: {
          summary: 'Take a Pending Sync invoice off QuickBooks Desktop’s queue',
          parameters: [companyId, { name: 'invoiceId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': json(ref('Unpended'), 'Taken off the queue.'),
            '409': failure('QuickBooks has it already, or it is not queued.'),
            ...COMMON_FAILURES,
          },
        },
      },
      '/api/companies/{companyId}/status-sync': {
        post: {
          summary: 'Sync the invoices’ QuickBooks status now (QuickBooks Online)',
          parameters: [companyId],
          responses: {
            '202': json(ref('StatusSync'), 'Queued (or the sync already waiting): follow it with GET …/status-sync/{syncId}.'),
            '409': failure('The company is not connected to QuickBooks (QBO_NOT_CONNECTED): Online not connected, or Desktop without a Web Connector user.'),
            ...COMMON_FAILURES,
          },
        },
        get: {
          summary: 'The company’s status syncs as the page shows them',
          parameters: [companyId],
          responses: { '200': json(ref('StatusSyncPage'), 'The last sync, the one going on, the next.'), ...COMMON_FAILURES },
        },
      },
      '/api/companies/{companyId}/status-sync/schedule': {
        put: {
          summary: 'Set the company’s status sync interval (admin key)',
          parameters: [companyId],
          requestBody: requestBody(requests.statusSyncScheduleRequest),
          responses: {
            '200': json(ref('StatusSyncPage'), 'The syncs now.'),
            '403': failure('Only the admin key can.'),
            ...COMMON_FAILURES,
          },
        },
      },
      '/api/companies/{companyId}/status-sync/{syncId}': {
        get: {
          summary: 'One status sync: its state, the QuickBooks reads it used, what it changed',
          parameters: [companyId, { name: 'syncId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': json(ref('StatusSync'), 'The sync.'), ...COMMON_FAILURES },
        },
      },
      '/api/companies/{companyId}/reconciliation': {
        get: {
          summary: 'Salesforce against QuickBooks Online for a period: totals, then every record that differs',
          parameters: [
            companyId,
            { name: 'from', in: 'query', required: true, description: 'First day of the period (YYYY-MM-DD).', schema: { type: 'string', format: 'date' } },
            {
              name: 'to',
              in: 'query',
              required: true,
              description: 'Last day of the period (YYYY-MM-DD), at most 366 days after from.',
              schema: { type: 'string', format: 'date' },
            },
          ],
          responses: {
            '200': json(ref('Reconciliation'), 'Both sides’ totals, every difference with its cause and fix, and the QuickBooks reads used.'),
            '409': failure(
              'Not connected to QuickBooks Online (QBO_NOT_CONNECTED), or a QuickBooks Desktop company (RECONCILIATION_UNAVAILABLE: its records cannot be read on demand).',
            ),
            ...COMMON_FAILURES,
          },
        },
      },
      '/webhooks/quickbooks': {
        post: {
          summary: 'QuickBooks webhook deliveries (CloudEvents), signed in intuit-signature',
          security: [],
          parameters: [
            {
              name: 'intuit-signature',
              in: 'header',
              required: true,
              description: 'Base64 HMAC-SHA256 of the body under the verifier token.',
              schema: { type: 'string' },
            },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } },
          responses: {
            '200': json(ref('WebhookReceived'), 'Recorded; the companies named get a status sync.'),
            '400': failure('Not a JSON array of CloudEvents.'),
            '401': failure('The signature does not match.'),
            '404': failure('Webhooks are not set up (QBO_WEBHOOK_VERIFIER_TOKEN).'),
          },
        },
      },
      '/api/runs/{runId}': {
        get: {
          summary: 'A run’s status, progress and (once finished) its plan and entries',
          parameters: [{ name: 'runId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': json(ref('Run'), 'The run.'), ...COMMON_FAILURES },
        },
      },
      '/api/companies/{companyId}/process-logs': {
        get: {
          summary: 'The company’s latest Process Logs with their entries',
          parameters: [companyId, { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 50, default: 5 } }],
          responses: { '200': json(ref('ProcessLogList'), 'Newest first.'), ...COMMON_FAILURES },
        },
      },
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'LEDGERLINE_API_KEY (the Named Credential’s), or LEDGERLINE_ADMIN_KEY.' } },
      schemas: components(),
    },
  };
}
