// Customers through the pipeline: the target's customers and reserved names are loaded once; each source customer
// is matched (cascade), shares a customer created in this run, or is created — renamed once on a name clash the
// reserved names did not predict.
import { ReservedNames, RunCustomers } from '../../matching/customers';
import { emailKey } from '../../matching/names';
import * as entry from '../entries';
import type { SourceCustomer } from '../model';
import { decideCustomer, plannedCustomer, renameForClash, type CustomerPlanContext, type EmailDifference } from '../plan/customers';
import { customerCurrency } from '../plan/currency';
import { RENAME_REASON } from '../plan/decision';
import type { Creation, KindDescriptor, Planned } from '../descriptor';
import type { CreatedRecord, CustomerDoc } from '../target';
import { PLANNED, type RunContext } from './context';

interface Renaming {
  from: string;
  to: string;
  reason: entry.RenameReason;
}

/** Both emails are known and are not the same address. */
function differentEmails(a: string | null | undefined, b: string | null | undefined): boolean {
  return Boolean(emailKey(a) && emailKey(b) && emailKey(a) !== emailKey(b));
}

export function customerKind(run: RunContext): KindDescriptor<SourceCustomer, 'customer'> {
  // The target's customers and this run's planned ones share their keys: a created customer is not kept twice.
  const customers = new RunCustomers();
  const ctx: CustomerPlanContext = {
    index: customers.index,
    planned: customers.planned,
    reserved: new ReservedNames(),
    limits: run.target.limits,
    clashSuffix: run.company.clashSuffix ?? run.vendorClashSuffix,
    policy: run.company.customerMatch,
  };
  const link = (c: { id: string; name: string }, targetId: string) => {
    run.customers.set(c.id, targetId);
    return { kind: 'customer' as const, subject: c, targetId };
  };
  const differs = (c: SourceCustomer, targetId: string | undefined, name: string, d?: EmailDifference) =>
    d ? [entry.emailsDiffer(c, targetId, name, d.source, d.other)] : [];

  return {
    kind: 'customer',
    twins: true,
    subject: (c) => ({ id: c.id, name: c.name }),
    async prepare() {
      // Both lists at once: the first batches wait for them.
      await Promise.all([
        run.target.loadCustomers((rows) => {
          customers.add(rows);
          run.customerBook.add(rows);
        }),
        run.target.loadReservedNames((names) => ctx.reserved.add(names)),
      ]);
    },
    // A link a user cleared is decided again; the journal's links hold only while the matching setting allows them.
    sourceLink: run.company.customerIdsShared ? undefined : (c) => c.targetId ?? null,
    keepsLink: (c, targetId) => ctx.policy === 'cascade' || !differentEmails(c.email, customers.get(targetId)?.email),
    held: (ids) => new Set(ids.filter((id) => customers.has(id))),
    // With a shared id field every customer comes again each run: one this file already has is not news.
    quietEarlierLinks: run.company.customerIdsShared,
    async plan(page) {
      // Multicurrency: a customer without a currency of its own is created in its first invoice's.
      const withoutCurrency = run.firstInvoiceCurrencies ? page.filter((c) => !c.currency).map((c) => c.id) : [];
      const firstInvoice = withoutCurrency.length ? await run.firstInvoiceCurrencies!(withoutCurrency) : new Map<string, string>();
      const currencyOf = (c: SourceCustomer) =>
        run.firstInvoiceCurrencies ? customerCurrency(c.currency, firstInvoice.get(c.id), run.settings.homeCurrency) : undefined;
      return page.map((c): Planned<'customer'> => {
        const subject = { id: c.id, name: c.name };
        const d = decideCustomer(c, ctx);
        if (d.kind === 'match') {
          const how = { by: d.by, ambiguous: d.ambiguous } as const;
          const elsewhere = d.nameElsewhere
            ? [entry.nameElsewhere(subject, { email: c.email ?? '', targetId: d.targetId, name: d.name, other: d.nameElsewhere })]
            : [];
          const notes = [
            ...(d.emailDiffers ? [`emails differ: ${d.emailDiffers.source} and ${d.emailDiffers.other}`] : []),
            ...elsewhere.map((e) => e.message),
          ];
          return {
            subject,
            decision: {
              action: 'match',
              matchedBy: entry.matchWords(how),
              quickBooksId: d.targetId,
              quickBooksName: d.name,
              warnings: notes.length ? notes : undefined,
            },
            entries: [entry.matched('customer', subject, d.targetId, how), ...differs(c, d.targetId, d.name, d.emailDiffers), ...elsewhere],
            step: { type: 'link', targetId: d.targetId, update: link(c, d.targetId) },
          };
        }
        if (d.kind === 'twin') {
          if (run.dryRun) run.customers.set(c.id, PLANNED);
          const how = { by: 'sameRun', firstName: d.name } as const;
          return {
            subject,
            decision: {
              action: 'match',
              matchedBy: entry.matchWords(how),
              quickBooksName: d.name,
              warnings: d.emailDiffers ? [`emails differ: ${d.emailDiffers.source} and ${d.emailDiffers.other}`] : undefined,
            },
            entries: differs(c, undefined, d.name, d.emailDiffers),
            step: { type: 'twin', of: d.of, firstName: d.name },
          };
        }
        if (d.kind === 'fail') {
          return {
            subject,
            decision: { action: 'fail', message: d.message, fix: d.fix },
            entries: [entry.notExportable('customer', subject, d.message, d.fix)],
            step: { type: 'fail' },
          };
        }
        const currency = currencyOf(c);
        if (currency) d.doc.currency = currency;
        customers.plan(c.id, plannedCustomer(c.id, d.doc));
        if (run.dryRun) run.customers.set(c.id, PLANNED);
        const entries: entry.LogEntry[] = [];
        if (d.shortened.length) entries.push(entry.shortened('customer', subject, d.shortened));
        if (d.renamed && run.dryRun) entries.push(entry.renamed(subject, d.renamed.from, d.renamed.to, d.renamed.reason));
        return {
          subject,
          decision: {
            action: 'create',
            quickBooksName: d.doc.displayName,
            renamed: d.renamed ? { from: d.renamed.from, to: d.renamed.to, reason: RENAME_REASON[d.renamed.reason] } : undefined,
            shortened: d.shortened.length ? d.shortened : undefined,
          },
          entries,
          step: { type: 'create', creation: { subject, doc: d.doc, attempt: 0, note: d.renamed ? { renamed: d.renamed } : undefined } },
        };
      });
    },
    created(creation, record) {
      const doc = creation.doc;
      const name = record.name ?? doc.displayName;
      customers.created(creation.subject.id, { ...plannedCustomer(creation.subject.id, doc), id: record.id, displayName: name });
      run.customerBook.add([{ id: record.id, name, currency: record.customerCurrency ?? doc.currency ?? run.settings.homeCurrency }]);
      const renaming = creation.note?.renamed as Renaming | undefined;
      const entries = [entry.created('customer', creation.subject, { ...record, name })];
      if (renaming) entries.unshift(entry.renamed(creation.subject, renaming.from, name, renaming.reason, record.id));
      return { entries, update: link(creation.subject, record.id) };
    },
    refused(creation, fault) {
      if (fault.class === 'duplicateName' && creation.attempt === 0) {
        // A clash the reserved names did not predict (an inactive record, say) gets one rename.
        const current = creation.doc.displayName;
        ctx.reserved.addName(current);
        const from = (creation.note?.renamed as Renaming | undefined)?.from ?? current;
        const to = renameForClash(from, ctx.clashSuffix, (n) => ctx.reserved.has(n) || ctx.index.hasName(n), ctx.limits.displayName);
        const retry: Creation<'customer'> = {
          ...creation,
          doc: { ...creation.doc, displayName: to } as CustomerDoc,
          attempt: 1,
          note: { renamed: { from, to, reason: 'reserved' } },
        };
        return { entries: [], retry };
      }
      return { entries: [entry.createRefused('customer', creation.subject, fault)] };
    },
    linkUpdate: (subject, record: CreatedRecord) => link(subject, record.id),
  };
}
