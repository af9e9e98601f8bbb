// Stand-in for @salesforce/apex/SalesInvoiceExportController.getRunStatus (see ../ledgerlineApi.js).
export { getRunStatus as default } from '../ledgerlineApi.js';
