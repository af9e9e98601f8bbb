/**
 * @description QuickBooks Desktop: an invoice QuickBooks accepted cannot be deleted in Salesforce (validation rules
 * cannot stop deletes). See AcceptedInvoiceLock.
 */
trigger SalesInvoiceLock on Sales_Invoice__c(before delete) {
  AcceptedInvoiceLock.refuseInvoiceDeletes(Trigger.old);
}
