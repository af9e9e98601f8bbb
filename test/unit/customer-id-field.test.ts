// Which company keeps its customers' QuickBooks ids in the Salesforce field it would use: a customer has one primary
// and one secondary id, so when several companies with different QuickBooks files use one field, the first keeps it.
import { CompanySchema, ownCustomerIdField, sharesCustomerIdField, type Company } from '../../service/src/salesforce/records';

function company(id: string, over: Partial<Company> = {}): Company {
  return CompanySchema.parse({
    Id: `a0A5g00000000${id}AAA`.slice(0, 18),
    Name: `Company ${id}`,
    CreatedDate: '2026-01-01T00:00:00.000+0000',
    QuickBooks_Primary_Company__c: false,
    QuickBooks_Realm_Id__c: `realm-${id}`,
    Accounting_System__c: 'Online',
    ...over,
  });
}

const shared = (all: Company[]) => all.map((c) => sharesCustomerIdField(c, all));

describe('the customer id field of a company', () => {
  it('when one primary and one secondary company export, then each keeps its own field', () => {
    expect(shared([company('01', { QuickBooks_Primary_Company__c: true }), company('02')])).toEqual([false, false]);
  });

  it('when two secondary companies export to different realms, then the one created first keeps the field', () => {
    const later = company('01', { CreatedDate: '2026-03-01T00:00:00.000+0000' });
    const first = company('02', { CreatedDate: '2026-02-01T00:00:00.000+0000' });
    expect(shared([later, first])).toEqual([true, false]);
  });

  it('when they were created at the same moment, then the lower Id keeps it', () => {
    expect(shared([company('02'), company('01')])).toEqual([true, false]);
  });

  it('when two secondary companies export to the same realm, then the ids are good for both and neither gives it up', () => {
    expect(shared([company('01', { QuickBooks_Realm_Id__c: 'R' }), company('02', { QuickBooks_Realm_Id__c: 'R' })])).toEqual([false, false]);
  });

  it('when a Desktop company or a company not yet connected shares the field, then each is a file of its own', () => {
    const desktop = (id: string) => company(id, { Accounting_System__c: 'Desktop', QuickBooks_Realm_Id__c: null });
    expect(shared([company('01'), desktop('02')])).toEqual([false, true]);
    expect(shared([desktop('01'), desktop('02')])).toEqual([false, true]);
    expect(shared([company('01'), company('02', { QuickBooks_Realm_Id__c: null })])).toEqual([false, true]);
  });

  it('when the field is given up, then no field is this company’s own; otherwise it is the one its kind uses', () => {
    expect(ownCustomerIdField({ QuickBooks_Primary_Company__c: true })).toBe('Financial_System_Customer_Id__c');
    expect(ownCustomerIdField({ QuickBooks_Primary_Company__c: false, customerIdsShared: false })).toBe('Secondary_Customer_Id__c');
    expect(ownCustomerIdField({ QuickBooks_Primary_Company__c: false, customerIdsShared: true })).toBeNull();
  });
});
