// Products through the pipeline: the target's items are loaded once; each product is matched (SKU, then name),
// shares an item created in this run (same SKU or name), fails before sending, or is created.
import { ItemIndex } from '../../matching/products';
import * as entry from '../entries';
import type { SourceProduct } from '../model';
import { decideProduct, plannedItem, type ProductPlanContext } from '../plan/products';
import type { KindDescriptor, Planned } from '../descriptor';
import { PLANNED, type RunContext } from './context';

export function productKind(run: RunContext): KindDescriptor<SourceProduct, 'product'> {
  const ctx: ProductPlanContext = {
    index: new ItemIndex(),
    planned: new ItemIndex(),
    limits: run.target.limits,
    company: run.company,
    inventoryStartDate: run.now().toISOString().slice(0, 10),
  };
  const link = (p: { id: string; name: string }, targetId: string) => {
    run.items.set(p.id, targetId);
    return { kind: 'product' as const, subject: p, targetId };
  };

  return {
    kind: 'product',
    twins: true,
    id: (p) => p.id,
    async prepare() {
      await run.target.loadItems((rows) => ctx.index.add(rows));
    },
    async plan(page, journal) {
      return page.map((p): Planned<'product'> => {
        const subject = { id: p.id, name: p.name };
        const known = journal.get(p.id);
        if (known?.targetId && (known.state === 'created' || known.state === 'written_back') && ctx.index.has(known.targetId)) {
          return {
            subject,
            decision: { action: 'match', matchedBy: entry.matchWords({ by: 'earlierExport' }), quickBooksId: known.targetId },
            entries: [entry.matched('product', subject, known.targetId, { by: 'earlierExport' })],
            step: { type: 'link', targetId: known.targetId, update: link(p, known.targetId), journal: known },
          };
        }
        const d = decideProduct(p, ctx);
        switch (d.kind) {
          case 'match': {
            const how = { by: d.by, ambiguous: d.ambiguous } as const;
            return {
              subject,
              decision: { action: 'match', matchedBy: entry.matchWords(how), quickBooksId: d.targetId, quickBooksName: d.name },
              entries: [entry.matched('product', subject, d.targetId, how)],
              step: { type: 'link', targetId: d.targetId, update: link(p, d.targetId) },
            };
          }
          case 'twin': {
            if (run.dryRun) run.items.set(p.id, PLANNED);
            const how = { by: 'sameRun', firstName: d.name } as const;
            return {
              subject,
              decision: { action: 'match', matchedBy: entry.matchWords(how), quickBooksName: d.name },
              entries: [],
              step: { type: 'twin', of: d.of, firstName: d.name },
            };
          }
          case 'fail':
            return {
              subject,
              decision: { action: 'fail', message: d.message, fix: d.fix },
              entries: [entry.notExportable('product', subject, d.message, d.fix)],
              step: { type: 'fail' },
            };
          case 'create':
            ctx.planned.add([plannedItem(p.id, d.doc)]);
            if (run.dryRun) run.items.set(p.id, PLANNED);
            return {
              subject,
              decision: { action: 'create', quickBooksName: d.doc.name, shortened: d.shortened.length ? d.shortened : undefined },
              entries: d.shortened.length ? [entry.shortened('product', subject, d.shortened)] : [],
              step: { type: 'create', creation: { subject, doc: d.doc, attempt: 0 } },
            };
        }
      });
    },
    created(creation, record) {
      ctx.index.add([{ id: record.id, name: record.name ?? creation.doc.name, sku: creation.doc.sku, type: record.type ?? creation.doc.type }]);
      return {
        entries: [entry.created('product', creation.subject, { ...record, name: record.name ?? creation.doc.name, type: record.type ?? creation.doc.type })],
        update: link(creation.subject, record.id),
      };
    },
    refused(creation, fault) {
      return { entries: [entry.createRefused('product', creation.subject, fault)] };
    },
    twinUpdate: (subject, record) => link(subject, record.id),
  };
}
