// The org as the export's source: companies, counts and paged records, mapped into the export's own terms.
import type { CompanyModel, ExportOptions, RecordScope } from '../export/model';
import type { SourceRates } from '../export/plan/currency';
import { MAPPED_OBJECT, type SourceFieldMapping, type SourceFieldType } from '../export/plan/fieldMappings';
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
    // A run of some invoices (or of named records) sends their customers only, unless the company sends every customer.
    const filtered = Boolean(options.invoiceNumbers || options.fromDate || options.toDate || options.pendingOnly || options.scope);
    const [base, invoices, customers] = await Promise.all([
      this.repo.exportCounts(record(company), company.exportsPayments, options.scope),
      filtered ? this.repo.countInvoices(record(company), { ...options, records: options.scope?.records }) : null,
      filtered && !options.scope && company.customerScope !== 'all' ? this.repo.countCustomers(record(company), options) : null,
    ]);
    const payments = base.payments;
    return {
      customers: customers ?? base.customers,
      products: base.products,
      invoices: invoices ?? base.invoices,
      creditMemos: base.creditMemos,
      ...(payments === undefined ? {} : { payments }),
    };
  }

  async *payments(company: CompanyModel, scope?: RecordScope) {
    const c = record(company);
    for await (const page of this.repo.paymentsToExport(c, scope?.records)) yield page.map((p) => toPayment(p, c));
  }

  async *creditApplications(company: CompanyModel, scope?: RecordScope) {
    const c = record(company);
    for await (const page of this.repo.creditApplications(c, scope?.records)) yield page.map((a) => toCreditApplication(a, c));
  }

  async *customers(company: CompanyModel, options: Omit<ExportOptions, 'dryRun'> = {}) {
    const c = record(company);
    const { scope } = options;
    const ids = scope && [...scope.records, ...scope.customers];
    for await (const page of this.repo.customersToExport(c, options, ids)) yield page.map((r) => toCustomer(r, c));
  }

  customerIdsToExport(company: CompanyModel): Promise<string[]> {
    return this.repo.customerIdsToExport(record(company));
  }

  async *products(company: CompanyModel, scope?: RecordScope) {
    for await (const page of this.repo.productsToExport(record(company), scope && [...scope.records, ...scope.products])) yield page.map(toProduct);
  }

  async *invoices(company: CompanyModel, options: Omit<ExportOptions, 'dryRun'>, mappedFields: string[] = []) {
    const c = record(company);
    const filter = options.scope ? { ...options, records: options.scope.records } : options;
    for await (const page of this.repo.invoicesToExport(c, filter, mappedFields)) yield page.map((i) => toInvoice(i, c));
  }

  /** The named records, and the customers and products the company's invoices among them name. */
  async recordScope(company: CompanyModel, records: string[]): Promise<RecordScope> {
    const needs = await this.repo.needsOf(record(company), records);
    return { records, ...needs };
  }

  async *editedPayments(company: CompanyModel, since: Date) {
    const c = record(company);
    for await (const page of this.repo.paymentsEditedSince(c, since)) yield page.map((p) => toPayment(p, c));
  }

  async *editedInvoices(company: CompanyModel, since: Date, alsoIds: string[] = []) {
    const c = record(company);
    for await (const page of this.repo.invoicesEditedSince(c, since, alsoIds)) yield page.map((i) => toInvoice(i, c));
  }

  /** The active mappings for the company (its own and every company's), typed from the object's describe. */
  async fieldMappings(company: CompanyModel): Promise<SourceFieldMapping[]> {
    const mine = (await this.repo.fieldMappings()).filter((m) => !m.Company__c?.trim() || m.Company__c.trim().toLowerCase() === company.name.toLowerCase());
    if (!mine.length) return [];
    const typesByObject = new Map<string, Map<string, string>>();
    const out: SourceFieldMapping[] = [];
    for (const m of mine) {
      const object = m.Object__c?.trim() || MAPPED_OBJECT;
      const field = m.Salesforce_Field__c?.trim() ?? '';
      let types = typesByObject.get(object.toLowerCase());
      if (!types && object.toLowerCase() === MAPPED_OBJECT.toLowerCase()) {
        types = await this.repo.fieldTypes(MAPPED_OBJECT);
        typesByObject.set(object.toLowerCase(), types);
      }
      const type = types?.get(field.toLowerCase());
      out.push({ name: m.DeveloperName, object, field, fieldType: type ? fieldType(type) : null, quickBooksField: m.QuickBooks_Field__c?.trim() ?? '' });
    }
    return out;
  }

  async exchangeRates(currencies: string[]): Promise<SourceRates | null> {
    const found = await this.repo.datedRates(currencies);
    if (!found) return null;
    return { corporate: found.corporate, dated: found.rates.map((r) => ({ currency: r.IsoCode, rate: r.ConversionRate, startDate: r.StartDate })) };
  }

  firstInvoiceCurrencies(company: CompanyModel, customerIds: string[]): Promise<Map<string, string>> {
    return this.repo.firstInvoiceCurrencies(record(company), customerIds);
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

/** A describe type as far as mapping goes. */
function fieldType(describeType: string): SourceFieldType {
  switch (describeType) {
    case 'email':
      return 'email';
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
    case 'long':
      return 'number';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'boolean':
      return 'boolean';
    default:
      return 'text';
  }
}

/** The fields the repository's queries filter a company by. */
function record(company: CompanyModel): CompanyRef {
  return {
    Id: company.id,
    QuickBooks_Primary_Company__c: company.primary,
    customerIdsShared: company.customerIdsShared,
    customerScope: company.customerScope,
    Invoice_Status_Filter__c: company.statusFilter.join(','),
  };
}

/** Salesforce ids compare by their case-sensitive 15-character form; an 18-character id adds a checksum. */
function sameId(id: string, other: string): boolean {
  return /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(other) && id.slice(0, 15) === other.slice(0, 15);
}
