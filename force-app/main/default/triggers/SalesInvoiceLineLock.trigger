/**
 * @description QuickBooks Desktop: a line of an invoice QuickBooks accepted cannot be deleted in Salesforce.
 * See AcceptedInvoiceLock.
 */
trigger SalesInvoiceLineLock on Sales_Invoice_Line__c(before delete) {
  AcceptedInvoiceLock.refuseLineDeletes(Trigger.old);
}
