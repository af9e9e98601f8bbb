// The org as the export's source: companies, counts and paged records, mapped into the export's own terms.
import type { CompanyModel, ExportOptions } from '../export/model';
import type { ExportCounts, SourcePort } from '../export/ports';
import { toCompany, toCreditApplication, toCustomer, toInvoice, toPayment, toProduct } from './mapping';
import type { CompanyRef, SalesforceRepository } from './repository';

export class SalesforceSource implements SourcePort {
  constructor(private readonly repo: SalesforceRepository) {}

  async companies(): Promise<CompanyModel[]> {
    const all = await this.repo.listCompanies();
    return all.map((c) => toCompany(c, all));
  }

  /** By Id (15 or 18 characters) or exact Name; read with the others, which decide whether its customer ids are its own. */
  async company(idOrName: string): Promise<CompanyModel | null> {
    const all = await this.repo.listCompanies();
    const found = all.find((c) => sameId(c.Id, idOrName)) ?? all.find((c) => c.Name.toLowerCase() === idOrName.toLowerCase());
    return found ? toCompany(found, all) : null;
  }

  async counts(company: CompanyModel, options: Omit<ExportOptions, 'dryRun'> = {}): Promise<ExportCounts> {
    const [base, invoices] = await Promise.all([
      this.repo.exportCounts(record(company), company.exportsPayments),
      options.invoiceNumbers?.length || options.fromDate || options.toDate || options.pendingOnly ? this.repo.countInvoices(record(company), options) : null,
    ]);
    const payments = base.payments;
    return {
      customers: base.customers,
      products: base.products,
      invoices: invoices ?? base.invoices,
      creditMemos: base.creditMemos,
      ...(payments === undefined ? {} : { payments }),
    };
  }

  async *payments(company: CompanyModel) {
    const c = record(company);
    for await (const page of this.repo.paymentsToExport(c)) yield page.map((p) => toPayment(p, c));
  }

  async *creditApplications(company: CompanyModel) {
    const c = record(company);
    for await (const page of this.repo.creditApplications(c)) yield page.map((a) => toCreditApplication(a, c));
  }

  async *customers(company: CompanyModel) {
    for await (const page of this.repo.customersToExport(record(company))) yield page.map(toCustomer);
  }

  async *products(company: CompanyModel) {
    for await (const page of this.repo.productsToExport(record(company))) yield page.map(toProduct);
  }

  async *invoices(company: CompanyModel, options: Omit<ExportOptions, 'dryRun'>) {
    const c = record(company);
    for await (const page of this.repo.invoicesToExport(c, options)) yield page.map((i) => toInvoice(i, c));
  }

  pendingCount(company: CompanyModel): Promise<number> {
    return this.repo.countInvoices(record(company), { pendingOnly: true });
  }

  async requestedInvoices(numbers: string[]) {
    return (await this.repo.invoicesByNumber(numbers)).map((r) => ({
      id: r.Id,
      number: r.Name,
      companyId: r.Company__c,
      approved: r.Approved__c,
      transferred: r.Transferred__c,
    }));
  }
}

/** The fields the repository's queries filter a company by. */
function record(company: CompanyModel): CompanyRef {
  return {
    Id: company.id,
    QuickBooks_Primary_Company__c: company.primary,
    customerIdsShared: company.customerIdsShared,
    Invoice_Status_Filter__c: company.statusFilter.join(','),
  };
}

/** Salesforce ids compare by their case-sensitive 15-character form; an 18-character id adds a checksum. */
function sameId(id: string, other: string): boolean {
  return /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(other) && id.slice(0, 15) === other.slice(0, 15);
}
