// Pure decisions for products: match an item the accounting system holds (or one this export creates), or build
// the item to create as the right type with the company's accounts — under `Name (SKU)` when an item with another
// SKU has its name (different SKUs are different products).
import { ItemIndex } from '../../matching/products';
import { cleanName, cleanText } from '../../matching/names';
import type { CompanyModel, SourceProduct } from '../model';
import type { ItemDoc, ItemType, TargetLimits } from '../target';
import { PLANNED_PREFIX, renameForClash } from './customers';

export interface ProductPlanContext {
  index: ItemIndex;
  /** Items this export will create, under ids `planned:<source id>`. */
  planned: ItemIndex;
  limits: TargetLimits;
  company: CompanyModel;
  /** Inventory items start tracking quantity on this day. */
  inventoryStartDate: string;
}

export type ProductDecision =
  | { kind: 'match'; targetId: string; name: string; by: 'sku' | 'itemName'; ambiguous: boolean }
  /** Another product of this export becomes the same item (same SKU or name): it shares that item. */
  | { kind: 'twin'; of: string; name: string; by: 'sku' | 'itemName' }
  | { kind: 'create'; doc: ItemDoc; shortened: string[]; renamed?: ProductRename }
  | { kind: 'fail'; message: string; fix: string };

/** A new item renamed because an item with another SKU has the product's name. */
export interface ProductRename {
  from: string;
  to: string;
  sku: string;
  /** The SKU of the item that has the name. */
  otherSku: string;
}

const ITEM_TYPES: Record<string, ItemType> = {
  inventory: 'Inventory',
  'non-inventory': 'NonInventory',
  noninventory: 'NonInventory',
  service: 'Service',
};

export function decideProduct(product: SourceProduct, ctx: ProductPlanContext): ProductDecision {
  const { company, limits } = ctx;
  const name = cleanName(product.name, limits.itemName, 'item');
  const match = ctx.index.match(product, name.value);
  if (match) return { kind: 'match', targetId: match.targetId, name: match.name, by: match.by === 'sku' ? 'sku' : 'itemName', ambiguous: match.ambiguous };
  const twin = ctx.planned.match(product, name.value);
  if (twin) return { kind: 'twin', of: twin.targetId.slice(PLANNED_PREFIX.length), name: twin.name, by: twin.by === 'sku' ? 'sku' : 'itemName' };

  const type = ITEM_TYPES[(product.type ?? 'Non-Inventory').toLowerCase()] ?? 'NonInventory';
  const income = company.accounts.income;
  if (!income) {
    return {
      kind: 'fail',
      message: `Product "${product.name}" cannot be added to QuickBooks: the Company has no income account for new items.`,
      fix: `Set Income Account Id on Company "${company.name}" to a QuickBooks income account Id, then export again.`,
    };
  }
  // No match although the name is taken: the item that has it has another SKU.
  const other = ctx.index.named(name.value) ?? ctx.planned.named(name.value);
  let renamed: ProductRename | undefined;
  if (other && product.sku) {
    const sku = product.sku.trim();
    const to = renameForClash(name.value, ` (${sku})`, (n) => ctx.index.hasName(n) || ctx.planned.hasName(n), limits.itemName);
    renamed = { from: name.value, to, sku, otherSku: other.sku ?? '' };
  }
  const doc: ItemDoc = { name: renamed?.to ?? name.value, type, incomeAccount: income };
  const shortened = name.changes.map((c) => `name ${c} (sent as "${name.value}")`);
  if (product.sku) {
    const sku = cleanText(product.sku, limits.sku);
    shortened.push(...sku.changes.map((c) => `SKU ${c}`));
    doc.sku = sku.value;
  }
  if (product.description) {
    const description = cleanText(product.description, limits.description);
    shortened.push(...description.changes.map((c) => `description ${c}`));
    doc.description = description.value;
  }
  if (product.unitPrice !== null) doc.unitPrice = product.unitPrice;
  if (type === 'Inventory') {
    if (!company.accounts.expense || !company.accounts.asset) {
      return {
        kind: 'fail',
        message: `Inventory product "${product.name}" needs an expense (cost of goods) and an asset account in QuickBooks.`,
        fix: `Set Expense Account Id and Asset Account Id on Company "${company.name}", or change the product type, then export again.`,
      };
    }
    Object.assign(doc, { expenseAccount: company.accounts.expense, assetAccount: company.accounts.asset, inventoryStartDate: ctx.inventoryStartDate });
  }
  return { kind: 'create', doc, shortened, ...(renamed ? { renamed } : {}) };
}

/** The planned item, as the in-run index sees it. */
export function plannedItem(sourceId: string, doc: ItemDoc) {
  return { id: `${PLANNED_PREFIX}${sourceId}`, name: doc.name, sku: doc.sku, type: doc.type };
}
