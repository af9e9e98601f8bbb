// The Process Log viewer's tables and choices: datatable columns, filter options and the counts line.
import { formatLabel } from 'c/ledgerlineUtils';

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
import COUNT_CREATED from '@salesforce/label/c.SIE_Count_Created';
import COUNT_MATCHED from '@salesforce/label/c.SIE_Count_Matched';
import COUNT_RENAMED from '@salesforce/label/c.SIE_Count_Renamed';
import COUNT_SKIPPED from '@salesforce/label/c.SIE_Count_Skipped';
import COUNT_WARNINGS from '@salesforce/label/c.SIE_Count_Warnings';
import COUNT_ERRORS from '@salesforce/label/c.SIE_Count_Errors';

/** The "no filter" value of the level, outcome and record kind choices. */
export const FILTER_ALL = 'ALL';

const DATE_TIME = { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' };
const TIME = { hour: '2-digit', minute: '2-digit', second: '2-digit' };
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
];

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
