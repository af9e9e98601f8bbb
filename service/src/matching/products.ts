// Product match: SKU first, then item name — never by name to an item with another SKU (different SKUs are
// different products). Pure: an index of the accounting system's items looked up per product.
import type { SourceProduct } from '../export/model';
import type { TargetItem } from '../export/target';
import { nameKey } from './names';
import { pushTo } from '../collections';

export interface ProductMatch {
  targetId: string;
  name: string;
  by: 'sku' | 'name';
  ambiguous: boolean;
}

export class ItemIndex {
  private readonly bySku = new Map<string, TargetItem[]>();
  private readonly byName = new Map<string, TargetItem>();
  private readonly ids = new Set<string>();

  add(items: Iterable<TargetItem>): void {
    for (const item of items) {
      if (!item.id) continue;
      this.ids.add(item.id);
      const sku = nameKey(item.sku);
      if (sku) pushTo(this.bySku, sku, item);
      // Item names are unique in the accounting system, so one item per name.
      const name = nameKey(item.name);
      if (name) this.byName.set(name, item);
    }
  }

  /** `plannedName` is the (cleaned) name Ledgerline would create the item under. */
  match(product: SourceProduct, plannedName: string): ProductMatch | null {
    const sku = nameKey(product.sku);
    const bySku = sku ? this.bySku.get(sku) : undefined;
    if (bySku?.length) {
      const sorted = [...bySku].sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
      return { targetId: sorted[0]!.id, name: sorted[0]!.name, by: 'sku', ambiguous: sorted.length > 1 };
    }
    const byName = this.named(plannedName) ?? this.named(product.name);
    if (byName && !skusDiffer(product.sku, byName.sku)) return { targetId: byName.id, name: byName.name, by: 'name', ambiguous: false };
    return null;
  }

  /** The item that has this name (names are unique). */
  named(name: string | null | undefined): TargetItem | undefined {
    return this.byName.get(nameKey(name));
  }

  hasName(name: string): boolean {
    return this.byName.has(nameKey(name));
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}

/** Both have a SKU, and not the same one. */
export function skusDiffer(a: string | null | undefined, b: string | null | undefined): boolean {
  return Boolean(nameKey(a) && nameKey(b) && nameKey(a) !== nameKey(b));
}
