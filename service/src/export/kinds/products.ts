// Products through the pipeline: the target's items are loaded once; each product is matched (SKU, then name),
// shares an item created in this run (same SKU or name), fails before sending, or is created.
import { ItemIndex } from '../../matching/products';
import * as entry from '../entries';
import type { SourceProduct } from '../model';
import { decideProduct, plannedItem, type ProductPlanContext, type ProductRename } from '../plan/products';
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
    subject: (p) => ({ id: p.id, name: p.name }),
    async prepare() {
      await run.target.loadItems((rows) => ctx.index.add(rows));
    },
    // A link a user cleared is decided again (matched or created anew).
    sourceLink: (p) => p.targetId ?? null,
    held: (ids) => new Set(ids.filter((id) => ctx.index.has(id))),
    async plan(page) {
      return page.map((p): Planned<'product'> => {
        const subject = { id: p.id, name: p.name };
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
          case 'create': {
            ctx.planned.add([plannedItem(p.id, d.doc)]);
            if (run.dryRun) run.items.set(p.id, PLANNED);
            const entries = d.shortened.length ? [entry.shortened('product', subject, d.shortened)] : [];
            if (d.renamed && run.dryRun) entries.push(entry.productRenamed(subject, d.renamed));
            const renamed = d.renamed && {
              from: d.renamed.from,
              to: d.renamed.to,
              reason: `another QuickBooks item has the name, with ${d.renamed.otherSku ? `SKU ${d.renamed.otherSku}` : 'no SKU'}`,
            };
            return {
              subject,
              decision: { action: 'create', quickBooksName: d.doc.name, renamed, shortened: d.shortened.length ? d.shortened : undefined },
              entries,
              step: { type: 'create', creation: { subject, doc: d.doc, attempt: 0, note: d.renamed ? { renamed: d.renamed } : undefined } },
            };
          }
        }
      });
    },
    created(creation, record) {
      ctx.index.add([{ id: record.id, name: record.name ?? creation.doc.name, sku: creation.doc.sku, type: record.type ?? creation.doc.type }]);
      const renaming = creation.note?.renamed as ProductRename | undefined;
      return {
        entries: [
          ...(renaming ? [entry.productRenamed(creation.subject, { ...renaming, to: record.name ?? renaming.to }, record.id)] : []),
          entry.created('product', creation.subject, { ...record, name: record.name ?? creation.doc.name, type: record.type ?? creation.doc.type }),
        ],
        update: link(creation.subject, record.id),
      };
    },
    refused(creation, fault) {
      return { entries: [entry.createRefused('product', creation.subject, fault)] };
    },
    linkUpdate: (subject, record) => link(subject, record.id),
  };
}
