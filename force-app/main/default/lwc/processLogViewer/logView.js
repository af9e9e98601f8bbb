// The Process Log viewer's tables and choices: datatable columns, filter options and the counts line.
import { DATE_TIME_OPTIONS, TIME_OPTIONS, formatLabel } from 'c/ledgerlineUtils';

import COL_STARTED from '@salesforce/label/c.PLV_Started';
import COL_ENDED from '@salesforce/label/c.PLV_Ended';
import COL_RUN from '@salesforce/label/c.PLV_Run';
import COL_STATUS from '@salesforce/label/c.PLV_Column_Status';
import COL_DRY_RUN from '@salesforce/label/c.PLV_Column_Dry_Run';
import COL_TIME from '@salesforce/label/c.PLV_Column_Time';
import COL_LEVEL from '@salesforce/label/c.PLV_Column_Level';
import COL_OUTCOME from '@salesforce/label/c.PLV_Column_Outcome';
import COL_KIND from '@salesforce/label/c.PLV_Column_Kind';
import COL_RECORD from '@salesforce/label/c.PLV_Column_Record';
import COL_MESSAGE from '@salesforce/label/c.PLV_Column_Message';
import COL_FIX from '@salesforce/label/c.PLV_Column_Fix';
import COL_QUICKBOOKS from '@salesforce/label/c.PLV_Column_QuickBooks_Id';
import OPENS_QUICKBOOKS from '@salesforce/label/c.PLV_Opens_QuickBooks';
import COUNT_SUMMARY from '@salesforce/label/c.PLV_Count_Summary';
import ALL from '@salesforce/label/c.PLV_Filter_All';
import RETRY from '@salesforce/label/c.PLV_Retry';
import RETRY_TITLE from '@salesforce/label/c.PLV_Retry_Title';
import COL_RETRIED from '@salesforce/label/c.PLV_Column_Retried';
import COUNT_CREATED from '@salesforce/label/c.SIE_Count_Created';
import COUNT_MATCHED from '@salesforce/label/c.SIE_Count_Matched';
import COUNT_RENAMED from '@salesforce/label/c.SIE_Count_Renamed';
import COUNT_SKIPPED from '@salesforce/label/c.SIE_Count_Skipped';
import COUNT_WARNINGS from '@salesforce/label/c.SIE_Count_Warnings';
import COUNT_ERRORS from '@salesforce/label/c.SIE_Count_Errors';

/** The "no filter" value of the level, outcome and record kind choices. */
export const FILTER_ALL = 'ALL';

const DATE_TIME = { ...DATE_TIME_OPTIONS };
const TIME = { ...TIME_OPTIONS };
const number = (label, fieldName) => ({ label, fieldName, type: 'number', initialWidth: 96, cellAttributes: { alignment: 'left' } });

export const RUN_COLUMNS = [
  { label: COL_STARTED, fieldName: 'Start_Time__c', type: 'date', typeAttributes: DATE_TIME, initialWidth: 190 },
  { label: COL_RUN, fieldName: 'recordUrl', type: 'url', typeAttributes: { label: { fieldName: 'Name' } }, initialWidth: 190 },
  { label: COL_STATUS, fieldName: 'statusLabel', type: 'text', initialWidth: 170 },
  { label: COL_DRY_RUN, fieldName: 'Dry_Run__c', type: 'boolean', initialWidth: 90 },
  number(COUNT_CREATED, 'Created_Count__c'),
  number(COUNT_MATCHED, 'Matched_Count__c'),
  number(COUNT_RENAMED, 'Renamed_Count__c'),
  number(COUNT_SKIPPED, 'Skipped_Count__c'),
  number(COUNT_WARNINGS, 'Warning_Count__c'),
  number(COUNT_ERRORS, 'Error_Count__c'),
  { label: COL_ENDED, fieldName: 'End_Time__c', type: 'date', typeAttributes: TIME },
];

export const ENTRY_COLUMNS = [
  { label: COL_TIME, fieldName: 'CreatedDate', type: 'date', typeAttributes: TIME, initialWidth: 110 },
  { label: COL_LEVEL, fieldName: 'Level__c', type: 'text', initialWidth: 80, cellAttributes: { class: { fieldName: 'levelClass' } } },
  { label: COL_OUTCOME, fieldName: 'Outcome__c', type: 'text', initialWidth: 100 },
  { label: COL_KIND, fieldName: 'Record_Type__c', type: 'text', initialWidth: 100 },
  {
    label: COL_RECORD,
    fieldName: 'recordUrl',
    type: 'url',
    typeAttributes: { label: { fieldName: 'recordLabel' }, tooltip: { fieldName: 'recordLabel' } },
    initialWidth: 170,
  },
  { label: COL_MESSAGE, fieldName: 'Message__c', type: 'text', wrapText: true },
  { label: COL_FIX, fieldName: 'Fix__c', type: 'text', wrapText: true },
  {
    label: COL_QUICKBOOKS,
    fieldName: 'quickBooksUrl',
    type: 'url',
    typeAttributes: { label: { fieldName: 'QuickBooks_Id__c' }, target: '_blank', tooltip: OPENS_QUICKBOOKS },
    initialWidth: 120,
  },
  // A retried error: how the retry ended, linked to the retry's own run.
  {
    label: COL_RETRIED,
    fieldName: 'retriedUrl',
    type: 'url',
    typeAttributes: { label: { fieldName: 'Retry_Outcome__c' }, tooltip: { fieldName: 'Retry_Outcome__c' } },
    initialWidth: 120,
  },
  // Enabled on the errors that can be sent again (isRetryable).
  {
    type: 'button',
    initialWidth: 96,
    typeAttributes: { label: RETRY, name: 'retry', title: RETRY_TITLE, variant: 'base', disabled: { fieldName: 'retryDisabled' } },
  },
];

/** The record kinds an export sends: an error about one of them can be retried alone. */
const RETRYABLE_TYPES = ['Customer', 'Product', 'Invoice', 'Payment', 'Credit Memo', 'Sales Receipt'];

/**
 * Whether an entry offers Retry: an ERROR about a record an export sends, not retried yet, or whose retry stopped
 * before it reached the record (one that failed again is retried from the retry's own run, which holds the new error).
 * @param {Object} entry a Process_Log_Entry__c record
 * @return {Boolean}
 */
export function isRetryable(entry) {
  const e = entry || {};
  const outcome = e.Retry_Outcome__c || null;
  return e.Level__c === 'ERROR' && !!e.Record_Id__c && RETRYABLE_TYPES.includes(e.Record_Type__c) && (outcome === null || outcome === 'Run Failed');
}

/** QuickBooks Desktop has no web page per record: its ListID or TxnID is shown as it is, with no link. */
export const DESKTOP_ENTRY_COLUMNS = ENTRY_COLUMNS.map((column) => {
  if (column.fieldName !== 'quickBooksUrl') {
    return column;
  }
  return { label: COL_QUICKBOOKS, fieldName: 'QuickBooks_Id__c', type: 'text', initialWidth: 160 };
});

/** The run's company exports to QuickBooks Desktop. */
export function isDesktopRun(log) {
  return !!(log && log.Company__r && log.Company__r.Accounting_System__c === 'Desktop');
}

const option = (value, label = value) => ({ label, value });

export function levelOptions() {
  return [option(FILTER_ALL, ALL), option('INFO'), option('WARN'), option('ERROR')];
}

// Process_Log_Entry__c.Outcome__c's values.
export function outcomeOptions() {
  return [option(FILTER_ALL, ALL), ...['Created', 'Matched', 'Renamed', 'Shortened', 'Skipped', 'Warning', 'Error', 'Summary'].map((v) => option(v))];
}

// The record kinds the export logs (Process_Log_Entry__c.Record_Type__c).
export function recordTypeOptions() {
  return [option(FILTER_ALL, ALL), ...['Customer', 'Product', 'Invoice', 'Payment', 'Run'].map((v) => option(v))];
}

/**
 * "Created 6 · Matched 2 · …" from a Process_Log__c's count fields.
 * @param {Object} log a Process_Log__c record
 * @return {String}
 */
export function runCounts(log) {
  const l = log || {};
  const n = (field) => (l[field] === undefined || l[field] === null ? 0 : l[field]);
  return formatLabel(
    COUNT_SUMMARY,
    n('Created_Count__c'),
    n('Matched_Count__c'),
    n('Renamed_Count__c'),
    n('Skipped_Count__c'),
    n('Warning_Count__c'),
    n('Error_Count__c'),
  );
}
