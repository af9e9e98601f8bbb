// Stand-in for @salesforce/apex/SalesInvoiceExportController.startExport (see ../ledgerlineApi.js).
export { startExport as default } from '../ledgerlineApi.js';
