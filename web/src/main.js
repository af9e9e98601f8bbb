/* global document */
// The harness page: mounts the force-app components, unchanged, into a Lightning-like layout.
// Synthetic shadow first, as on the Salesforce platform, so the global SLDS stylesheet reaches
// inside the components.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import SalesInvoiceExport from 'c/salesInvoiceExport';
import ProcessLogViewer from 'c/processLogViewer';

function mount(regionId, tagName, ctor) {
  const region = document.getElementById(regionId);
  if (!region) return null;
  const element = createElement(tagName, { is: ctor });
  region.appendChild(element);
  return element;
}

// The same two components, in the same order, as the Sales_Invoice_Export flexipage's main region.
mount('region-export', 'c-sales-invoice-export', SalesInvoiceExport);
mount('region-process-log', 'c-process-log-viewer', ProcessLogViewer);
document.documentElement.dataset.ledgerlineReady = 'true';
