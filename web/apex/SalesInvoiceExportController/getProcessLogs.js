// Stand-in for @salesforce/apex/SalesInvoiceExportController.getProcessLogs (see ../ledgerlineApi.js).
export { getProcessLogs as default } from '../ledgerlineApi.js';
