// Pure decisions for products: match an existing QuickBooks item or build the item to create as the right type
// with the company's accounts.
import { ItemIndex, type ProductMatch } from '../matching/products';
import { QBO_LIMITS, cleanName, cleanText } from '../matching/names';
import type { Company, Product } from '../salesforce/records';
import { shortened, type LogEntry } from './outcomes';

export type ProductDecision =
  | { kind: 'match'; product: Product; match: ProductMatch }
  | { kind: 'create'; product: Product; name: string; payload: Record<string, unknown>; notes: LogEntry[] }
  | { kind: 'fail'; product: Product; message: string; fix: string };

const ITEM_TYPES: Record<string, 'Inventory' | 'NonInventory' | 'Service'> = {
  inventory: 'Inventory',
  'non-inventory': 'NonInventory',
  noninventory: 'NonInventory',
  service: 'Service',
};

export function decideProduct(product: Product, company: Company, index: ItemIndex, inventoryStartDate: string): ProductDecision {
  const name = cleanName(product.Name, QBO_LIMITS.itemName);
  const match = index.match(product, name.value);
  if (match) return { kind: 'match', product, match };

  const type = ITEM_TYPES[(product.Product_Type__c ?? 'Non-Inventory').toLowerCase()] ?? 'NonInventory';
  const income = company.Income_Account_Id__c;
  if (!income) {
    return {
      kind: 'fail',
      product,
      message: `Product "${product.Name}" cannot be added to QuickBooks: the Company has no income account for new items.`,
      fix: `Set Income Account Id on Company "${company.Name}" to a QuickBooks income account Id, then export again.`,
    };
  }
  const payload: Record<string, unknown> = { Name: name.value, Type: type, IncomeAccountRef: { value: income } };
  const notes: LogEntry[] = [];
  const changes = [...name.changes.map((c) => `name ${c}`)];
  if (product.SKU__c) {
    const sku = cleanText(product.SKU__c, QBO_LIMITS.sku);
    changes.push(...sku.changes.map((c) => `SKU ${c}`));
    payload.Sku = sku.value;
  }
  if (product.Description__c) {
    const description = cleanText(product.Description__c, QBO_LIMITS.description);
    changes.push(...description.changes.map((c) => `description ${c}`));
    payload.Description = description.value;
  }
  if (product.Unit_Price__c !== null) payload.UnitPrice = product.Unit_Price__c;
  if (type === 'Inventory') {
    if (!company.Expense_Account_Id__c || !company.Asset_Account_Id__c) {
      return {
        kind: 'fail',
        product,
        message: `Inventory product "${product.Name}" needs an expense (cost of goods) and an asset account in QuickBooks.`,
        fix: `Set Expense Account Id and Asset Account Id on Company "${company.Name}", or change the product type, then export again.`,
      };
    }
    Object.assign(payload, {
      ExpenseAccountRef: { value: company.Expense_Account_Id__c },
      AssetAccountRef: { value: company.Asset_Account_Id__c },
      TrackQtyOnHand: true,
      QtyOnHand: 0,
      InvStartDate: inventoryStartDate,
    });
  }
  if (changes.length) notes.push(shortened('Product', product, `Product adjusted for QuickBooks: ${changes.join('; ')}. Sent as "${name.value}".`));
  return { kind: 'create', product, name: name.value, payload, notes };
}
