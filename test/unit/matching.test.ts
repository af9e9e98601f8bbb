import { CustomerIndex, ReservedNames } from '../../service/src/matching/customers';
import { cleanName, cleanText, nameKey, truncate } from '../../service/src/matching/names';
import { ItemIndex } from '../../service/src/matching/products';
import { customer, product } from '../support/records';

describe('names', () => {
  it('when a name has a colon, tab or newline, then they are replaced and the change is reported', () => {
    const result = cleanName('Acme:\tWest\nDivision', 100);
    expect(result.value).toBe('Acme West Division');
    expect(result.changes).toEqual(expect.arrayContaining([expect.stringContaining("removed ':'"), expect.stringContaining('tab')]));
  });

  it('when a name is over the limit, then it is cut to the limit and the change names both lengths', () => {
    const result = cleanName('x'.repeat(130), 100);
    expect(result.value).toHaveLength(100);
    expect(result.changes).toEqual(['shortened from 130 to 100 characters']);
  });

  it('when a name is clean and short, then it is unchanged with no change reported', () => {
    expect(cleanName("Zoë O'Brien", 100)).toEqual({ value: "Zoë O'Brien", changes: [] });
  });

  it('when text is cut, then a surrogate pair is never split', () => {
    expect(truncate('ab😀cd', 3)).toBe('ab😀');
    expect(cleanText('😀😀😀', 2).value).toBe('😀😀');
  });

  it('when names differ only in case and spacing, then their keys are equal', () => {
    expect(nameKey('  Ada   LOVELACE ')).toBe(nameKey('ada lovelace'));
  });
});

describe('customer match cascade', () => {
  const index = new CustomerIndex();
  index.add([
    { Id: '10', DisplayName: 'A. Lovelace (Billing)', PrimaryEmailAddr: { Address: 'ADA@example.com' } },
    { Id: '11', DisplayName: 'Grace Hopper' },
    { Id: '12', DisplayName: 'Cobol Works', CompanyName: 'Navy Labs', BillAddr: { City: 'Arlington' } },
    { Id: '13', DisplayName: 'Someone Else', GivenName: 'Alan', FamilyName: 'Turing' },
    { Id: '15', DisplayName: 'Dup', PrimaryEmailAddr: { Address: 'dup@example.com' } },
    { Id: '14', DisplayName: 'Dup 2', PrimaryEmailAddr: { Address: 'dup@example.com' } },
  ]);

  it('when the email matches (any case), then it wins over the name', () => {
    expect(index.match(customer({ Email__c: 'ada@EXAMPLE.com', First_Name__c: 'Grace', Last_Name__c: 'Hopper' }))).toMatchObject({ qboId: '10', by: 'email' });
  });

  it('when no email matches, then first + last name matches the display name', () => {
    expect(index.match(customer({ Email__c: 'gh@example.com', First_Name__c: 'Grace', Last_Name__c: 'Hopper', Company_Name__c: null }))).toMatchObject({ qboId: '11', by: 'name' });
  });

  it('when first + last name matches a given and family name, then that customer matches by name', () => {
    expect(index.match(customer({ Email__c: null, First_Name__c: 'Alan', Last_Name__c: 'Turing', Company_Name__c: null }))).toMatchObject({ qboId: '13', by: 'name' });
  });

  it('when only company and city match, then it matches by company name and city', () => {
    expect(index.match(customer({ Email__c: null, First_Name__c: 'X', Last_Name__c: 'Y', Company_Name__c: 'navy labs', Billing_City__c: 'ARLINGTON' }))).toMatchObject({ qboId: '12', by: 'companyCity' });
  });

  it('when the company matches but the city does not, then nothing matches', () => {
    expect(index.match(customer({ Email__c: null, First_Name__c: 'X', Last_Name__c: 'Y', Company_Name__c: 'Navy Labs', Billing_City__c: 'Boston' }))).toBeNull();
  });

  it('when several QuickBooks customers fit, then the oldest is used and the match is marked ambiguous', () => {
    expect(index.match(customer({ Email__c: 'dup@example.com' }))).toMatchObject({ qboId: '14', ambiguous: true });
  });

  it('when the planned display name exists (an earlier interrupted export), then it matches by name', () => {
    expect(index.match(customer({ Email__c: null, First_Name__c: null, Last_Name__c: null, Company_Name__c: null }), 'grace hopper')).toMatchObject({ qboId: '11' });
  });

  it('when vendors and employees are loaded, then their names are reserved regardless of case', () => {
    const reserved = new ReservedNames();
    reserved.add([{ DisplayName: 'Bob Supplier' }, { Other: 1 }]);
    expect(reserved.has('bob  supplier')).toBe(true);
    expect(reserved.has('Bob')).toBe(false);
  });
});

describe('product match', () => {
  const items = new ItemIndex();
  items.add([
    { Id: '5', Name: 'Gear (legacy name)', Sku: 'GEAR-40' },
    { Id: '6', Name: 'Brass Gear 60T' },
  ]);

  it('when the SKU matches, then it wins over the name', () => {
    expect(items.match(product({ SKU__c: 'gear-40', Name: 'Brass Gear 60T' }), 'Brass Gear 60T')).toMatchObject({ qboId: '5', by: 'sku' });
  });

  it('when no SKU matches, then the item name matches', () => {
    expect(items.match(product({ SKU__c: 'NOPE', Name: 'brass gear 60t' }), 'brass gear 60t')).toMatchObject({ qboId: '6', by: 'name' });
  });

  it('when nothing matches, then null', () => {
    expect(items.match(product({ SKU__c: null, Name: 'New Thing' }), 'New Thing')).toBeNull();
  });
});
