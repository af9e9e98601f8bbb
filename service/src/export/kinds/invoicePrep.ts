// What an invoice carries beyond its lines, settled for a page of invoices before their documents are built: the
// customer for its currency (a second "Name (EUR)" customer when the company wants one), the exchange rate, sales tax
// per kind of company, classes and locations by name (created when missing, when the company allows), and the values
// of the admin field mappings. Reads and creates in the target happen here, once per page; the decisions are pure.
import { createHash } from 'node:crypto';
import * as entry from '../entries';
import type { SourceInvoice } from '../model';
import { decideInvoiceCustomer, depositAccountRefusal } from '../plan/currency';
import { applyMappings, type MappedFields } from '../plan/fieldMappings';
import { salesForm } from '../plan/invoices';
import { lineTaxCodes, parseTaxCodeMapping, type TaxMode } from '../plan/tax';
import { namesNeeded, trackedNames, trackingRefs, type TrackedNames } from '../plan/tracking';
import type { AddressDoc, InvoiceDoc } from '../target';
import { PLANNED, type RunContext } from './context';

export interface InvoiceExtras {
  /** The customer to invoice instead of the linked one (its second customer in the invoice's currency). */
  customerId?: string;
  taxMode: TaxMode;
  exchangeRate?: number;
  shipTo?: AddressDoc;
  lineTaxCodes?: string[];
  /** The tax code of lines the source does not have (header charges): the company's non-taxable one. */
  chargeTaxCode?: string;
  classId?: string;
  lineClassIds?: (string | null)[];
  locationId?: string;
  /** For a target that takes classes by name. */
  className?: string;
  mapped: MappedFields;
  shortened: string[];
  entries: entry.LogEntry[];
}

export type InvoicePrep = { ok: true; extras: InvoiceExtras } | { ok: false; message: string; fix: string };

const refuse = (message: string, fix: string): InvoicePrep => ({ ok: false, message, fix });

function address(a: SourceInvoice['shipTo']): AddressDoc | undefined {
  if (!a) return undefined;
  const out: AddressDoc = {};
  if (a.street) out.line1 = a.street;
  if (a.city) out.city = a.city;
  if (a.state) out.state = a.state;
  if (a.postalCode) out.postalCode = a.postalCode;
  if (a.country) out.country = a.country;
  return Object.keys(out).length ? out : undefined;
}

/** Same content, same key: a second customer created by a run that was cut off is not created twice. */
function secondCustomerKey(scope: string, name: string, currency: string): string {
  return `s-${createHash('sha256')
    .update(JSON.stringify([scope, name, currency]))
    .digest('base64url')
    .slice(0, 40)}`;
}

/** Everything each invoice of a page needs beyond its lines, keyed by invoice id. */
export async function prepareInvoices(run: RunContext, page: SourceInvoice[]): Promise<Map<string, InvoicePrep>> {
  const { settings, company } = run;
  const multi = settings.multiCurrency && run.target.capabilities?.currencies === true;
  const taxMode: TaxMode = settings.salesTax ?? 'total';
  const currencyOf = (i: SourceInvoice) => i.currency ?? company.currency ?? settings.homeCurrency;
  if (multi) await run.rates.load(page.map(currencyOf));
  const tracking = new Map(
    page.map((i) => [i.id, trackedNames(i, { classTracking: settings.classTracking ?? 'off', trackLocations: settings.trackLocations ?? false })]),
  );
  const trackEntries = await ensureTracking(run, [...tracking.values()]);
  const codes = taxMode === 'codes' ? await run.lookups.codes() : new Map<string, string>();
  const taxMapping = parseTaxCodeMapping(company.taxCodes?.mapping ?? null);
  const depositCurrency = multi && company.salesReceipts ? await run.lookups.depositCurrency() : null;
  // A target that keeps no lists to match takes classes by name (and answers for a name it lacks).
  const byName = run.target.capabilities?.trackingLists !== true;
  const tracked = (settings.classTracking ?? 'off') !== 'off' || settings.trackLocations;
  const lists = tracked && !byName ? await run.lookups.trackingLists() : null;
  const seconds: { invoiceId: string; name: string; currency: string }[] = [];
  const preps = new Map<string, InvoicePrep>();
  for (const invoice of page) {
    const currency = currencyOf(invoice);
    const names = tracking.get(invoice.id)!;
    const extras: InvoiceExtras = { taxMode, mapped: {}, shortened: [], entries: [] };
    // Customer and currency.
    const linked = (invoice.customerId && run.customers.get(invoice.customerId)) || invoice.customerTargetId;
    const held = multi && linked && linked !== PLANNED ? run.customerBook.get(linked) : undefined;
    if (held) {
      const d = decideInvoiceCustomer({ number: invoice.number, currency }, held, {
        secondCustomerPerCurrency: company.customerPerCurrency === true,
        companyName: company.name,
        maxName: run.target.limits.displayName,
        findByName: (n) => run.customerBook.named(n),
      });
      if (d.kind === 'fail') {
        preps.set(invoice.id, refuse(d.message, d.fix));
        continue;
      }
      if (d.kind === 'second') {
        if (d.customerId) extras.customerId = d.customerId;
        else seconds.push({ invoiceId: invoice.id, name: d.name, currency });
      }
    }
    if (multi && currency !== settings.homeCurrency) {
      const rate = run.rates.rateOn(currency, invoice.date);
      if (rate) extras.exchangeRate = rate;
      if (salesForm(invoice, company) === 'salesReceipt' && company.depositAccount) {
        const refusal = depositAccountRefusal(
          `Invoice ${invoice.number}`,
          currency,
          settings.homeCurrency,
          { id: company.depositAccount, currency: depositCurrency },
          company.name,
        );
        if (refusal) {
          preps.set(invoice.id, refuse(refusal.message, refusal.fix));
          continue;
        }
      }
    }
    // Sales tax.
    if (taxMode === 'automated') extras.shipTo = address(invoice.shipTo);
    if (taxMode === 'codes') {
      const ctx = {
        companyName: company.name,
        mapping: taxMapping.map,
        quickBooksCodes: codes,
        defaultCode: company.taxCodes?.defaultCode ?? null,
        nonTaxableCode: company.taxCodes?.nonTaxableCode ?? null,
      };
      const lines = invoice.lines.map((l, i) => ({
        lineNo: l.lineNumber ?? i + 1,
        productName: l.productName,
        taxable: l.taxable,
        productCode: l.productTaxCode ?? null,
      }));
      const found = lineTaxCodes(invoice.number, invoice.customerTaxCode ?? null, lines, ctx);
      if (!found.ok) {
        preps.set(invoice.id, refuse(found.message, found.fix));
        continue;
      }
      extras.lineTaxCodes = found.codes;
      const hasCharges = [invoice.charges.freight, invoice.charges.handling, invoice.charges.packaging].some((c) => c);
      if (hasCharges) {
        const charge = lineTaxCodes(
          invoice.number,
          null,
          [{ lineNo: lines.length + 1, productName: 'header charges', taxable: false, productCode: null }],
          ctx,
        );
        if (!charge.ok) {
          preps.set(invoice.id, refuse(charge.message, charge.fix));
          continue;
        }
        extras.chargeTaxCode = charge.codes[0];
      }
    }
    // Classes and locations.
    if (names.untracked.length) extras.entries.push(entry.untracked({ id: invoice.id, name: invoice.number }, names.untracked));
    if (byName && names.className) extras.className = names.className;
    if (lists) {
      const refs = trackingRefs(invoice.number, names, lists, company.name);
      if (!refs.ok) {
        if (!(run.dryRun && company.createClassesAndLocations)) {
          preps.set(invoice.id, refuse(refs.message, refs.fix));
          continue;
        }
      } else {
        if (refs.classId) extras.classId = refs.classId;
        if (refs.lineClassIds.some(Boolean)) extras.lineClassIds = refs.lineClassIds;
        if (refs.locationId) extras.locationId = refs.locationId;
      }
    }
    // Admin field mappings.
    if (run.mappings.length) {
      const applied = applyMappings(run.mappings, invoice.mapped ?? {});
      extras.mapped = applied.fields;
      extras.shortened.push(...applied.shortened);
    }
    preps.set(invoice.id, { ok: true, extras });
  }
  await createSecondCustomers(run, seconds, preps, page);
  return attachRunEntries(preps, page, trackEntries);
}

/** Run-level entries (classes and locations created) go with the first invoice prepared on the page. */
function attachRunEntries(preps: Map<string, InvoicePrep>, page: SourceInvoice[], entries: entry.LogEntry[]): Map<string, InvoicePrep> {
  if (!entries.length) return preps;
  const first = page.map((i) => preps.get(i.id)).find((p): p is { ok: true; extras: InvoiceExtras } => p?.ok === true);
  first?.extras.entries.unshift(...entries);
  return preps;
}

/** Creates (or, in a dry run, names) the classes and locations the page needs that QuickBooks lacks. */
async function ensureTracking(run: RunContext, all: TrackedNames[]): Promise<entry.LogEntry[]> {
  const { classes, locations } = namesNeeded(all);
  if ((!classes.length && !locations.length) || !run.company.createClassesAndLocations || run.target.capabilities?.trackingLists !== true) return [];
  const lists = await run.lookups.trackingLists();
  const entries: entry.LogEntry[] = [];
  for (const [list, names, index] of [
    ['class', classes, lists.classes],
    ['location', locations, lists.locations],
  ] as const) {
    const missing = names.filter((n) => !index.has(n.toLowerCase()));
    if (!missing.length) continue;
    if (!run.dryRun && run.target.createTrackingNames) {
      for (const [name, id] of await run.target.createTrackingNames(list, missing, { runId: run.runId })) index.set(name, id);
    } else if (run.dryRun) {
      // A dry run plans them; the invoices that need them are planned as if they existed.
      for (const name of missing) index.set(name.toLowerCase(), PLANNED);
    }
    // A name QuickBooks refused stays missing: its invoices are refused naming it.
    const made = missing.filter((n) => index.has(n.toLowerCase()));
    if (made.length) entries.push(entry.trackingCreated(list, made, run.dryRun));
  }
  return entries;
}

/** Second customers for invoices in another currency, created in one call (a dry run only names them). */
async function createSecondCustomers(
  run: RunContext,
  seconds: { invoiceId: string; name: string; currency: string }[],
  preps: Map<string, InvoicePrep>,
  page: SourceInvoice[],
): Promise<void> {
  if (!seconds.length) return;
  const unique = [...new Map(seconds.map((s) => [s.name.toLowerCase(), s])).values()];
  const subjectOf = (invoiceId: string) => {
    const invoice = page.find((i) => i.id === invoiceId)!;
    return { id: invoice.customerId ?? invoice.id, name: invoice.customerName ?? invoice.number };
  };
  const ids = new Map<string, string>();
  const faults = new Map<string, string>();
  if (!run.dryRun) {
    const results = await run.target.create(
      'customer',
      unique.map((s) => ({ key: secondCustomerKey(run.target.scope, s.name, s.currency), doc: { displayName: s.name, currency: s.currency } })),
      { runId: run.runId },
    );
    results.forEach((r, i) => {
      const s = unique[i]!;
      if (r.ok) {
        ids.set(s.name.toLowerCase(), r.created.id);
        run.customerBook.add([{ id: r.created.id, name: s.name, currency: s.currency }]);
      } else faults.set(s.name.toLowerCase(), r.fault.message);
    });
  }
  const announced = new Set<string>();
  for (const s of seconds) {
    const prep = preps.get(s.invoiceId);
    if (!prep?.ok) continue;
    const key = s.name.toLowerCase();
    const fault = faults.get(key);
    if (fault) {
      preps.set(
        s.invoiceId,
        refuse(
          `Invoice ${subjectOf(s.invoiceId).name} was not exported: QuickBooks could not create its customer "${s.name}" in ${s.currency}: ${fault}`,
          'Correct what QuickBooks names (often another record already uses the name), then export again.',
        ),
      );
      continue;
    }
    const id = ids.get(key) ?? (run.dryRun ? PLANNED : undefined);
    if (id && id !== PLANNED) prep.extras.customerId = id;
    if (!announced.has(key)) prep.extras.entries.push(entry.secondCustomer(subjectOf(s.invoiceId), s.name, s.currency, id && id !== PLANNED ? id : null));
    announced.add(key);
  }
}

/** The built document with what the prep settled. */
export function withExtras(doc: InvoiceDoc, extras: InvoiceExtras, opts: { multiCurrency: boolean; overrideTax: boolean }): InvoiceDoc {
  const m = extras.mapped;
  const out: InvoiceDoc = {
    ...doc,
    ...(extras.customerId ? { customerId: extras.customerId } : {}),
    taxMode: extras.taxMode,
    lines: doc.lines.map((l, i) => ({
      ...l,
      ...(extras.lineTaxCodes ? { taxCode: extras.lineTaxCodes[i] ?? extras.chargeTaxCode } : {}),
      ...(extras.lineClassIds?.[i] ? { classId: extras.lineClassIds[i]! } : {}),
    })),
  };
  // Automated sales tax computes the tax; the source's amount goes only to override it.
  if (extras.taxMode === 'automated' && !opts.overrideTax) delete out.tax;
  if (opts.multiCurrency && extras.exchangeRate) out.exchangeRate = extras.exchangeRate;
  const shipTo = { ...(extras.shipTo ?? {}), ...(m.shipTo ?? {}) };
  if (Object.keys(shipTo).length) out.shipTo = shipTo;
  if (extras.classId) out.classId = extras.classId;
  if (extras.className) out.className = extras.className;
  if (extras.locationId) out.locationId = extras.locationId;
  if (m.customFields) out.customFields = m.customFields;
  if (m.shipDate) out.shipDate = m.shipDate;
  if (m.trackingNum) out.trackingNum = m.trackingNum;
  if (m.billEmail) out.billEmail = m.billEmail;
  if (m.poNumber) out.poNumber = m.poNumber;
  if (m.privateNote) out.privateNote = `${doc.privateNote.split('\n')[0]}\n${m.privateNote}`;
  if (m.customerMemo) out.customerMemo = doc.docNumber === null ? `Salesforce invoice ${doc.sourceNumber}\n${m.customerMemo}` : m.customerMemo;
  return out;
}
