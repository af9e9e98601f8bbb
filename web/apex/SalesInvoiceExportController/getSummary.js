// Stand-in for @salesforce/apex/SalesInvoiceExportController.getSummary (see ../ledgerlineApi.js).
export { getSummary as default } from '../ledgerlineApi.js';
