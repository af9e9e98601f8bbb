import { LightningElement, api } from 'lwc';
import getSummary from '@salesforce/apex/SalesInvoiceExportController.getSummary';
import startExport from '@salesforce/apex/SalesInvoiceExportController.startExport';
import getRunStatus from '@salesforce/apex/SalesInvoiceExportController.getRunStatus';
import { formatLabel, processLogUrl, publishRunFinished } from 'c/ledgerlineUtils';

import TITLE from '@salesforce/label/c.SIE_Title';
import COMPANY from '@salesforce/label/c.SIE_Company';
import PRODUCT_QTY from '@salesforce/label/c.SIE_Product_Export_Qty';
import CUSTOMER_QTY from '@salesforce/label/c.SIE_Customer_Export_Qty';
import INVOICE_QTY from '@salesforce/label/c.SIE_Invoice_Export_Qty';
import CONNECTION from '@salesforce/label/c.SIE_QuickBooks_Connection';
import CONNECTED from '@salesforce/label/c.SIE_Connected';
import CONNECTED_TO from '@salesforce/label/c.SIE_Connected_To';
import TOKEN_EXPIRES from '@salesforce/label/c.SIE_Token_Expires';
import REAUTH_REQUIRED from '@salesforce/label/c.SIE_Reauthorization_Required';
import NOT_CONNECTED from '@salesforce/label/c.SIE_Not_Connected';
import QUICKBOOKS_AUTHENTICATION from '@salesforce/label/c.SIE_QuickBooks_Authentication';
import OPENS_NEW_WINDOW from '@salesforce/label/c.SIE_Opens_New_Window';
import EXPORT from '@salesforce/label/c.SIE_Export';
import EXPORT_HELP from '@salesforce/label/c.SIE_Export_Help';
import DRY_RUN from '@salesforce/label/c.SIE_Dry_Run';
import DRY_RUN_HELP from '@salesforce/label/c.SIE_Dry_Run_Help';
import INVOICE_NUMBERS from '@salesforce/label/c.SIE_Invoice_Numbers';
import INVOICE_NUMBERS_PLACEHOLDER from '@salesforce/label/c.SIE_Invoice_Numbers_Placeholder';
import LOADING from '@salesforce/label/c.SIE_Loading';
import EXPORT_RUNNING from '@salesforce/label/c.SIE_Export_Running';
import DRY_RUN_RUNNING from '@salesforce/label/c.SIE_Dry_Run_Running';
import EXPORT_FINISHED from '@salesforce/label/c.SIE_Export_Finished';
import DRY_RUN_FINISHED from '@salesforce/label/c.SIE_Dry_Run_Finished';
import EXPORT_STOPPED from '@salesforce/label/c.SIE_Export_Stopped';
import DRY_RUN_STOPPED from '@salesforce/label/c.SIE_Dry_Run_Stopped';
import PHASE_CUSTOMERS from '@salesforce/label/c.SIE_Phase_Customers';
import PHASE_PRODUCTS from '@salesforce/label/c.SIE_Phase_Products';
import PHASE_INVOICES from '@salesforce/label/c.SIE_Phase_Invoices';
import PHASE_WRITE_BACK from '@salesforce/label/c.SIE_Phase_Write_Back';
import PROGRESS_OF from '@salesforce/label/c.SIE_Progress_Of';
import PROGRESS_LABEL from '@salesforce/label/c.SIE_Progress_Label';
import RESULT from '@salesforce/label/c.SIE_Result';
import STATUS_RUNNING from '@salesforce/label/c.SIE_Status_Running';
import STATUS_SUCCEEDED from '@salesforce/label/c.SIE_Status_Succeeded';
import STATUS_COMPLETED_WITH_ERRORS from '@salesforce/label/c.SIE_Status_Completed_With_Errors';
import STATUS_FAILED from '@salesforce/label/c.SIE_Status_Failed';
import COUNT_CREATED from '@salesforce/label/c.SIE_Count_Created';
import COUNT_MATCHED from '@salesforce/label/c.SIE_Count_Matched';
import COUNT_RENAMED from '@salesforce/label/c.SIE_Count_Renamed';
import COUNT_SKIPPED from '@salesforce/label/c.SIE_Count_Skipped';
import COUNT_WARNINGS from '@salesforce/label/c.SIE_Count_Warnings';
import COUNT_ERRORS from '@salesforce/label/c.SIE_Count_Errors';
import VIEW_PROCESS_LOG from '@salesforce/label/c.SIE_View_Process_Log';
import PLAN from '@salesforce/label/c.SIE_Plan';
import PLAN_RECORD_TYPE from '@salesforce/label/c.SIE_Plan_Record_Type';
import PLAN_MATCH from '@salesforce/label/c.SIE_Plan_Match';
import PLAN_CREATE from '@salesforce/label/c.SIE_Plan_Create';
import PLAN_RENAME from '@salesforce/label/c.SIE_Plan_Rename';
import PLAN_FAILURES from '@salesforce/label/c.SIE_Plan_Failures';
import PLAN_INVOICE from '@salesforce/label/c.SIE_Plan_Invoice';
import PLAN_REASON from '@salesforce/label/c.SIE_Plan_Reason';
import PLAN_NO_FAILURES from '@salesforce/label/c.SIE_Plan_No_Failures';

const LABELS = {
  title: TITLE,
  company: COMPANY,
  productQty: PRODUCT_QTY,
  customerQty: CUSTOMER_QTY,
  invoiceQty: INVOICE_QTY,
  connection: CONNECTION,
  quickBooksAuthentication: QUICKBOOKS_AUTHENTICATION,
  opensNewWindow: OPENS_NEW_WINDOW,
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
  planRecordType: PLAN_RECORD_TYPE,
  planMatch: PLAN_MATCH,
  planCreate: PLAN_CREATE,
  planRename: PLAN_RENAME,
  planFailures: PLAN_FAILURES,
  planInvoice: PLAN_INVOICE,
  planReason: PLAN_REASON,
  planNoFailures: PLAN_NO_FAILURES,
};

// The export's phases in the order the service runs them; keys match run.progress.
const PHASES = [
  { key: 'customers', label: PHASE_CUSTOMERS },
  { key: 'products', label: PHASE_PRODUCTS },
  { key: 'invoices', label: PHASE_INVOICES },
  { key: 'writeBack', label: PHASE_WRITE_BACK },
];
const PHASE_ORDER = ['starting', 'customers', 'products', 'invoices', 'writeBack', 'processLog', 'done'];

const STATUS = {
  running: { label: STATUS_RUNNING, badgeClass: 'slds-badge_inverse' },
  succeeded: { label: STATUS_SUCCEEDED, badgeClass: 'slds-theme_success' },
  completed_with_errors: { label: STATUS_COMPLETED_WITH_ERRORS, badgeClass: 'slds-theme_warning' },
  failed: { label: STATUS_FAILED, badgeClass: 'slds-theme_error' },
};

const RESULT_COUNTS = [
  { key: 'created', label: COUNT_CREATED },
  { key: 'matched', label: COUNT_MATCHED },
  { key: 'renamed', label: COUNT_RENAMED },
  { key: 'skipped', label: COUNT_SKIPPED },
  { key: 'warnings', label: COUNT_WARNINGS },
  { key: 'errors', label: COUNT_ERRORS },
];

const QBO_UNAUTHORIZED = 'QBO_UNAUTHORIZED';
const MAX_POLL_FAILURES = 3;
const EMPTY = '—';

/**
 * Sales Invoice Export: shows what the user's Company would export, the QuickBooks connection,
 * starts an export (or a dry run) through SalesInvoiceExportController, follows its progress by
 * polling getRunStatus about once a second, and shows the result.
 */
export default class SalesInvoiceExport extends LightningElement {
  /** Milliseconds between two getRunStatus calls while a run is going. */
  @api pollInterval = 1000;

  labels = LABELS;
  summary;
  run;
  error;
  isLoading = false;
  isStarting = false;
  invoiceNumbers = '';

  followedRunId = null;
  pollTimer;
  pollFailures = 0;
  connected = false;

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
    this.isStarting = true;
    try {
      const numbers = (this.invoiceNumbers || '').trim();
      const started = await startExport({ dryRun, invoiceNumbers: numbers || null });
      this.run = {
        runId: started.runId,
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
    this.run = run;
    if (run.finished) {
      this.followedRunId = null;
      publishRunFinished(run);
      this.loadSummary();
    } else {
      this.schedulePoll();
    }
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
    return this.isLoading || this.isRunning || !this.summary;
  }

  get companyName() {
    return (this.summary && this.summary.companyName) || EMPTY;
  }

  get productCount() {
    return this.count('products');
  }

  get customerCount() {
    return this.count('customers');
  }

  get invoiceCount() {
    return this.count('invoices');
  }

  count(key) {
    const counts = this.summary && this.summary.counts;
    return counts && counts[key] !== undefined && counts[key] !== null ? String(counts[key]) : EMPTY;
  }

  get connectionInfo() {
    return (this.summary && this.summary.connection) || null;
  }

  get connectionState() {
    return (this.connectionInfo && this.connectionInfo.state) || 'not_connected';
  }

  get connectionLabel() {
    const info = this.connectionInfo || {};
    switch (this.connectionState) {
      case 'connected':
        return CONNECTED;
      case 'expiring':
        return formatLabel(TOKEN_EXPIRES, info.daysLeft);
      case 'reauthorization_required':
        return REAUTH_REQUIRED;
      default:
        return NOT_CONNECTED;
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

  get connectionDetail() {
    const info = this.connectionInfo;
    if (info && info.quickBooksCompanyName && this.connectionState !== 'not_connected') {
      return formatLabel(CONNECTED_TO, info.quickBooksCompanyName);
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
    const run = this.run || {};
    const progress = run.progress || {};
    const current = PHASE_ORDER.indexOf(run.phase);
    // A dry run writes nothing back to Salesforce: no write-back bar.
    return PHASES.filter((phase) => !(run.dryRun && phase.key === 'writeBack')).map((phase) => {
      const step = progress[phase.key] || {};
      const done = Number(step.done) || 0;
      const total = Number(step.total) || 0;
      // A phase with nothing to do shows as complete once the run is past it (not when the run failed).
      const passed = run.status !== 'failed' && (run.finished || current > PHASE_ORDER.indexOf(phase.key));
      let value;
      if (total > 0) {
        value = Math.min(100, Math.round((done / total) * 100));
      } else {
        value = passed ? 100 : 0;
      }
      const text = formatLabel(PROGRESS_OF, done, total);
      return {
        key: phase.key,
        label: phase.label,
        value,
        text,
        ariaLabel: formatLabel(PROGRESS_LABEL, phase.label, text),
      };
    });
  }

  get isFinished() {
    return !!(this.run && this.run.finished);
  }

  get statusInfo() {
    return (this.run && STATUS[this.run.status]) || STATUS.running;
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

  get processLogUrl() {
    return processLogUrl(this.run && this.run.processLogId);
  }

  get runErrorMessage() {
    return (this.run && this.run.error && this.run.error.message) || null;
  }

  get isUnauthorized() {
    return !!(this.run && this.run.error && this.run.error.code === QBO_UNAUTHORIZED);
  }

  get plan() {
    return this.isFinished && this.run.dryRun && this.run.plan ? this.run.plan : null;
  }

  get planRows() {
    const plan = this.plan || {};
    const row = (key, label) => {
      const counts = plan[key] || {};
      return {
        key,
        label,
        match: counts.match !== undefined ? counts.match : EMPTY,
        create: counts.create !== undefined ? counts.create : EMPTY,
        rename: counts.rename !== undefined ? counts.rename : EMPTY,
      };
    };
    return [row('customers', PHASE_CUSTOMERS), row('products', PHASE_PRODUCTS), row('invoices', PHASE_INVOICES)];
  }

  get planFailures() {
    const invoices = (this.plan && this.plan.invoices) || {};
    return (invoices.fail || []).map((failure, index) => ({
      key: `${failure.invoiceNumber}-${index}`,
      invoiceNumber: failure.invoiceNumber,
      reason: failure.reason,
    }));
  }

  get hasPlanFailures() {
    return this.planFailures.length > 0;
  }
}
