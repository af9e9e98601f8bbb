import { LightningElement, api } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getReconciliation from '@salesforce/apex/ReconciliationController.getReconciliation';
import { formatLabel, quickBooksRecordUrl, recordPageReference } from 'c/ledgerlineUtils';

import TITLE from '@salesforce/label/c.RCV_Title';
import HELP from '@salesforce/label/c.RCV_Help';
import FROM_LABEL from '@salesforce/label/c.RCV_From';
import TO_LABEL from '@salesforce/label/c.RCV_To';
import RECONCILE from '@salesforce/label/c.RCV_Reconcile';
import READING from '@salesforce/label/c.RCV_Reading';
import TOTALS from '@salesforce/label/c.RCV_Totals';
import SIDE_SALESFORCE from '@salesforce/label/c.RCV_Side_Salesforce';
import SIDE_QUICKBOOKS from '@salesforce/label/c.RCV_Side_QuickBooks';
import ROW_INVOICES from '@salesforce/label/c.RCV_Row_Invoices';
import ROW_CREDIT_MEMOS from '@salesforce/label/c.RCV_Row_Credit_Memos';
import ROW_PAYMENTS from '@salesforce/label/c.RCV_Row_Payments';
import ROW_OPEN_BALANCE from '@salesforce/label/c.RCV_Row_Open_Balance';
import COUNT_TOTAL from '@salesforce/label/c.RCV_Count_Total';
import NOTHING_DIFFERS from '@salesforce/label/c.RCV_Nothing_Differs';
import DIFFERENCES from '@salesforce/label/c.RCV_Differences';
import COLUMN_DIFFERENCE from '@salesforce/label/c.RCV_Column_Difference';
import COLUMN_SALES_INVOICE from '@salesforce/label/c.RCV_Column_Sales_Invoice';
import COLUMN_QUICKBOOKS from '@salesforce/label/c.RCV_Column_QuickBooks';
import COLUMN_VALUES from '@salesforce/label/c.RCV_Column_Values';
import COLUMN_CAUSE from '@salesforce/label/c.RCV_Column_Cause';
import FIX from '@salesforce/label/c.RCV_Fix';
import NONE from '@salesforce/label/c.RCV_None';
import READS from '@salesforce/label/c.RCV_Reads';
import NOT_COMPARED from '@salesforce/label/c.RCV_Not_Compared';
import KIND_MISSING_IN_QUICKBOOKS from '@salesforce/label/c.RCV_Kind_Missing_In_QuickBooks';
import KIND_MISSING_IN_SALESFORCE from '@salesforce/label/c.RCV_Kind_Missing_In_Salesforce';
import KIND_AMOUNT_DIFFERENT from '@salesforce/label/c.RCV_Kind_Amount_Different';
import KIND_DATE_DIFFERENT from '@salesforce/label/c.RCV_Kind_Date_Different';
import KIND_CUSTOMER_DIFFERENT from '@salesforce/label/c.RCV_Kind_Customer_Different';
import KIND_LINKED_TWICE from '@salesforce/label/c.RCV_Kind_Linked_Twice';
import KIND_VOIDED_IN_QUICKBOOKS from '@salesforce/label/c.RCV_Kind_Voided_In_QuickBooks';
import KIND_DELETED_IN_QUICKBOOKS from '@salesforce/label/c.RCV_Kind_Deleted_In_QuickBooks';

const KINDS = {
  missing_in_quickbooks: KIND_MISSING_IN_QUICKBOOKS,
  missing_in_salesforce: KIND_MISSING_IN_SALESFORCE,
  amount_different: KIND_AMOUNT_DIFFERENT,
  date_different: KIND_DATE_DIFFERENT,
  customer_different: KIND_CUSTOMER_DIFFERENT,
  linked_twice: KIND_LINKED_TWICE,
  voided_in_quickbooks: KIND_VOIDED_IN_QUICKBOOKS,
  deleted_in_quickbooks: KIND_DELETED_IN_QUICKBOOKS,
};
/** The QuickBooks Online page of each document form. */
const QUICKBOOKS_TYPE = { invoice: 'Invoice', creditMemo: 'CreditMemo', salesReceipt: 'SalesReceipt' };

const isoDate = (d) => d.toISOString().slice(0, 10);
const money = (value) => (Number.isFinite(value) ? value.toFixed(2) : '');

/**
 * The Company's Sales Invoices against QuickBooks Online for a period: both books' totals side by side, then every
 * record that differs — linked to its Sales Invoice and its QuickBooks document — with the cause and the fix, and
 * the QuickBooks reads it used. It reads only when asked (Reconcile): QuickBooks reads are metered.
 */
export default class ReconciliationView extends NavigationMixin(LightningElement) {
  /** Where QuickBooks Online opens records: https://app.qbo.intuit.com, or https://app.sandbox.qbo.intuit.com. */
  @api quickBooksAppUrl = 'https://app.qbo.intuit.com';

  labels = {
    title: TITLE,
    help: HELP,
    from: FROM_LABEL,
    to: TO_LABEL,
    reconcile: RECONCILE,
    reading: READING,
    salesforce: SIDE_SALESFORCE,
    quickbooks: SIDE_QUICKBOOKS,
    columnDifference: COLUMN_DIFFERENCE,
    columnSalesInvoice: COLUMN_SALES_INVOICE,
    columnQuickBooks: COLUMN_QUICKBOOKS,
    columnValues: COLUMN_VALUES,
    columnCause: COLUMN_CAUSE,
    fix: FIX,
    nothingDiffers: NOTHING_DIFFERS,
  };
  fromDate;
  toDate;
  isLoading = false;
  error;
  result;
  differences = [];

  connectedCallback() {
    // The last three calendar months up to today, by default.
    const today = new Date();
    this.toDate = isoDate(today);
    this.fromDate = isoDate(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 2, 1)));
  }

  handleFromChange(event) {
    this.fromDate = event.target.value;
  }

  handleToChange(event) {
    this.toDate = event.target.value;
  }

  get reconcileDisabled() {
    return this.isLoading || !this.fromDate || !this.toDate;
  }

  async handleReconcile() {
    this.isLoading = true;
    this.error = undefined;
    try {
      const result = await getReconciliation({ fromDate: this.fromDate, toDate: this.toDate });
      this.differences = await Promise.all((result.differences || []).map((d, index) => this.row(d, index)));
      this.result = result;
    } catch (error) {
      this.error = error;
      this.result = undefined;
      this.differences = [];
    } finally {
      this.isLoading = false;
    }
  }

  async row(d, index) {
    const reference = d.salesforce ? recordPageReference(d.salesforce.id, 'Sales_Invoice__c') : null;
    const other = d.otherSalesforce ? recordPageReference(d.otherSalesforce.id, 'Sales_Invoice__c') : null;
    const qb = (record) => {
      if (!record) {
        return null;
      }
      return { label: record.docNumber || record.id, url: quickBooksRecordUrl(this.quickBooksAppUrl, QUICKBOOKS_TYPE[record.form], record.id) };
    };
    return {
      key: `${d.kind}-${index}`,
      kindLabel: KINDS[d.kind] || d.kind,
      salesforce: d.salesforce ? { label: d.salesforce.name, url: reference ? await this[NavigationMixin.GenerateUrl](reference) : null } : null,
      otherSalesforce: d.otherSalesforce ? { label: d.otherSalesforce.name, url: other ? await this[NavigationMixin.GenerateUrl](other) : null } : null,
      quickbooks: qb(d.quickbooks),
      otherQuickbooks: qb(d.otherQuickbooks),
      values: `${d.salesforceValue ?? NONE} / ${d.quickbooksValue ?? NONE}`,
      cause: d.cause,
      fix: d.fix,
    };
  }

  get totalsCaption() {
    return this.result ? formatLabel(TOTALS, this.result.period.fromDate, this.result.period.toDate) : '';
  }

  get totalsRows() {
    const sf = this.result.totals.salesforce;
    const qb = this.result.totals.quickbooks;
    const counted = (a) => formatLabel(COUNT_TOTAL, a.count, money(a.total));
    const rows = [
      { key: 'invoices', label: ROW_INVOICES, salesforce: counted(sf.invoices), quickbooks: counted(qb.invoices) },
      { key: 'creditMemos', label: ROW_CREDIT_MEMOS, salesforce: counted(sf.creditMemos), quickbooks: counted(qb.creditMemos) },
      { key: 'payments', label: ROW_PAYMENTS, salesforce: money(sf.payments.total), quickbooks: money(qb.payments.total) },
      { key: 'openBalance', label: ROW_OPEN_BALANCE, salesforce: money(sf.openBalance), quickbooks: money(qb.openBalance) },
    ];
    return rows.map((r) => ({ ...r, rowClass: r.salesforce === r.quickbooks ? '' : 'slds-text-color_error' }));
  }

  get hasDifferences() {
    return this.differences.length > 0;
  }

  get differencesHeading() {
    return formatLabel(DIFFERENCES, this.differences.length);
  }

  get readsText() {
    return this.result ? formatLabel(READS, this.result.reads.quickbooks, this.result.reads.used) : '';
  }

  get notComparedText() {
    const n = this.result && this.result.notCompared;
    return n && n.count ? formatLabel(NOT_COMPARED, n.count, money(n.total)) : null;
  }
}
