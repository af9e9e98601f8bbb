import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { MessageContext, publish } from 'lightning/messageService';
import EXPORT_RUN_CHANNEL from '@salesforce/messageChannel/Ledgerline_Export_Run__c';
import getSummary from '@salesforce/apex/SalesInvoiceExportController.getSummary';
import startExport from '@salesforce/apex/SalesInvoiceExportController.startExport';
import getRunStatus from '@salesforce/apex/SalesInvoiceExportController.getRunStatus';
import { formatDateTime, formatLabel, formatTime, recordPageReference, runMessage, runStatus } from 'c/ledgerlineUtils';
import {
  advanceHighWater,
  monthReadsText,
  phaseBars,
  planDecisionRows,
  planSummary,
  planTotalsRows,
  requestedInvoiceNumbers,
  runReadsText,
} from './exportView';

import TITLE from '@salesforce/label/c.SIE_Title';
import COMPANY from '@salesforce/label/c.SIE_Company';
import PRODUCT_QTY from '@salesforce/label/c.SIE_Product_Export_Qty';
import CUSTOMER_QTY from '@salesforce/label/c.SIE_Customer_Export_Qty';
import INVOICE_QTY from '@salesforce/label/c.SIE_Invoice_Export_Qty';
import CONNECTION from '@salesforce/label/c.SIE_QuickBooks_Connection';
import CONNECTED from '@salesforce/label/c.SIE_Connected';
import CONNECTED_TO from '@salesforce/label/c.SIE_Connected_To';
import DAYS_LEFT from '@salesforce/label/c.SIE_Days_Left';
import TOKEN_EXPIRES from '@salesforce/label/c.SIE_Token_Expires';
import EXPIRING_WARNING from '@salesforce/label/c.SIE_Expiring_Warning';
import REAUTH_REQUIRED from '@salesforce/label/c.SIE_Reauthorization_Required';
import NOT_CONNECTED from '@salesforce/label/c.SIE_Not_Connected';
import EXPORT_UNAVAILABLE_NOT_CONNECTED from '@salesforce/label/c.SIE_Export_Unavailable_Not_Connected';
import EXPORT_UNAVAILABLE_REAUTH from '@salesforce/label/c.SIE_Export_Unavailable_Reauthorization';
import EXPORT from '@salesforce/label/c.SIE_Export';
import EXPORT_HELP from '@salesforce/label/c.SIE_Export_Help';
import DRY_RUN from '@salesforce/label/c.SIE_Dry_Run';
import DRY_RUN_HELP from '@salesforce/label/c.SIE_Dry_Run_Help';
import INVOICE_NUMBERS from '@salesforce/label/c.SIE_Invoice_Numbers';
import INVOICE_NUMBERS_PLACEHOLDER from '@salesforce/label/c.SIE_Invoice_Numbers_Placeholder';
import NO_INVOICE_NUMBER from '@salesforce/label/c.LL_Error_No_Invoice_Number';
import LOADING from '@salesforce/label/c.SIE_Loading';
import EXPORT_RUNNING from '@salesforce/label/c.SIE_Export_Running';
import DRY_RUN_RUNNING from '@salesforce/label/c.SIE_Dry_Run_Running';
import EXPORT_FINISHED from '@salesforce/label/c.SIE_Export_Finished';
import DRY_RUN_FINISHED from '@salesforce/label/c.SIE_Dry_Run_Finished';
import EXPORT_STOPPED from '@salesforce/label/c.SIE_Export_Stopped';
import DRY_RUN_STOPPED from '@salesforce/label/c.SIE_Dry_Run_Stopped';
import DRY_RUN_NO_QUICKBOOKS from '@salesforce/label/c.SIE_Dry_Run_No_QuickBooks';
import RESULT from '@salesforce/label/c.SIE_Result';
import COUNT_CREATED from '@salesforce/label/c.SIE_Count_Created';
import COUNT_MATCHED from '@salesforce/label/c.SIE_Count_Matched';
import COUNT_RENAMED from '@salesforce/label/c.SIE_Count_Renamed';
import COUNT_SKIPPED from '@salesforce/label/c.SIE_Count_Skipped';
import COUNT_WARNINGS from '@salesforce/label/c.SIE_Count_Warnings';
import COUNT_ERRORS from '@salesforce/label/c.SIE_Count_Errors';
import VIEW_PROCESS_LOG from '@salesforce/label/c.SIE_View_Process_Log';
import PLAN from '@salesforce/label/c.SIE_Plan';
import PLAN_TOTALS from '@salesforce/label/c.SIE_Plan_Totals';
import PLAN_DECISIONS from '@salesforce/label/c.SIE_Plan_Decisions';
import PLAN_TRUNCATED from '@salesforce/label/c.SIE_Plan_Truncated';
import RUN_WAITING from '@salesforce/label/c.SIE_Run_Waiting';
import SCHEDULED from '@salesforce/label/c.SIE_Scheduled';
import DESKTOP_NOTICE from '@salesforce/label/c.SIE_Desktop_Notice';
import PLAN_RECORD_TYPE from '@salesforce/label/c.SIE_Plan_Record_Type';
import PLAN_MATCH from '@salesforce/label/c.SIE_Plan_Match';
import PLAN_CREATE from '@salesforce/label/c.SIE_Plan_Create';
import PLAN_RENAME from '@salesforce/label/c.SIE_Plan_Rename';
import PLAN_FAIL from '@salesforce/label/c.SIE_Plan_Fail';
import PLAN_RECORD from '@salesforce/label/c.SIE_Plan_Record';
import PLAN_ACTION from '@salesforce/label/c.SIE_Plan_Action';
import PLAN_QUICKBOOKS from '@salesforce/label/c.SIE_Plan_QuickBooks';
import PLAN_CHANGE from '@salesforce/label/c.SIE_Plan_Change';
import PLAN_REASON from '@salesforce/label/c.SIE_Plan_Reason';
import COUNTS_AS_OF from '@salesforce/label/c.SIE_Counts_As_Of';
import DISCONNECTED from '@salesforce/label/c.SIE_Disconnected';
import EXPORT_UNAVAILABLE_DISCONNECTED from '@salesforce/label/c.SIE_Export_Unavailable_Disconnected';

const LABELS = {
  title: TITLE,
  connection: CONNECTION,
  exportButton: EXPORT,
  exportHelp: EXPORT_HELP,
  dryRun: DRY_RUN,
  dryRunHelp: DRY_RUN_HELP,
  invoiceNumbers: INVOICE_NUMBERS,
  invoiceNumbersPlaceholder: INVOICE_NUMBERS_PLACEHOLDER,
  loading: LOADING,
  result: RESULT,
  viewProcessLog: VIEW_PROCESS_LOG,
  plan: PLAN,
  planTotals: PLAN_TOTALS,
  planDecisions: PLAN_DECISIONS,
};

const RESULT_COUNTS = [
  { key: 'created', label: COUNT_CREATED },
  { key: 'matched', label: COUNT_MATCHED },
  { key: 'renamed', label: COUNT_RENAMED },
  { key: 'skipped', label: COUNT_SKIPPED },
  { key: 'warnings', label: COUNT_WARNINGS },
  { key: 'errors', label: COUNT_ERRORS },
];

const PLAN_TOTALS_COLUMNS = [
  { label: PLAN_RECORD_TYPE, fieldName: 'label', type: 'text' },
  { label: PLAN_MATCH, fieldName: 'match', type: 'number', cellAttributes: { alignment: 'left' } },
  { label: PLAN_CREATE, fieldName: 'create', type: 'number', cellAttributes: { alignment: 'left' } },
  { label: PLAN_RENAME, fieldName: 'rename', type: 'number', cellAttributes: { alignment: 'left' } },
  { label: PLAN_FAIL, fieldName: 'fail', type: 'number', cellAttributes: { alignment: 'left' } },
];

const PLAN_DECISION_COLUMNS = [
  { label: PLAN_RECORD_TYPE, fieldName: 'recordType', type: 'text', initialWidth: 110 },
  {
    label: PLAN_RECORD,
    fieldName: 'recordUrl',
    type: 'url',
    typeAttributes: { label: { fieldName: 'recordName' }, tooltip: { fieldName: 'recordName' } },
    initialWidth: 180,
  },
  { label: PLAN_ACTION, fieldName: 'actionLabel', type: 'text', initialWidth: 130, cellAttributes: { class: { fieldName: 'actionClass' } } },
  { label: PLAN_QUICKBOOKS, fieldName: 'quickBooks', type: 'text', wrapText: true },
  { label: PLAN_CHANGE, fieldName: 'change', type: 'text', wrapText: true },
  { label: PLAN_REASON, fieldName: 'reason', type: 'text', wrapText: true },
];

// A dry run that could not reach QuickBooks has no plan to show: say why instead.
const QUICKBOOKS_UNREACHABLE = new Set(['QBO_UNAUTHORIZED', 'QBO_UNAVAILABLE']);
const QBO_UNAUTHORIZED = 'QBO_UNAUTHORIZED';
const MAX_POLL_FAILURES = 3;
/** While a Desktop run goes, the summary (its Pending Sync count) is read again every this many polls. */
const SUMMARY_EVERY_POLLS = 3;
const EMPTY = '—';

/**
 * Sales Invoice Export: shows what the user's Company would export and its QuickBooks connection, starts an export
 * (or a dry run) through SalesInvoiceExportController, follows its progress by polling getRunStatus about once a
 * second, tells the rest of the page about it on the Ledgerline Export Run message channel, and shows the result —
 * for a dry run, the whole plan.
 */
export default class SalesInvoiceExport extends NavigationMixin(LightningElement) {
  /** Milliseconds between two getRunStatus calls while a run is going. */
  @api pollInterval = 1000;

  @wire(MessageContext) messageContext;

  labels = LABELS;
  planTotalsColumns = PLAN_TOTALS_COLUMNS;
  planDecisionColumns = PLAN_DECISION_COLUMNS;
  summary;
  run;
  error;
  isLoading = false;
  isStarting = false;
  invoiceNumbers = '';
  invoiceNumbersError = '';
  planDecisions = [];
  processLogUrl = null;

  followedRunId = null;
  pollTimer;
  pollFailures = 0;
  connected = false;
  // The furthest each phase has got in the followed run: a bar never moves back.
  highWater = {};

  connectedCallback() {
    this.connected = true;
    this.loadSummary();
  }

  disconnectedCallback() {
    this.connected = false;
    this.stopPolling();
  }

  // ---- actions -------------------------------------------------------------------------------

  async loadSummary() {
    this.isLoading = true;
    try {
      const summary = await getSummary();
      this.summary = summary;
      if (summary && summary.activeRunId && summary.activeRunId !== this.followedRunId) {
        // A run is already going (another tab, another user, or a 409): follow it.
        this.followRun(summary.activeRunId, true);
      }
    } catch (error) {
      this.error = error;
    } finally {
      this.isLoading = false;
    }
  }

  handleInvoiceNumbersChange(event) {
    this.invoiceNumbers = event.detail && event.detail.value !== undefined ? event.detail.value : event.target.value;
    // The box's message goes as soon as what it holds is fine again.
    if (this.invoiceNumbersError && !requestedInvoiceNumbers(this.invoiceNumbers).empty) {
      this.showInvoiceNumbersError('');
    }
  }

  /** A message under the invoice box (empty: none). */
  showInvoiceNumbersError(message) {
    this.invoiceNumbersError = message;
    const input = this.template.querySelector('lightning-input[data-id="invoiceNumbers"]');
    if (input) {
      input.setCustomValidity(message);
      input.reportValidity();
    }
  }

  handleExport() {
    return this.start(false);
  }

  handleDryRun() {
    return this.start(true);
  }

  async start(dryRun) {
    if (this.isExportDisabled) {
      return;
    }
    this.error = undefined;
    // A box of commas and spaces names no invoice: refused here, never sent as "every invoice".
    const requested = requestedInvoiceNumbers(this.invoiceNumbers);
    if (requested.empty) {
      this.showInvoiceNumbersError(NO_INVOICE_NUMBER);
      return;
    }
    this.isStarting = true;
    try {
      const started = await startExport({ dryRun, invoiceNumbers: requested.value });
      this.highWater = {};
      this.planDecisions = [];
      this.processLogUrl = null;
      this.run = {
        runId: started.runId,
        companyId: this.summary && this.summary.companyId,
        status: started.status || 'running',
        phase: 'starting',
        dryRun,
        finished: false,
        progress: {},
        counts: null,
        error: null,
        processLogId: null,
      };
      this.followRun(started.runId, false);
    } catch (error) {
      this.error = error;
      // A 409 means an export is already running: the summary names it, so pick it up.
      this.loadSummary();
    } finally {
      this.isStarting = false;
    }
  }

  followRun(runId, pollNow) {
    this.stopPolling();
    this.followedRunId = runId;
    this.pollFailures = 0;
    if (pollNow) {
      this.pollRun();
    } else {
      this.schedulePoll();
    }
  }

  schedulePoll() {
    // Polling is the point here: Apex must not wait for a whole export.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      this.pollRun();
    }, this.pollInterval);
  }

  stopPolling() {
    if (this.pollTimer) {
      clearTimeout(this.pollTimer);
      this.pollTimer = undefined;
    }
    this.followedRunId = null;
  }

  async pollRun() {
    const runId = this.followedRunId;
    if (!runId || !this.connected) {
      return;
    }
    let run;
    try {
      run = await getRunStatus({ runId });
    } catch (error) {
      if (this.followedRunId !== runId) {
        return;
      }
      this.pollFailures += 1;
      if (this.pollFailures >= MAX_POLL_FAILURES) {
        this.error = error;
        this.followedRunId = null;
        return;
      }
      this.schedulePoll();
      return;
    }
    if (this.followedRunId !== runId || !this.connected) {
      return;
    }
    this.pollFailures = 0;
    const sameRun = this.run && this.run.runId === run.runId;
    this.highWater = advanceHighWater(sameRun ? this.highWater : {}, run);
    this.run = run;
    publish(this.messageContext, EXPORT_RUN_CHANNEL, runMessage(run));
    if (run.finished) {
      this.followedRunId = null;
      await this.prepareLinks(run);
      this.loadSummary();
    } else {
      // A Desktop run's invoices leave Pending Sync as Web Connector sessions deliver them: the count is read again.
      this.runPolls = (this.runPolls || 0) + 1;
      if (this.summary && this.summary.accountingSystem === 'Desktop' && this.runPolls % SUMMARY_EVERY_POLLS === 0) {
        this.loadSummary();
      }
      this.schedulePoll();
    }
  }

  /** Links to Salesforce records come from the navigation service (URLs made by it, not by hand). */
  async prepareLinks(run) {
    const logReference = recordPageReference(run.processLogId, 'Process_Log__c');
    this.processLogUrl = logReference ? await this[NavigationMixin.GenerateUrl](logReference) : null;
    const rows = planDecisionRows(this.planOf(run));
    await Promise.all(
      rows.map(async (row) => {
        const reference = recordPageReference(row.recordId, row.recordType);
        row.recordUrl = reference ? await this[NavigationMixin.GenerateUrl](reference) : null;
      }),
    );
    this.planDecisions = rows;
  }

  planOf(run) {
    if (!run || !run.finished || !run.dryRun || run.status === 'failed') {
      return null;
    }
    const plan = run.plan;
    return plan && plan.totals ? plan : null;
  }

  // ---- view state ----------------------------------------------------------------------------

  get isRunning() {
    return this.isStarting || !!this.followedRunId;
  }

  /** The spinner covers the card only until the first summary arrives; later refreshes just disable the buttons. */
  get showSpinner() {
    return this.isLoading && !this.summary;
  }

  get isExportDisabled() {
    return this.isLoading || this.isRunning || !this.summary || !!this.unavailableReason;
  }

  get summaryFields() {
    const summary = this.summary || {};
    const counts = summary.counts || {};
    const count = (key) => (counts[key] !== undefined && counts[key] !== null ? String(counts[key]) : EMPTY);
    return [
      {
        key: 'companyName',
        label: COMPANY,
        value: summary.companyName || EMPTY,
        valueClass: 'slds-form-element__static',
        sizeClass: 'slds-col slds-size_1-of-1 slds-medium-size_1-of-4',
      },
      {
        key: 'productCount',
        label: PRODUCT_QTY,
        value: count('products'),
        valueClass: 'slds-form-element__static slds-text-heading_medium',
        sizeClass: 'slds-col slds-size_1-of-3 slds-medium-size_1-of-4',
      },
      {
        key: 'customerCount',
        label: CUSTOMER_QTY,
        value: count('customers'),
        valueClass: 'slds-form-element__static slds-text-heading_medium',
        sizeClass: 'slds-col slds-size_1-of-3 slds-medium-size_1-of-4',
      },
      {
        key: 'invoiceCount',
        label: INVOICE_QTY,
        value: count('invoices'),
        valueClass: 'slds-form-element__static slds-text-heading_medium',
        sizeClass: 'slds-col slds-size_1-of-3 slds-medium-size_1-of-4',
      },
    ];
  }

  get connectionInfo() {
    return (this.summary && this.summary.connection) || null;
  }

  get connectionState() {
    return (this.connectionInfo && this.connectionInfo.state) || 'not_connected';
  }

  /** When an admin disconnected the company (it is not connected since), or null. */
  get disconnectedAt() {
    return (this.connectionInfo && this.connectionInfo.disconnectedAt) || null;
  }

  get daysLeft() {
    const info = this.connectionInfo;
    return info && Number.isFinite(Number(info.daysLeft)) && info.daysLeft !== null ? Number(info.daysLeft) : null;
  }

  get connectionLabel() {
    switch (this.connectionState) {
      case 'connected':
        return CONNECTED;
      case 'expiring':
        return formatLabel(TOKEN_EXPIRES, this.daysLeft);
      case 'reauthorization_required':
        return REAUTH_REQUIRED;
      default:
        return this.disconnectedAt ? DISCONNECTED : NOT_CONNECTED;
    }
  }

  get connectionBadgeClass() {
    switch (this.connectionState) {
      case 'connected':
        return 'slds-theme_success';
      case 'expiring':
        return 'slds-theme_warning';
      case 'reauthorization_required':
        return 'slds-theme_error';
      default:
        return '';
    }
  }

  get isLive() {
    return this.connectionState === 'connected' || this.connectionState === 'expiring';
  }

  /** "QuickBooks company: Acme · 87 days left on the refresh token". */
  get connectionDetail() {
    const info = this.connectionInfo;
    if (!info || !this.isLive) {
      return null;
    }
    const parts = [];
    if (info.quickBooksCompanyName) {
      parts.push(formatLabel(CONNECTED_TO, info.quickBooksCompanyName));
    }
    if (this.connectionState === 'connected' && this.daysLeft !== null) {
      parts.push(formatLabel(DAYS_LEFT, this.daysLeft));
    }
    return parts.length ? parts.join(' · ') : null;
  }

  /** The QuickBooks reads this month against Intuit's monthly budget (QuickBooks Online). */
  get monthReadsText() {
    const info = this.connectionInfo;
    return info && this.isLive ? monthReadsText(info.reads) : null;
  }

  /** The QuickBooks reads this run has used so far. */
  get runReadsText() {
    return runReadsText(this.run);
  }

  /** Counts kept from earlier while the org's API allowance is down to its reserve: "as of" their time. */
  get countsAsOfText() {
    const summary = this.summary;
    return summary && summary.countsHeld ? formatLabel(COUNTS_AS_OF, formatDateTime(summary.countsAsOf)) : null;
  }

  /** A QuickBooks Desktop company: its invoices wait as Pending Sync until the Web Connector takes them. */
  get desktopText() {
    const summary = this.summary;
    if (!summary || summary.accountingSystem !== 'Desktop') {
      return null;
    }
    const every = (summary.webConnector && summary.webConnector.runEveryMinutes) || 10;
    return formatLabel(DESKTOP_NOTICE, summary.pendingSync || 0, every);
  }

  /** "Exports by itself every 15 minutes; next at 10:45" when an admin scheduled it. */
  get scheduleText() {
    const schedule = this.summary && this.summary.schedule;
    if (!schedule) {
      return null;
    }
    return formatLabel(SCHEDULED, schedule.everyMinutes, formatTime(schedule.nextAt));
  }

  /** The QuickBooks payment status syncs (QuickBooks Online, connected): the last, the next, Sync now. */
  get statusSync() {
    return this.summary && this.summary.statusSync && this.isLive ? this.summary.statusSync : null;
  }

  /** A sync ended: the summary (and its last sync) is read again. */
  handleSyncFinished() {
    this.loadSummary();
  }

  /** From 14 days before the refresh token's end: a warning with the link, before exports start failing. */
  get expiringWarning() {
    return this.connectionState === 'expiring' ? formatLabel(EXPIRING_WARNING, this.daysLeft) : null;
  }

  /** Why Export is disabled when the company cannot export at all. */
  get unavailableReason() {
    if (!this.summary) {
      return null;
    }
    if (this.connectionState === 'not_connected' && this.disconnectedAt) {
      return formatLabel(EXPORT_UNAVAILABLE_DISCONNECTED, this.summary.companyName || '', formatDateTime(this.disconnectedAt));
    }
    if (this.connectionState === 'not_connected') {
      return formatLabel(EXPORT_UNAVAILABLE_NOT_CONNECTED, this.summary.companyName || '');
    }
    if (this.connectionState === 'reauthorization_required') {
      const reason = this.connectionInfo && this.connectionInfo.reason;
      return formatLabel(EXPORT_UNAVAILABLE_REAUTH, reason || REAUTH_REQUIRED);
    }
    return null;
  }

  get authenticationUrl() {
    return (this.connectionInfo && this.connectionInfo.authenticationUrl) || null;
  }

  get progressHeading() {
    if (!this.run) {
      return '';
    }
    if (this.run.finished && this.run.status === 'failed') {
      return this.run.dryRun ? DRY_RUN_STOPPED : EXPORT_STOPPED;
    }
    if (this.run.finished) {
      return this.run.dryRun ? DRY_RUN_FINISHED : EXPORT_FINISHED;
    }
    return this.run.dryRun ? DRY_RUN_RUNNING : EXPORT_RUNNING;
  }

  get phases() {
    return phaseBars(this.run, this.highWater);
  }

  /** What a running export waits for (QuickBooks' rate limit, the org's API allowance), and until when. */
  get waitingText() {
    const waiting = this.run && !this.run.finished ? this.run.waiting : null;
    if (!waiting) {
      return null;
    }
    const until = formatTime(waiting.until);
    return formatLabel(RUN_WAITING, waiting.reason, until);
  }

  get isFinished() {
    return !!(this.run && this.run.finished);
  }

  get isDryRunResult() {
    return this.isFinished && this.run.dryRun;
  }

  get showResultCounts() {
    return this.isFinished && !this.run.dryRun;
  }

  get statusInfo() {
    return runStatus((this.run && this.run.status) || 'running');
  }

  get statusLabel() {
    return this.statusInfo.label;
  }

  get statusBadgeClass() {
    return this.statusInfo.badgeClass;
  }

  get resultCounts() {
    const counts = (this.run && this.run.counts) || {};
    return RESULT_COUNTS.map((item) => ({
      key: item.key,
      label: item.label,
      value: counts[item.key] !== undefined && counts[item.key] !== null ? counts[item.key] : 0,
    }));
  }

  get processLogId() {
    return (this.run && this.run.processLogId) || null;
  }

  get runErrorMessage() {
    return (this.run && this.run.error && this.run.error.message) || null;
  }

  get runErrorCode() {
    return (this.run && this.run.error && this.run.error.code) || null;
  }

  get isUnauthorized() {
    return this.runErrorCode === QBO_UNAUTHORIZED;
  }

  /** A dry run that ended without reaching QuickBooks: no plan, and a sentence saying so. */
  get dryRunUnreachable() {
    return this.isFinished && this.run.dryRun && this.run.status === 'failed' && QUICKBOOKS_UNREACHABLE.has(this.runErrorCode) ? DRY_RUN_NO_QUICKBOOKS : null;
  }

  get plan() {
    return this.planOf(this.run);
  }

  /** "Would create 49 / match 12 / fail 2" — a dry run never reads "Created 0". */
  get planSummaryText() {
    return planSummary(this.plan);
  }

  get planTotalsRows() {
    return planTotalsRows(this.plan);
  }

  get hasPlanDecisions() {
    return this.planDecisions.length > 0;
  }

  get planTruncatedText() {
    return this.plan && this.plan.truncated ? formatLabel(PLAN_TRUNCATED, this.planDecisions.length) : null;
  }

  handleViewProcessLog(event) {
    event.preventDefault();
    const reference = recordPageReference(this.processLogId, 'Process_Log__c');
    if (reference) {
      this[NavigationMixin.Navigate](reference);
    }
  }
}
