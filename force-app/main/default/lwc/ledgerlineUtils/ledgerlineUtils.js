import STATUS_RUNNING from '@salesforce/label/c.SIE_Status_Running';
import STATUS_SUCCEEDED from '@salesforce/label/c.SIE_Status_Succeeded';
import STATUS_COMPLETED_WITH_ERRORS from '@salesforce/label/c.SIE_Status_Completed_With_Errors';
import STATUS_FAILED from '@salesforce/label/c.SIE_Status_Failed';
import LOCALE from '@salesforce/i18n/locale';
import TIME_ZONE from '@salesforce/i18n/timeZone';

/**
 * Shared helpers for the Ledgerline components: error reduction (the lwc-recipes ldsUtils idea), label
 * formatting, page references for the navigation service, links to QuickBooks records, and the message the
 * export component publishes on the Ledgerline Export Run channel (Lightning Message Service).
 */

/**
 * Reduces one or more errors (Apex/AuraHandledException, UI API, network or plain JS errors)
 * into a list of messages.
 * @param {Object|Object[]} errors
 * @return {String[]} the error messages, empty strings removed
 */
export function reduceErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  return list
    .filter((error) => !!error)
    .map((error) => {
      if (typeof error === 'string') {
        return error;
      }
      const body = error.body;
      // UI API read errors
      if (Array.isArray(body)) {
        return body.map((e) => e && e.message);
      }
      if (body && typeof body === 'object') {
        // UI API DML: page-level and field-level errors
        const output = body.output;
        if (output) {
          const messages = [];
          (output.errors || []).forEach((e) => messages.push(e.message));
          Object.values(output.fieldErrors || {}).forEach((fieldErrors) => fieldErrors.forEach((e) => messages.push(e.message)));
          if (messages.length > 0) {
            return messages;
          }
        }
        // Apex (AuraHandledException), UI API DML and network errors
        if (typeof body.message === 'string') {
          return body.message;
        }
        // Page errors from some Apex failures
        if (Array.isArray(body.pageErrors) && body.pageErrors.length > 0) {
          return body.pageErrors.map((e) => e.message);
        }
        // The Ledgerline service's own error shape
        if (body.error && typeof body.error.message === 'string') {
          return body.error.message;
        }
      }
      // JS errors
      if (typeof error.message === 'string') {
        return error.message;
      }
      // Unknown shape: fall back to the HTTP status text
      return error.statusText;
    })
    .reduce((all, messages) => all.concat(messages), [])
    .filter((message) => !!message);
}

/**
 * Replaces {0}, {1}, … in a Custom Label with the given values.
 * @param {String} template the label text
 * @param {...*} values the values to insert
 * @return {String}
 */
export function formatLabel(template, ...values) {
  return String(template).replace(/\{(\d+)\}/g, (placeholder, index) => {
    const value = values[Number(index)];
    return value === undefined || value === null ? placeholder : String(value);
  });
}

// Process Log entries and plan decisions name the kind of record; the navigation service needs the object.
const OBJECT_BY_RECORD_TYPE = {
  Customer: 'Customer__c',
  Product: 'Product__c',
  Invoice: 'Sales_Invoice__c',
  Payment: 'Payment__c',
  Company: 'Company__c',
};

// Where a QuickBooks Online user opens a record of each kind (path and id parameter under the QuickBooks app).
const QUICKBOOKS_PATHS = {
  Customer: '/app/customerdetail?nameId=',
  Product: '/app/items?itemId=',
  Invoice: '/app/invoice?txnId=',
  CreditMemo: '/app/creditmemo?txnId=',
  SalesReceipt: '/app/salesreceipt?txnId=',
  Payment: '/app/recvpayment?txnId=',
};

/**
 * The object API name of a record kind ("Invoice" -> "Sales_Invoice__c"); an API name is returned as is.
 * @param {String} recordType
 * @return {String|null}
 */
export function objectApiNameOf(recordType) {
  if (!recordType) {
    return null;
  }
  if (/__c$/.test(recordType)) {
    return recordType;
  }
  return OBJECT_BY_RECORD_TYPE[recordType] || null;
}

/**
 * A standard__recordPage reference for the navigation service, or null when the record cannot be opened.
 * @param {String} recordId a Salesforce record id
 * @param {String} recordType a record kind ("Invoice") or an object API name
 * @return {Object|null}
 */
export function recordPageReference(recordId, recordType) {
  const objectApiName = objectApiNameOf(recordType);
  if (!recordId || !objectApiName || !/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(recordId)) {
    return null;
  }
  return { type: 'standard__recordPage', attributes: { recordId, objectApiName, actionName: 'view' } };
}

/**
 * The QuickBooks Online page of a record, or null.
 * @param {String} appUrl the QuickBooks app's origin (production or sandbox)
 * @param {String} recordType "Customer", "Product", "Invoice", "CreditMemo", "SalesReceipt" or "Payment"
 * @param {String} quickBooksId the QuickBooks Id
 * @return {String|null}
 */
export function quickBooksRecordUrl(appUrl, recordType, quickBooksId) {
  const path = QUICKBOOKS_PATHS[recordType];
  if (!appUrl || !path || !quickBooksId) {
    return null;
  }
  return `${String(appUrl).replace(/\/$/, '')}${path}${encodeURIComponent(quickBooksId)}`;
}

/**
 * What the export component tells the page about a run, on the Ledgerline Export Run message channel.
 * @param {Object} run a run status from getRunStatus
 * @return {Object} the message (runId, companyId, status, phase, dryRun, finished, processLogId, counts)
 */
export function runMessage(run) {
  const r = run || {};
  return {
    runId: r.runId || null,
    companyId: r.companyId || null,
    status: r.status || null,
    phase: r.phase || null,
    dryRun: r.dryRun === true,
    finished: r.finished === true,
    processLogId: r.processLogId || null,
    counts: r.counts || null,
  };
}

// Process_Log__c.Status__c values; the service's run statuses are the same words in snake_case.
const STATUSES = {
  running: { label: STATUS_RUNNING, badgeClass: 'slds-badge_inverse' },
  succeeded: { label: STATUS_SUCCEEDED, badgeClass: 'slds-theme_success' },
  completed_with_errors: { label: STATUS_COMPLETED_WITH_ERRORS, badgeClass: 'slds-theme_warning' },
  failed: { label: STATUS_FAILED, badgeClass: 'slds-theme_error' },
};

/**
 * The badge of a run's status.
 * @param {String} status "Completed With Errors" (the picklist) or "completed_with_errors"
 * @return {{label: String, badgeClass: String}}
 */
export function runStatus(status) {
  const key = String(status || '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '_');
  return STATUSES[key] || { label: status || '', badgeClass: '' };
}

// One way to show a moment on every Ledgerline page, in the user's locale and time zone (their Salesforce settings):
// the same options go to lightning-formatted-date-time and the datatables' date columns.
export const DATE_TIME_OPTIONS = Object.freeze({ year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
export const TIME_OPTIONS = Object.freeze({ hour: '2-digit', minute: '2-digit', second: '2-digit' });

function dateTimeFormat(options) {
  try {
    return new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: TIME_ZONE });
  } catch {
    // A locale or zone the browser does not know: its own.
    return new Intl.DateTimeFormat(undefined, options);
  }
}

/**
 * A moment as the user reads dates ("Nov 24, 2025, 03:02:11 PM" for en-US).
 * @param {String|Number|Date} value an ISO 8601 date-time (or anything Date takes)
 * @param {Object} [options] Intl options; default DATE_TIME_OPTIONS
 * @return {String} the text, or '' for no value
 */
export function formatDateTime(value, options = DATE_TIME_OPTIONS) {
  if (value === null || value === undefined || value === '') {
    return '';
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateTimeFormat(options).format(date);
}

/**
 * The time of a moment ("03:02:11 PM"), for a time later today.
 * @param {String|Number|Date} value
 * @return {String}
 */
export function formatTime(value) {
  return formatDateTime(value, TIME_OPTIONS);
}
