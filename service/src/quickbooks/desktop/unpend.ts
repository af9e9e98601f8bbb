// Un-pending: an invoice queued for QuickBooks Desktop goes back to Not Exported — unless QuickBooks already
// accepted it (then it is locked: no unpend, no edit; seed 003) or the Web Connector is handing it to QuickBooks
// at this moment. Salesforce's validation rule guards edits in the org; this is the service's own guard.
import { LedgerlineError, notFound } from '../../errors';
import { PENDING_SYNC } from '../../export/model';
import type { ExportService } from '../../export/service';
import type { SalesforceRepository } from '../../salesforce/repository';
import type { JournalRepository } from '../../store/types';
import type { DesktopTransport } from './transport';

export interface UnpendResult {
  invoiceId: string;
  invoiceNumber: string;
  exportStatus: 'Not Exported';
  /** It was waiting in the Web Connector's queue and was taken off it. */
  takenOffQueue: boolean;
}

export interface UnpendDeps {
  exports: Pick<ExportService, 'company'>;
  salesforce: Pick<SalesforceRepository, 'invoiceState' | 'updateOne'>;
  journal: JournalRepository;
  transport: DesktopTransport;
}

export async function unpendInvoice(deps: UnpendDeps, companyId: string, invoiceId: string): Promise<UnpendResult> {
  const company = await deps.exports.company(companyId);
  if (company.accountingSystem !== 'Desktop') {
    throw new LedgerlineError('NOT_DESKTOP', `${company.name} exports to QuickBooks Online, where invoices are not queued: there is nothing to un-pend.`, {
      status: 400,
    });
  }
  const invoice = await deps.salesforce.invoiceState(invoiceId);
  if (!invoice || invoice.Company__c !== company.id) throw notFound(`Sales Invoice ${invoiceId} of ${company.name}`);
  const known = (await deps.journal.getMany(company.id, 'invoice', [invoice.Id])).get(invoice.Id);
  const accepted = invoice.Transferred__c || invoice.Financial_System_Invoice_Id__c || (known && (known.state === 'created' || known.state === 'written_back'));
  if (accepted) {
    const txn = invoice.Financial_System_Invoice_Id__c ?? known?.targetId;
    throw new LedgerlineError(
      'INVOICE_LOCKED',
      `Invoice ${invoice.Name} was accepted by QuickBooks${txn ? ` (transaction ${txn})` : ''} and is locked: it can no longer be un-pended or edited.`,
      {
        status: 409,
        fix: 'Make any change to this invoice in QuickBooks Desktop.',
      },
    );
  }
  if (invoice.Export_Status__c !== PENDING_SYNC) {
    throw new LedgerlineError(
      'NOT_PENDING',
      `Invoice ${invoice.Name} is not waiting for QuickBooks (its Export Status is ${invoice.Export_Status__c ?? 'empty'}).`,
      {
        status: 409,
        fix: 'Only invoices whose Export Status is Pending Sync can be un-pended.',
      },
    );
  }
  const taken = await deps.transport.withdraw(company.id, invoice.Id);
  if (taken === 'handedOut') {
    throw new LedgerlineError(
      'INVOICE_IN_TRANSIT',
      `The Web Connector is handing invoice ${invoice.Name} to QuickBooks right now, so it cannot be un-pended.`,
      {
        status: 409,
        fix: 'Wait for the Web Connector run to finish: if QuickBooks accepted the invoice it is locked; otherwise un-pend it then.',
      },
    );
  }
  await deps.salesforce.updateOne('Sales_Invoice__c', invoice.Id, { Export_Status__c: 'Not Exported', Last_Export_Error__c: null });
  return { invoiceId: invoice.Id, invoiceNumber: invoice.Name, exportStatus: 'Not Exported', takenOffQueue: taken === 'withdrawn' };
}
