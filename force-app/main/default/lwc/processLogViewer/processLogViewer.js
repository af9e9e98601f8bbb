import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { APPLICATION_SCOPE, MessageContext, subscribe, unsubscribe } from 'lightning/messageService';
import EXPORT_RUN_CHANNEL from '@salesforce/messageChannel/Ledgerline_Export_Run__c';
import getRuns from '@salesforce/apex/ProcessLogController.getRuns';
import getRun from '@salesforce/apex/ProcessLogController.getRun';
import getEntries from '@salesforce/apex/ProcessLogController.getEntries';
import retryRecords from '@salesforce/apex/ProcessLogController.retryRecords';
import retryRun from '@salesforce/apex/ProcessLogController.retryRun';
import { formatLabel, quickBooksRecordUrl, recordPageReference, runStatus } from 'c/ledgerlineUtils';
import {
  DESKTOP_ENTRY_COLUMNS,
  ENTRY_COLUMNS,
  RUN_COLUMNS,
  FILTER_ALL,
  isDesktopRun,
  isRetryable,
  levelOptions,
  outcomeOptions,
  recordTypeOptions,
  runCounts,
} from './logView';

import TITLE from '@salesforce/label/c.PLV_Title';
import RUNS from '@salesforce/label/c.PLV_Runs';
import REFRESH from '@salesforce/label/c.PLV_Refresh';
import LOADING from '@salesforce/label/c.SIE_Loading';
import NO_LOGS from '@salesforce/label/c.PLV_No_Logs';
import NO_ENTRIES from '@salesforce/label/c.PLV_No_Entries';
import STARTED from '@salesforce/label/c.PLV_Started';
import ENDED from '@salesforce/label/c.PLV_Ended';
import LEVEL from '@salesforce/label/c.PLV_Level';
import OUTCOME from '@salesforce/label/c.PLV_Outcome';
import RECORD_TYPE from '@salesforce/label/c.PLV_Record_Type';
import SEARCH from '@salesforce/label/c.PLV_Search';
import SEARCH_PLACEHOLDER from '@salesforce/label/c.PLV_Search_Placeholder';
import OPEN_RECORD from '@salesforce/label/c.PLV_Open_Record';
import ENTRIES_TABLE from '@salesforce/label/c.PLV_Entries_Table';
import RUNS_TABLE from '@salesforce/label/c.PLV_Runs_Table';
import PAGE_OF from '@salesforce/label/c.PLV_Page_Of';
import ENTRIES_RANGE from '@salesforce/label/c.PLV_Entries_Range';
import SELECTED_RUN from '@salesforce/label/c.PLV_Selected_Run';
import RETRY_ALL from '@salesforce/label/c.PLV_Retry_All';
import RETRY_STARTED from '@salesforce/label/c.PLV_Retry_Started';

const LABELS = {
  title: TITLE,
  runs: RUNS,
  refresh: REFRESH,
  loading: LOADING,
  noLogs: NO_LOGS,
  noEntries: NO_ENTRIES,
  started: STARTED,
  ended: ENDED,
  search: SEARCH,
  searchPlaceholder: SEARCH_PLACEHOLDER,
  openRecord: OPEN_RECORD,
  entriesTable: ENTRIES_TABLE,
  runsTable: RUNS_TABLE,
  selectedRun: SELECTED_RUN,
  retryAll: RETRY_ALL,
  retryStarted: RETRY_STARTED,
};

const SEARCH_DELAY_MS = 300;
const FILTER_NAMES = ['level', 'outcome', 'recordType'];

/**
 * Process Log viewer: the "Sales Invoice Exporter" runs of the user's Company, paged, and the entries of the chosen
 * run — filtered by level, outcome and record kind, searchable, paged — each linked to its Salesforce record and its
 * QuickBooks record. On a Process Log record page it shows that run alone. It reads the org (ProcessLogController),
 * so it works while the Ledgerline service is down; while an export runs on the page it follows the run's entries
 * and counts (Ledgerline Export Run message channel).
 */
export default class ProcessLogViewer extends NavigationMixin(LightningElement) {
  /** Set on a Process Log record page: show this run only. */
  @api recordId;

  /** Runs per page. */
  @api runsPageSize = 10;

  /** Entries per page. */
  @api entriesPageSize = 50;

  /** Where QuickBooks Online opens records: https://app.qbo.intuit.com, or https://app.sandbox.qbo.intuit.com. */
  @api quickBooksAppUrl = 'https://app.qbo.intuit.com';

  /** While an export runs, the entries and counts are read again at most this often (milliseconds). */
  @api liveRefreshInterval = 2000;

  @wire(MessageContext) messageContext;

  labels = LABELS;
  runColumns = RUN_COLUMNS;
  levelOptions = levelOptions();
  outcomeOptions = outcomeOptions();
  recordTypeOptions = recordTypeOptions();

  error;
  isLoading = false;
  /** A retry was started from this page (its run shows in the list). */
  retryStartedRunId;

  runs = [];
  runsTotal = 0;
  runsHasMore = false;
  // The start time each runs page began after ([null] = the first page).
  runsCursors = [null];

  selectedLogId;
  selectedLog;
  selectedLogUrl;

  level = FILTER_ALL;
  outcome = FILTER_ALL;
  recordType = FILTER_ALL;
  searchTerm = '';

  entries = [];
  entriesTotal = 0;
  entriesHasMore = false;
  // The entry Name each entries page began after ([null] = the first page).
  entriesCursors = [null];

  subscription;
  searchTimer;
  lastLiveRefresh = 0;
  liveRefreshing = false;

  connectedCallback() {
    this.subscription = subscribe(this.messageContext, EXPORT_RUN_CHANNEL, (message) => this.handleRunMessage(message), {
      scope: APPLICATION_SCOPE,
    });
    this.refresh();
  }

  disconnectedCallback() {
    if (this.subscription) {
      unsubscribe(this.subscription);
      this.subscription = undefined;
    }
    clearTimeout(this.searchTimer);
  }

  /** A QuickBooks Desktop run's ids are not QuickBooks Online pages: shown, not linked. */
  get entryColumns() {
    return this.isDesktopRun ? DESKTOP_ENTRY_COLUMNS : ENTRY_COLUMNS;
  }

  get isDesktopRun() {
    return isDesktopRun(this.runs.find((run) => run.Id === this.selectedLogId) || this.selectedLog);
  }

  get isRecordPage() {
    return !!this.recordId;
  }

  /**
   * Reloads the runs (first page) and the chosen run's entries.
   * @param {String} [selectLogId] the run to show once loaded; defaults to the one shown now, or the latest
   */
  @api
  async refresh(selectLogId) {
    this.isLoading = true;
    try {
      if (this.isRecordPage) {
        await this.selectLog(this.recordId);
      } else {
        this.runsCursors = [null];
        await this.loadRuns();
        const wanted = selectLogId || this.selectedLogId;
        const found = this.runs.find((run) => run.Id === wanted);
        const next = found ? found.Id : wanted || (this.runs.length > 0 ? this.runs[0].Id : undefined);
        await this.selectLog(next);
      }
      this.error = undefined;
    } catch (error) {
      this.error = error;
    } finally {
      this.isLoading = false;
    }
  }

  async loadRuns() {
    const startedBefore = this.runsCursors[this.runsCursors.length - 1];
    const page = await getRuns({ pageSize: this.runsPageSize, startedBefore });
    const runs = (page && page.runs) || [];
    this.runs = await Promise.all(runs.map((run) => this.runRow(run)));
    this.runsTotal = (page && page.total) || 0;
    this.runsHasMore = !!(page && page.hasMore);
  }

  async runRow(run) {
    const reference = recordPageReference(run.Id, 'Process_Log__c');
    return {
      ...run,
      recordUrl: reference ? await this[NavigationMixin.GenerateUrl](reference) : null,
      statusLabel: runStatus(run.Status__c).label,
    };
  }

  async selectLog(logId) {
    this.selectedLogId = logId;
    this.entriesCursors = [null];
    if (!logId) {
      this.selectedLog = undefined;
      this.selectedLogUrl = undefined;
      this.entries = [];
      this.entriesTotal = 0;
      this.entriesHasMore = false;
      return;
    }
    await Promise.all([this.loadLog(), this.loadEntries()]);
  }

  async loadLog() {
    const logId = this.selectedLogId;
    const log = await getRun({ processLogId: logId });
    if (logId !== this.selectedLogId) {
      return;
    }
    this.selectedLog = log;
    const reference = recordPageReference(logId, 'Process_Log__c');
    this.selectedLogUrl = reference && !this.isRecordPage ? await this[NavigationMixin.GenerateUrl](reference) : undefined;
  }

  async loadEntries() {
    const logId = this.selectedLogId;
    const query = {
      level: this.level === FILTER_ALL ? null : this.level,
      outcome: this.outcome === FILTER_ALL ? null : this.outcome,
      recordType: this.recordType === FILTER_ALL ? null : this.recordType,
      searchTerm: (this.searchTerm || '').trim() || null,
      afterName: this.entriesCursors[this.entriesCursors.length - 1],
      pageSize: this.entriesPageSize,
    };
    const page = await getEntries({ processLogId: logId, query });
    if (logId !== this.selectedLogId) {
      return;
    }
    const entries = (page && page.entries) || [];
    this.entries = await Promise.all(entries.map((entry) => this.entryRow(entry)));
    this.entriesTotal = (page && page.total) || 0;
    this.entriesHasMore = !!(page && page.hasMore);
  }

  async entryRow(entry) {
    const reference = recordPageReference(entry.Record_Id__c, entry.Record_Type__c);
    return {
      ...entry,
      recordLabel: entry.Record_Name__c || entry.Record_Id__c || '',
      recordUrl: reference ? await this[NavigationMixin.GenerateUrl](reference) : null,
      quickBooksUrl: this.isDesktopRun ? null : quickBooksRecordUrl(this.quickBooksAppUrl, entry.Record_Type__c, entry.QuickBooks_Id__c),
      levelClass: entry.Level__c === 'ERROR' ? 'slds-text-color_error' : entry.Level__c === 'WARN' ? 'slds-text-title_bold' : '',
      retryDisabled: !isRetryable(entry),
      retriedUrl: await this.retriedUrl(entry),
    };
  }

  /** The retry's own run, for an entry that was retried. */
  async retriedUrl(entry) {
    const reference = entry.Retried_In__c ? recordPageReference(entry.Retried_In__c, 'Process_Log__c') : null;
    return reference ? this[NavigationMixin.GenerateUrl](reference) : null;
  }

  // ---- retry -----------------------------------------------------------------------------------

  /** Retry on an error's row: a run of just that record (and what it needs). */
  handleEntryAction(event) {
    const { action, row } = event.detail || {};
    if (!action || action.name !== 'retry' || !row || row.retryDisabled) {
      return undefined;
    }
    return this.startRetry(() => retryRecords({ recordIds: [row.Record_Id__c] }));
  }

  /** Retry all errors of this run: one run of every record the run's errors name that can be sent again. */
  handleRetryAll() {
    return this.startRetry(() => retryRun({ processLogId: this.selectedLogId }));
  }

  async startRetry(start) {
    this.retryStartedRunId = undefined;
    await this.guard(async () => {
      const started = await start();
      this.retryStartedRunId = (started && started.runId) || null;
      // The retry's run is new, and the retried errors will say so: the list is read again.
      await this.refresh();
    });
  }

  async reloadEntries() {
    this.entriesCursors = [null];
    await this.guard(() => this.loadEntries());
  }

  async guard(work) {
    this.isLoading = true;
    try {
      await work();
      this.error = undefined;
    } catch (error) {
      this.error = error;
    } finally {
      this.isLoading = false;
    }
  }

  // ---- live updates while an export runs -------------------------------------------------------

  handleRunMessage(message) {
    if (!message || !message.processLogId) {
      return;
    }
    if (this.isRecordPage && message.processLogId !== this.recordId) {
      return;
    }
    if (message.finished) {
      this.refresh(message.processLogId);
      return;
    }
    const now = Date.now();
    if (this.liveRefreshing || now - this.lastLiveRefresh < this.liveRefreshInterval) {
      return;
    }
    this.lastLiveRefresh = now;
    this.liveRefresh(message.processLogId);
  }

  /** A running export's log: show it (it may be new), then read its counts and the first page of entries again. */
  async liveRefresh(processLogId) {
    this.liveRefreshing = true;
    try {
      const known = this.isRecordPage || this.runs.some((run) => run.Id === processLogId);
      if (!known) {
        await this.refresh(processLogId);
      } else if (processLogId === this.selectedLogId && this.entriesCursors.length === 1) {
        await Promise.all([this.loadLog(), this.loadEntries()]);
      } else if (processLogId === this.selectedLogId) {
        await this.loadLog();
      }
    } catch (error) {
      this.error = error;
    } finally {
      this.liveRefreshing = false;
    }
  }

  // ---- handlers --------------------------------------------------------------------------------

  handleRefresh() {
    return this.refresh();
  }

  handleRunSelection(event) {
    const selected = (event.detail && event.detail.selectedRows) || [];
    if (selected.length && selected[0].Id !== this.selectedLogId) {
      this.guard(() => this.selectLog(selected[0].Id));
    }
  }

  async handleRunsNext() {
    if (!this.runsHasMore || !this.runs.length) {
      return;
    }
    this.runsCursors = [...this.runsCursors, this.runs[this.runs.length - 1].Start_Time__c];
    await this.guard(() => this.loadRuns());
  }

  async handleRunsPrevious() {
    if (this.runsCursors.length < 2) {
      return;
    }
    this.runsCursors = this.runsCursors.slice(0, -1);
    await this.guard(() => this.loadRuns());
  }

  async handleEntriesNext() {
    if (!this.entriesHasMore || !this.entries.length) {
      return;
    }
    this.entriesCursors = [...this.entriesCursors, this.entries[this.entries.length - 1].Name];
    await this.guard(() => this.loadEntries());
  }

  async handleEntriesPrevious() {
    if (this.entriesCursors.length < 2) {
      return;
    }
    this.entriesCursors = this.entriesCursors.slice(0, -1);
    await this.guard(() => this.loadEntries());
  }

  handleFilterChange(event) {
    const name = event.target.name;
    if (FILTER_NAMES.includes(name)) {
      this[name] = event.detail.value;
      this.reloadEntries();
    }
  }

  handleSearchChange(event) {
    this.searchTerm = event.detail.value;
    clearTimeout(this.searchTimer);
    // Wait for a pause in typing before asking the org.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.searchTimer = setTimeout(() => this.reloadEntries(), SEARCH_DELAY_MS);
  }

  handleOpenLog(event) {
    event.preventDefault();
    const reference = recordPageReference(this.selectedLogId, 'Process_Log__c');
    if (reference) {
      this[NavigationMixin.Navigate](reference);
    }
  }

  // ---- view state ------------------------------------------------------------------------------

  /** The level, outcome and record kind choices, drawn by one template block. */
  get filters() {
    return [
      { name: 'level', className: 'level-filter', label: LEVEL, value: this.level, options: this.levelOptions },
      { name: 'outcome', className: 'outcome-filter', label: OUTCOME, value: this.outcome, options: this.outcomeOptions },
      { name: 'recordType', className: 'record-type-filter', label: RECORD_TYPE, value: this.recordType, options: this.recordTypeOptions },
    ];
  }

  get hasRuns() {
    return this.runs.length > 0;
  }

  get showRuns() {
    return !this.isRecordPage && this.hasRuns;
  }

  get showNoLogs() {
    return !this.isRecordPage && !this.hasRuns && !this.isLoading && !this.error;
  }

  get selectedRows() {
    return this.selectedLogId ? [this.selectedLogId] : [];
  }

  get runsPageText() {
    const pages = Math.max(1, Math.ceil(this.runsTotal / this.runsPageSize));
    return formatLabel(PAGE_OF, this.runsCursors.length, pages, this.runsTotal);
  }

  get runsPreviousDisabled() {
    return this.isLoading || this.runsCursors.length < 2;
  }

  get runsNextDisabled() {
    return this.isLoading || !this.runsHasMore;
  }

  get hasSelectedLog() {
    return !!this.selectedLog;
  }

  get selectedStatus() {
    return runStatus(this.selectedLog && this.selectedLog.Status__c);
  }

  get selectedStartTime() {
    return (this.selectedLog && this.selectedLog.Start_Time__c) || null;
  }

  get selectedEndTime() {
    return (this.selectedLog && this.selectedLog.End_Time__c) || null;
  }

  get selectedCounts() {
    return runCounts(this.selectedLog);
  }

  get selectedSummary() {
    return (this.selectedLog && this.selectedLog.Summary__c) || null;
  }

  /** A finished real run with errors can have them retried. */
  get canRetryAll() {
    const log = this.selectedLog;
    return !!log && !log.Dry_Run__c && log.Status__c !== 'Running' && (log.Error_Count__c || 0) > 0;
  }

  get retryStarted() {
    return this.retryStartedRunId !== undefined;
  }

  get hasEntries() {
    return this.entries.length > 0;
  }

  get entriesRangeText() {
    const first = (this.entriesCursors.length - 1) * this.entriesPageSize + 1;
    const last = first + this.entries.length - 1;
    return formatLabel(ENTRIES_RANGE, this.entries.length ? first : 0, this.entries.length ? last : 0, this.entriesTotal);
  }

  get entriesPreviousDisabled() {
    return this.isLoading || this.entriesCursors.length < 2;
  }

  get entriesNextDisabled() {
    return this.isLoading || !this.entriesHasMore;
  }
}
