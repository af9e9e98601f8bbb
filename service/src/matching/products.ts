// Product match: SKU first, then item name. Pure: an index of QuickBooks items looked up per product.
import type { Product } from '../salesforce/records';
import { nameKey } from './names';

export interface QboItemLike {
  Id?: string;
  Name?: string;
  Sku?: string;
  Type?: string;
  Active?: boolean;
}

export interface ProductMatch {
  qboId: string;
  name: string;
  by: 'sku' | 'name';
  ambiguous: boolean;
}

export class ItemIndex {
  private readonly bySku = new Map<string, QboItemLike[]>();
  private readonly byName = new Map<string, QboItemLike>();
  private readonly ids = new Set<string>();

  add(items: Iterable<QboItemLike>): void {
    for (const item of items) {
      if (!item.Id) continue;
      this.ids.add(item.Id);
      const sku = nameKey(item.Sku);
      if (sku) {
        const list = this.bySku.get(sku);
        if (list) list.push(item);
        else this.bySku.set(sku, [item]);
      }
      // Item names are unique in QuickBooks, so one item per name.
      const name = nameKey(item.Name);
      if (name) this.byName.set(name, item);
    }
  }

  /** `plannedName` is the (cleaned) name Ledgerline would create the item under. */
  match(product: Product, plannedName: string): ProductMatch | null {
    const sku = nameKey(product.SKU__c);
    const bySku = sku ? this.bySku.get(sku) : undefined;
    if (bySku?.length) {
      const sorted = [...bySku].sort((a, b) => Number(a.Id) - Number(b.Id));
      return { qboId: sorted[0]!.Id!, name: sorted[0]!.Name ?? '', by: 'sku', ambiguous: sorted.length > 1 };
    }
    const byName = this.byName.get(nameKey(plannedName)) ?? this.byName.get(nameKey(product.Name));
    if (byName) return { qboId: byName.Id!, name: byName.Name ?? '', by: 'name', ambiguous: false };
    return null;
  }

  has(qboId: string): boolean {
    return this.ids.has(qboId);
  }
}
