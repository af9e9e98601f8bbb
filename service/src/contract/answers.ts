// The service's answers as zod schemas: the one contract that the API sends, the tests check every answer against,
// the OpenAPI document is generated from (/api/openapi.json), and the page's test fixtures are checked against.
// One field is one line: a new field of an answer is added here, and every check picks it up.
import { z } from 'zod';
import { ERROR_CODES } from './errorCodes';

const isoDateTime = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);

export const ErrorCodeSchema = z.enum(ERROR_CODES).meta({ id: 'ErrorCode', description: 'Every code the service answers with.' });

export const ErrorAnswerSchema = z
  .strictObject({
    error: z.strictObject({
      code: ErrorCodeSchema,
      message: z.string().describe('A sentence to show the user.'),
      fix: z.string().optional().describe('What to do about it, when the user can act.'),
      runId: z.string().optional().describe('The export already running (EXPORT_RUNNING).'),
      retryAfterSeconds: z.number().int().optional().describe('When trying again makes sense (also the Retry-After header).'),
      requestId: z.string().describe('The request’s reference: every log line of the request carries it.'),
    }),
  })
  .meta({ id: 'ErrorAnswer' });

// ---- Process Log entries and the plan ----------------------------------------------------------------

export const LogEntrySchema = z
  .strictObject({
    level: z.enum(['INFO', 'WARN', 'ERROR']),
    outcome: z.enum(['Created', 'Matched', 'Renamed', 'Shortened', 'Skipped', 'Warning', 'Error', 'Summary']),
    recordType: z.enum(['Customer', 'Product', 'Invoice', 'Payment', 'Credit Memo', 'Sales Receipt', 'Run']),
    recordId: z.string().optional(),
    recordName: z.string().optional(),
    message: z.string(),
    fix: z.string().optional(),
    targetId: z.string().optional().describe('The QuickBooks id of the record.'),
    traceId: z.string().nullable().optional().describe('QuickBooks’ intuit_tid of the call.'),
    httpStatus: z.number().int().optional(),
    recordCount: z.number().int().min(1).optional().describe('Records one summary entry stands for (a run that logs successes per batch).'),
  })
  .meta({ id: 'LogEntry' });

const KindTotalsSchema = z.strictObject({ match: count, create: count, rename: count, fail: count });

export const PlanDecisionSchema = z
  .strictObject({
    recordType: LogEntrySchema.shape.recordType,
    recordId: z.string(),
    recordName: z.string(),
    action: z.enum(['match', 'create', 'fail', 'skip']),
    matchedBy: z.string().optional().describe('How a match was found: "by email", "by SKU", "created by an earlier export", …'),
    quickBooksId: z.string().optional(),
    quickBooksName: z.string().optional(),
    renamed: z.strictObject({ from: z.string(), to: z.string(), reason: z.string() }).optional(),
    shortened: z.array(z.string()).optional(),
    warnings: z.array(z.string()).optional(),
    message: z.string().optional(),
    fix: z.string().optional(),
  })
  .meta({ id: 'PlanDecision' });

export const PlanSchema = z
  .strictObject({
    totals: z.strictObject({ customers: KindTotalsSchema, products: KindTotalsSchema, invoices: KindTotalsSchema, payments: KindTotalsSchema }),
    decisions: z.array(PlanDecisionSchema).describe('Every decision of a dry run (up to 10,000); empty for a real run.'),
    truncated: z.boolean(),
    fieldMappings: z
      .array(z.strictObject({ name: z.string(), salesforceField: z.string(), quickBooksField: z.string() }))
      .optional()
      .describe('The admin field mappings the run applies.'),
  })
  .meta({ id: 'Plan' });

// ---- A run ------------------------------------------------------------------------------------------

const StepSchema = z.strictObject({ done: count, total: count });

const MonthReadsSchema = z.strictObject({
  company: count.describe('This company’s QuickBooks reads this month.'),
  used: count.describe('Every company’s reads this month, together.'),
  budget: count.describe('The app’s monthly read budget (0: not metered).'),
  month: z.string().describe('YYYY-MM'),
});

export const UsageSchema = z.strictObject({ reads: MonthReadsSchema.extend({ run: count.describe('Reads by this run.') }) }).meta({ id: 'Usage' });

export const RunCountsSchema = z
  .strictObject({ created: count, matched: count, renamed: count, skipped: count, warnings: count, errors: count })
  .meta({ id: 'RunCounts' });

export const RunStatusSchema = z.enum(['running', 'succeeded', 'completed_with_errors', 'failed']);

export const RunSchema = z
  .strictObject({
    runId: z.string(),
    companyId: z.string(),
    status: RunStatusSchema,
    phase: z.enum(['starting', 'plan', 'customers', 'products', 'invoices', 'payments', 'writeBack', 'processLog', 'done']),
    dryRun: z.boolean(),
    progress: z.strictObject({ customers: StepSchema, products: StepSchema, invoices: StepSchema, payments: StepSchema, writeBack: StepSchema }),
    counts: RunCountsSchema,
    finished: z.boolean(),
    processLogId: z.string().nullable(),
    processLogUrl: z.url().nullable().describe('The Process Log’s record page in Salesforce.'),
    error: z.strictObject({ code: ErrorCodeSchema, message: z.string() }).nullable(),
    startedAt: isoDateTime,
    finishedAt: isoDateTime.nullable(),
    plan: PlanSchema.optional().describe('The plan: every decision of a dry run; the totals of a real one. Once the run has finished.'),
    entries: z.array(LogEntrySchema).optional().describe('Every entry of a dry run; the warnings and errors of a real one. Once the run has finished.'),
    waiting: z
      .strictObject({ reason: z.string(), until: isoDateTime, cause: z.enum(['pacing', 'app', 'realmBatch', 'readBudget']).optional() })
      .nullable()
      .describe('What a running export waits for now: pacing to QuickBooks’ limits, a 429 and whose limit it was, the org’s API allowance.'),
    usage: UsageSchema.nullable().describe('What the run spent of QuickBooks’ metered reads: by this run and this month.'),
    instanceId: z.string().nullable(),
    resumedFrom: z.string().nullable().describe('The interrupted run this one continues.'),
  })
  .meta({ id: 'Run' });

export const ExportStartedSchema = z.strictObject({ runId: z.string(), status: z.literal('running') }).meta({ id: 'ExportStarted' });

// ---- A company's summary -------------------------------------------------------------------------------

export const ExportCountsSchema = z
  .strictObject({
    customers: count,
    products: count,
    invoices: count.describe('Invoices of every form, credit memos included.'),
    creditMemos: count.optional(),
    payments: count.optional().describe('Payments waiting, when the company exports them.'),
  })
  .meta({ id: 'ExportCounts' });

export const ScheduleSchema = z.strictObject({ everyMinutes: z.number().int(), nextAt: isoDateTime }).meta({ id: 'Schedule' });

export const WebConnectorViewSchema = z
  .strictObject({
    setUp: z.boolean(),
    username: z.string().nullable(),
    runEveryMinutes: z.number().int().nullable(),
    lastContactAt: isoDateTime.nullable(),
    nextContactAt: isoDateTime.nullable().describe('When the Web Connector is next expected, by its schedule.'),
    waitingRequests: count,
    pageUrl: z.url(),
  })
  .meta({ id: 'WebConnector' });

// ---- QuickBooks status syncs -------------------------------------------------------------------------

export const StatusSyncProblemSchema = z
  .strictObject({
    recordId: z.string().nullable(),
    recordName: z.string().nullable(),
    quickBooksId: z.string().nullable(),
    message: z.string(),
    fix: z.string(),
  })
  .meta({ id: 'StatusSyncProblem', description: 'A record Salesforce did not take; the next sync writes it again.' });

export const StatusSyncSchema = z
  .strictObject({
    syncId: z.string(),
    companyId: z.string(),
    startedBy: z.enum(['manual', 'schedule', 'webhook']).describe('What asked for the sync: Sync now, the schedule, or a QuickBooks webhook.'),
    status: z.enum(['queued', 'running', 'succeeded', 'completed_with_errors', 'failed']),
    finished: z.boolean(),
    requestedAt: isoDateTime,
    startedAt: isoDateTime.nullable(),
    finishedAt: isoDateTime.nullable(),
    changedSince: isoDateTime.nullable().describe('QuickBooks was asked for the changes since then (null: not yet, or a catch-up).'),
    catchUp: z.boolean().describe('Everything was read: the last sync was further back than QuickBooks keeps changes (30 days).'),
    upTo: isoDateTime.nullable().describe('QuickBooks’ changes are synced up to here: the next sync asks from here.'),
    reads: z.strictObject({
      sync: count.describe('QuickBooks reads this sync used.'),
      company: count.nullable(),
      used: count.nullable(),
      budget: count.nullable(),
      month: z.string().nullable(),
    }),
    counts: z
      .record(z.string(), count)
      .describe(
        'documentsChanged, paymentsChanged (what QuickBooks reported); documentsUpdated, paymentsCreated, paymentsUpdated, paymentsDeleted (what Salesforce took); notInSalesforce; waiting (still owed).',
      ),
    problems: z.array(StatusSyncProblemSchema),
    error: z.strictObject({ code: ErrorCodeSchema, message: z.string(), fix: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'StatusSync' });

export const StatusSyncPageSchema = z
  .strictObject({
    everyMinutes: z.number().int().min(0).describe('Minutes between scheduled syncs (0: none).'),
    nextAt: isoDateTime.nullable(),
    last: StatusSyncSchema.nullable().describe('The last finished sync.'),
    current: StatusSyncSchema.nullable().describe('The sync queued or running.'),
  })
  .meta({ id: 'StatusSyncPage' });

export const WebhookReceivedSchema = z
  .strictObject({ received: count.describe('Events in the delivery.'), new: count.describe('Events not received before.') })
  .meta({ id: 'WebhookReceived' });

export const ConnectionStateSchema = z.enum(['connected', 'expiring', 'reauthorization_required', 'not_connected']);

export const SummarySchema = z
  .strictObject({
    companyId: z.string(),
    companyName: z.string(),
    accountingSystem: z.enum(['Online', 'Desktop']),
    pendingSync: count.describe('Invoices queued for the Web Connector (Desktop); 0 for Online.'),
    webConnector: WebConnectorViewSchema.nullable(),
    counts: ExportCountsSchema,
    countsAsOf: isoDateTime.describe('When Salesforce was last asked for the counts.'),
    countsHeld: z.boolean().describe('The counts are older than usual: the org’s API allowance is down to its reserve.'),
    connection: z.strictObject({
      state: ConnectionStateSchema,
      realmId: z.string().nullable(),
      quickBooksCompanyName: z.string().nullable(),
      refreshTokenExpiresAt: isoDateTime.nullable(),
      hardExpiresAt: isoDateTime.nullable().describe('When the authorization ends whatever its use (five years from consent).'),
      reads: MonthReadsSchema.nullable().describe('QuickBooks reads this month, when QuickBooks meters them.'),
      daysLeft: z.number().int().nullable(),
      lastRefreshedAt: isoDateTime.nullable(),
      disconnectedAt: isoDateTime.nullable().describe('When an admin last disconnected the company, if it is not connected since.'),
      reason: z.string().nullable(),
      authenticationUrl: z.url(),
    }),
    activeRunId: z.string().nullable(),
    schedule: ScheduleSchema.nullable(),
    statusSync: StatusSyncPageSchema.nullable().describe('The QuickBooks status syncs: the last, the one going on, the next.'),
  })
  .meta({ id: 'Summary' });

// ---- The other answers -------------------------------------------------------------------------------

export const CompanyListSchema = z.array(z.strictObject({ id: z.string(), name: z.string(), primary: z.boolean() })).meta({ id: 'CompanyList' });

export const ProcessLogListSchema = z
  .array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      runId: z.string().nullable(),
      status: z.string().nullable(),
      startTime: z.string().nullable(),
      endTime: z.string().nullable(),
      summary: z.string().nullable(),
      counts: RunCountsSchema,
      entries: z.array(
        z.strictObject({
          id: z.string(),
          level: z.string().nullable(),
          outcome: z.string().nullable(),
          recordType: z.string().nullable(),
          recordId: z.string().nullable(),
          recordName: z.string().nullable(),
          message: z.string().nullable(),
          fix: z.string().nullable(),
          quickBooksId: z.string().nullable(),
          intuitTid: z.string().nullable(),
          retriedIn: z.string().nullable().describe('For an ERROR entry: the Process Log of the run that retried its record alone.'),
          retryOutcome: z
            .enum(['Retrying', 'Exported', 'Failed Again', 'Not Sent', 'Run Failed'])
            .nullable()
            .describe('How the retried record ended (Retrying while the retry runs).'),
          retryable: z.boolean().describe('An ERROR about a record that can be sent again: POST …/exports {"records": [recordId]}.'),
        }),
      ),
    }),
  )
  .meta({ id: 'ProcessLogList' });

// ---- Reconciliation ------------------------------------------------------------------------------------

const amount = z.number().describe('An amount in the company currency.');
const SideTotalsSchema = z.strictObject({
  invoices: z.strictObject({ count, total: amount }),
  creditMemos: z.strictObject({ count, total: amount }),
  payments: z.strictObject({ total: amount.describe('Paid or credited against the period’s invoices.') }),
  openBalance: amount,
});
const SourceRefSchema = z.strictObject({ id: z.string(), name: z.string().describe('The Sales Invoice’s number.') });
const TargetRefSchema = z.strictObject({
  id: z.string(),
  form: z.enum(['invoice', 'creditMemo', 'salesReceipt']),
  docNumber: z.string().nullable(),
});
export const DifferenceSchema = z
  .strictObject({
    kind: z.enum([
      'missing_in_quickbooks',
      'missing_in_salesforce',
      'amount_different',
      'date_different',
      'customer_different',
      'linked_twice',
      'voided_in_quickbooks',
      'deleted_in_quickbooks',
    ]),
    salesforce: SourceRefSchema.nullable().describe('The Sales Invoice (null: Salesforce has none).'),
    quickbooks: TargetRefSchema.nullable().describe('The QuickBooks document (null: QuickBooks has none).'),
    otherSalesforce: SourceRefSchema.nullable().describe('Linked twice: the second Sales Invoice on one QuickBooks document.'),
    otherQuickbooks: TargetRefSchema.nullable().describe('Linked twice: the second QuickBooks document of one Sales Invoice.'),
    salesforceValue: z.string().nullable(),
    quickbooksValue: z.string().nullable(),
    cause: z.string(),
    fix: z.string(),
  })
  .meta({ id: 'Difference' });
export const ReconciliationSchema = z
  .strictObject({
    companyId: z.string(),
    companyName: z.string(),
    period: z.strictObject({ fromDate: z.iso.date(), toDate: z.iso.date() }),
    readAt: isoDateTime,
    totals: z.strictObject({ salesforce: SideTotalsSchema, quickbooks: SideTotalsSchema }),
    differences: z.array(DifferenceSchema),
    notCompared: z
      .strictObject({ count, total: amount })
      .describe('QuickBooks documents of the period created before Ledgerline’s first export for the company, that nothing links to: not compared.'),
    reads: z.strictObject({
      quickbooks: count.describe('QuickBooks reads this reconciliation used.'),
      company: count,
      used: count,
      budget: count,
      month: z.string(),
    }),
  })
  .meta({ id: 'Reconciliation' });

export const UnpendAnswerSchema = z
  .strictObject({ invoiceId: z.string(), invoiceNumber: z.string(), exportStatus: z.string(), takenOffQueue: z.boolean() })
  .meta({ id: 'Unpended' });

export const HealthSchema = z.strictObject({ status: z.literal('ok') }).meta({ id: 'Health' });

export type SummaryAnswer = z.infer<typeof SummarySchema>;
export type StatusSyncAnswer = z.infer<typeof StatusSyncSchema>;
export type StatusSyncPageAnswer = z.infer<typeof StatusSyncPageSchema>;
export type RunAnswer = z.infer<typeof RunSchema>;
export type ErrorAnswer = z.infer<typeof ErrorAnswerSchema>;
export type ReconciliationAnswer = z.infer<typeof ReconciliationSchema>;
