import { LightningElement, api } from 'lwc';
import getProcessLogs from '@salesforce/apex/SalesInvoiceExportController.getProcessLogs';
import { formatLabel, processLogUrl, subscribeToRunFinished } from 'c/ledgerlineUtils';

import TITLE from '@salesforce/label/c.PLV_Title';
import RUN from '@salesforce/label/c.PLV_Run';
import LEVEL from '@salesforce/label/c.PLV_Level';
import LEVEL_ALL from '@salesforce/label/c.PLV_Level_All';
import LEVEL_INFO from '@salesforce/label/c.PLV_Level_Info';
import LEVEL_WARN from '@salesforce/label/c.PLV_Level_Warn';
import LEVEL_ERROR from '@salesforce/label/c.PLV_Level_Error';
import REFRESH from '@salesforce/label/c.PLV_Refresh';
import LOADING from '@salesforce/label/c.SIE_Loading';
import NO_LOGS from '@salesforce/label/c.PLV_No_Logs';
import NO_ENTRIES from '@salesforce/label/c.PLV_No_Entries';
import STARTED from '@salesforce/label/c.PLV_Started';
import ENDED from '@salesforce/label/c.PLV_Ended';
import COL_LEVEL from '@salesforce/label/c.PLV_Column_Level';
import COL_OUTCOME from '@salesforce/label/c.PLV_Column_Outcome';
import COL_RECORD from '@salesforce/label/c.PLV_Column_Record';
import COL_MESSAGE from '@salesforce/label/c.PLV_Column_Message';
import COL_FIX from '@salesforce/label/c.PLV_Column_Fix';
import COL_QUICKBOOKS_ID from '@salesforce/label/c.PLV_Column_QuickBooks_Id';
import SHOWING from '@salesforce/label/c.PLV_Showing';
import OPEN_RECORD from '@salesforce/label/c.PLV_Open_Record';
import ENTRIES_TABLE from '@salesforce/label/c.PLV_Entries_Table';
import COUNT_SUMMARY from '@salesforce/label/c.PLV_Count_Summary';
import STATUS_RUNNING from '@salesforce/label/c.SIE_Status_Running';
import STATUS_SUCCEEDED from '@salesforce/label/c.SIE_Status_Succeeded';
import STATUS_COMPLETED_WITH_ERRORS from '@salesforce/label/c.SIE_Status_Completed_With_Errors';
import STATUS_FAILED from '@salesforce/label/c.SIE_Status_Failed';

const LABELS = {
  title: TITLE,
  run: RUN,
  level: LEVEL,
  refresh: REFRESH,
  loading: LOADING,
  noLogs: NO_LOGS,
  noEntries: NO_ENTRIES,
  started: STARTED,
  ended: ENDED,
  colLevel: COL_LEVEL,
  colOutcome: COL_OUTCOME,
  colRecord: COL_RECORD,
  colMessage: COL_MESSAGE,
  colFix: COL_FIX,
  colQuickBooksId: COL_QUICKBOOKS_ID,
  openRecord: OPEN_RECORD,
  entriesTable: ENTRIES_TABLE,
};

const ALL = 'ALL';
const LEVEL_CLASS = {
  INFO: 'slds-badge',
  WARN: 'slds-badge slds-theme_warning',
  ERROR: 'slds-badge slds-theme_error',
};

// Statuses arrive from the service in snake_case and from Process_Log__c as picklist labels.
const STATUS_LABELS = {
  running: STATUS_RUNNING,
  succeeded: STATUS_SUCCEEDED,
  completed_with_errors: STATUS_COMPLETED_WITH_ERRORS,
  failed: STATUS_FAILED,
};
const STATUS_CLASS = {
  succeeded: 'slds-theme_success',
  completed_with_errors: 'slds-theme_warning',
  failed: 'slds-theme_error',
};

function statusKey(status) {
  return String(status || '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '_');
}

/**
 * Process Log viewer: the latest "Sales Invoice Exporter" runs of the user's Company and their
 * entries, filterable by level. Refreshes itself when the Sales Invoice Export component on the
 * same page reports that a run finished.
 */
export default class ProcessLogViewer extends LightningElement {
  /** How many recent runs to load. */
  @api limitCount = 5;

  /** The most entries rendered at once; the rest are counted, not drawn. */
  @api maxEntries = 200;

  labels = LABELS;
  logs = [];
  error;
  isLoading = false;
  level = ALL;
  selectedLogId;

  unsubscribe;

  connectedCallback() {
    this.unsubscribe = subscribeToRunFinished((run) => {
      this.refresh(run && run.processLogId);
    });
    this.refresh();
  }

  disconnectedCallback() {
    if (this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = undefined;
    }
  }

  /**
   * Reloads the logs.
   * @param {String} [selectLogId] the log to show once loaded; defaults to the one shown now, or the latest
   */
  @api
  async refresh(selectLogId) {
    this.isLoading = true;
    try {
      const logs = await getProcessLogs({ limitCount: this.limitCount });
      this.logs = Array.isArray(logs) ? logs : [];
      this.error = undefined;
      const wanted = selectLogId || this.selectedLogId;
      const found = this.logs.find((log) => log.id === wanted);
      this.selectedLogId = found ? found.id : this.logs.length > 0 ? this.logs[0].id : undefined;
    } catch (error) {
      this.error = error;
    } finally {
      this.isLoading = false;
    }
  }

  handleRefresh() {
    return this.refresh();
  }

  handleLogChange(event) {
    this.selectedLogId = event.detail.value;
  }

  handleLevelChange(event) {
    this.level = event.detail.value;
  }

  get hasLogs() {
    return this.logs.length > 0;
  }

  get logOptions() {
    return this.logs.map((log) => ({
      label: `${log.name || ''} · ${this.formatTime(log.startTime)} · ${this.statusLabelOf(log.status)}`,
      value: log.id,
    }));
  }

  get levelOptions() {
    return [
      { label: LEVEL_ALL, value: ALL },
      { label: LEVEL_INFO, value: 'INFO' },
      { label: LEVEL_WARN, value: 'WARN' },
      { label: LEVEL_ERROR, value: 'ERROR' },
    ];
  }

  get selectedLog() {
    return this.logs.find((log) => log.id === this.selectedLogId) || null;
  }

  get selectedStartTime() {
    return (this.selectedLog && this.selectedLog.startTime) || null;
  }

  get selectedEndTime() {
    return (this.selectedLog && this.selectedLog.endTime) || null;
  }

  get showNoLogs() {
    return !this.isLoading && !this.error;
  }

  get selectedStatusLabel() {
    return this.statusLabelOf(this.selectedLog && this.selectedLog.status);
  }

  get selectedStatusClass() {
    return STATUS_CLASS[statusKey(this.selectedLog && this.selectedLog.status)] || '';
  }

  get selectedLogUrl() {
    return processLogUrl(this.selectedLog && this.selectedLog.id);
  }

  get selectedCounts() {
    const counts = (this.selectedLog && this.selectedLog.counts) || {};
    const n = (key) => (counts[key] === undefined || counts[key] === null ? 0 : counts[key]);
    return formatLabel(COUNT_SUMMARY, n('created'), n('matched'), n('renamed'), n('skipped'), n('warnings'), n('errors'));
  }

  get filteredEntries() {
    const log = this.selectedLog;
    const entries = (log && log.entries) || [];
    return this.level === ALL ? entries : entries.filter((entry) => entry.level === this.level);
  }

  get visibleEntries() {
    return this.filteredEntries.slice(0, this.maxEntries).map((entry, index) => ({
      key: entry.id || `entry-${index}`,
      level: entry.level,
      levelClass: LEVEL_CLASS[entry.level] || 'slds-badge',
      outcome: entry.outcome,
      recordType: entry.recordType,
      recordName: entry.recordName || entry.recordId || '',
      message: entry.message,
      fix: entry.fix,
      quickBooksId: entry.quickBooksId,
    }));
  }

  get hasEntries() {
    return this.filteredEntries.length > 0;
  }

  get isTruncated() {
    return this.filteredEntries.length > this.maxEntries;
  }

  get showingText() {
    return formatLabel(SHOWING, Math.min(this.maxEntries, this.filteredEntries.length), this.filteredEntries.length);
  }

  statusLabelOf(status) {
    return STATUS_LABELS[statusKey(status)] || status || '';
  }

  formatTime(value) {
    if (!value) {
      return '';
    }
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
  }
}
