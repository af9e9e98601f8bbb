// Customers through the pipeline: the target's customers and reserved names are loaded once; each source customer
// is matched (cascade), shares a customer created in this run, or is created — renamed once on a name clash the
// reserved names did not predict.
import { CustomerIndex, ReservedNames } from '../../matching/customers';
import * as entry from '../entries';
import type { SourceCustomer } from '../model';
import { decideCustomer, plannedCustomer, renameForClash, type CustomerPlanContext, type EmailDifference } from '../plan/customers';
import { RENAME_REASON } from '../plan/decision';
import type { Creation, KindDescriptor, Planned } from '../descriptor';
import type { CreatedRecord, CustomerDoc } from '../target';
import { PLANNED, type RunContext } from './context';

interface Renaming {
  from: string;
  to: string;
  reason: entry.RenameReason;
}

export function customerKind(run: RunContext): KindDescriptor<SourceCustomer, 'customer'> {
  const ctx: CustomerPlanContext = {
    index: new CustomerIndex(),
    planned: new CustomerIndex(),
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
    id: (c) => c.id,
    async prepare() {
      await run.target.loadCustomers((rows) => ctx.index.add(rows));
      await run.target.loadReservedNames((names) => ctx.reserved.add(names));
    },
    async plan(page, journal) {
      return page.map((c): Planned<'customer'> => {
        const subject = { id: c.id, name: c.name };
        const known = journal.get(c.id);
        if (known?.targetId && (known.state === 'created' || known.state === 'written_back') && ctx.index.has(known.targetId)) {
          return {
            subject,
            decision: { action: 'match', matchedBy: entry.matchWords({ by: 'earlierExport' }), quickBooksId: known.targetId },
            // With a shared id field every customer comes again each run: one this file already has is not news.
            entries: run.company.customerIdsShared ? [] : [entry.matched('customer', subject, known.targetId, { by: 'earlierExport' })],
            step: { type: 'link', targetId: known.targetId, update: link(c, known.targetId), journal: known },
          };
        }
        const d = decideCustomer(c, ctx);
        if (d.kind === 'match') {
          const how = { by: d.by, ambiguous: d.ambiguous } as const;
          const warnings = d.emailDiffers ? [`emails differ: ${d.emailDiffers.source} and ${d.emailDiffers.other}`] : undefined;
          return {
            subject,
            decision: { action: 'match', matchedBy: entry.matchWords(how), quickBooksId: d.targetId, quickBooksName: d.name, warnings },
            entries: [entry.matched('customer', subject, d.targetId, how), ...differs(c, d.targetId, d.name, d.emailDiffers)],
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
        ctx.planned.add([plannedCustomer(c.id, d.doc)]);
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
      ctx.index.add([{ ...plannedCustomer(creation.subject.id, doc), id: record.id, displayName: name }]);
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
    twinUpdate: (subject, record: CreatedRecord) => link(subject, record.id),
  };
}
