// The local page: mounts the force-app components, unchanged, into a Lightning-like layout — the Sales Invoice Export
// app page (as the Sales_Invoice_Export flexipage), the Process Log tab (the log and the Reconciliation view), and record pages (as the
// Process_Log_Record_Page flexipage for a Process Log). Synthetic shadow first, as on the Salesforce platform, so
// the global SLDS stylesheet reaches inside the components.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import SalesInvoiceExport from 'c/salesInvoiceExport';
import ProcessLogViewer from 'c/processLogViewer';
import ReconciliationView from 'c/reconciliationView';
import ViewAs from 'harness/viewAs';
import RecordPage from 'harness/recordPage';

const config = window.__LEDGERLINE__ || {};

function mount(regionId, tagName, ctor, props = {}) {
  const region = document.getElementById(regionId);
  if (!region) return null;
  const element = createElement(tagName, { is: ctor });
  Object.assign(element, props);
  region.appendChild(element);
  return element;
}

function setPageTitle(text) {
  document.title = `${text} | Ledgerline`;
  document.querySelectorAll('[data-page-title]').forEach((node) => {
    node.textContent = text;
    node.setAttribute('title', text);
  });
}

function markNav(key) {
  document.querySelectorAll('[data-nav]').forEach((item) => {
    const active = item.getAttribute('data-nav') === key;
    item.classList.toggle('slds-is-active', active);
    const link = item.querySelector('a');
    if (link) {
      if (active) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  });
}

const user = config.currentUser || {};
const avatar = document.querySelector('[data-id="avatar"]');
if (avatar && user.name) {
  avatar.textContent = user.name
    .split(/\s+/)
    .map((part) => part.charAt(0))
    .join('')
    .slice(0, 2)
    .toUpperCase();
  avatar.setAttribute('title', user.name);
}
mount('view-as', 'harness-view-as', ViewAs);

const viewerProps = config.quickBooksAppUrl ? { quickBooksAppUrl: config.quickBooksAppUrl } : {};
if (config.page === 'processLogs') {
  setPageTitle('Process Logs');
  markNav('processLogs');
  mount('region-main', 'c-process-log-viewer', ProcessLogViewer, viewerProps);
  // The Process Log tab's Reconciliation view: Salesforce against QuickBooks for a period.
  mount('region-second', 'c-reconciliation-view', ReconciliationView, viewerProps);
} else if (config.page === 'record') {
  document.getElementById('page-header').hidden = true;
  markNav(config.objectApiName === 'Process_Log__c' ? 'processLogs' : '');
  mount('region-main', 'harness-record-page', RecordPage, { objectApiName: config.objectApiName, recordId: config.recordId });
  if (config.objectApiName === 'Process_Log__c') {
    mount('region-second', 'c-process-log-viewer', ProcessLogViewer, { ...viewerProps, recordId: config.recordId });
  }
  setPageTitle(config.objectApiName === 'Process_Log__c' ? 'Process Log' : config.objectApiName);
} else {
  setPageTitle('Sales Invoice Export');
  markNav('export');
  // The same components, in the same order, as the Sales_Invoice_Export flexipage's main region.
  mount('region-main', 'c-sales-invoice-export', SalesInvoiceExport);
  mount('region-second', 'c-process-log-viewer', ProcessLogViewer, viewerProps);
  mount('region-second', 'c-reconciliation-view', ReconciliationView, viewerProps);
}
document.documentElement.dataset.ledgerlineReady = 'true';
