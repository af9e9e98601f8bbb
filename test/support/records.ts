// Builders for typed Salesforce records in unit tests: every field present, as the org returns them.
import type { Company, Customer, Invoice, InvoiceLine, Product } from '../../service/src/salesforce/records';

export function company(over: Partial<Company> = {}): Company {
  return {
    Id: 'a00000000000001AAA',
    Name: 'Northwind Trading Co.',
    QuickBooks_Primary_Company__c: true,
    QuickBooks_Realm_Id__c: '9341455000000001',
    Accounting_System__c: 'Online',
    Invoice_Numbering__c: 'Salesforce Number',
    Invoice_Number_Prefix__c: 'NW-',
    Invoice_Number_Suffix__c: null,
    Export_Mode__c: 'Invoices Only',
    Income_Account_Id__c: '79',
    Expense_Account_Id__c: '80',
    Asset_Account_Id__c: '81',
    Freight_Item_Id__c: '101',
    Handling_Item_Id__c: '102',
    Packaging_Item_Id__c: '103',
    Discount_Account_Id__c: '86',
    Currency_Code__c: 'USD',
    Vendor_Clash_Suffix__c: null,
    Customer_Matching__c: null,
    ...over,
  };
}

export function customer(over: Partial<Customer> = {}): Customer {
  return {
    Id: 'a01000000000001AAA',
    Name: 'Ada Lovelace',
    First_Name__c: 'Ada',
    Last_Name__c: 'Lovelace',
    Company_Name__c: 'Analytical Engines Ltd',
    Email__c: 'ada@example.com',
    Phone__c: '555-0100',
    Billing_Street__c: '1 Engine Way',
    Billing_City__c: 'London',
    Billing_State__c: null,
    Billing_Postal_Code__c: 'N1 9GU',
    Billing_Country__c: 'UK',
    Financial_System_Customer_Id__c: null,
    Secondary_Customer_Id__c: null,
    ...over,
  };
}

export function product(over: Partial<Product> = {}): Product {
  return {
    Id: 'a02000000000001AAA',
    Name: 'Brass Gear 40T',
    Company__c: 'a00000000000001AAA',
    SKU__c: 'GEAR-40',
    Description__c: 'A forty-tooth brass gear',
    Unit_Price__c: 12.5,
    Product_Type__c: 'Non-Inventory',
    Financial_System_Product_Id__c: null,
    ...over,
  };
}

export function line(over: Partial<InvoiceLine> = {}): InvoiceLine {
  return {
    Id: 'a04000000000001AAA',
    Product__c: 'a02000000000001AAA',
    Product__r: { Name: 'Brass Gear 40T', Financial_System_Product_Id__c: null },
    Line_Number__c: 1,
    Quantity__c: 2,
    Unit_Price__c: 12.5,
    Description__c: 'Gears',
    Taxable__c: true,
    ...over,
  };
}

export function invoice(over: Partial<Invoice> = {}): Invoice {
  return {
    Id: 'a03000000000001AAA',
    Name: 'SI-000001',
    Company__c: 'a00000000000001AAA',
    Customer__c: 'a01000000000001AAA',
    Customer__r: { Name: 'Ada Lovelace', Financial_System_Customer_Id__c: null, Secondary_Customer_Id__c: null },
    Approved__c: true,
    Transferred__c: false,
    Invoice_Date__c: '2026-10-01',
    Due_Date__c: '2026-10-31',
    Terms__c: 'Net 30',
    PO_Number__c: null,
    Currency_Code__c: 'USD',
    Freight__c: null,
    Handling__c: null,
    Packaging__c: null,
    Order_Discount__c: null,
    Tax_Amount__c: null,
    Total_Amount__c: 25,
    Memo__c: null,
    Financial_System_Invoice_Id__c: null,
    Export_Status__c: 'Not Exported',
    Sales_Invoice_Lines__r: [line()],
    ...over,
  };
}
