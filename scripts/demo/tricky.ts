// Hand-written records that carry the data problems users of peer products run into: names QuickBooks refuses or
// limits (colon, tab/newline, over 100 characters), names a query must escape (apostrophe), non-ASCII names, a
// phone longer than QuickBooks keeps, and customers whose name is already taken by a Vendor or an Employee.
// They are fixed (independent of the seed) so a demo and a failing test always point at the same names.

/** Customer__c fields of a hand-written customer (Id and the QuickBooks id fields are added by the generator). */
export interface FixedCustomer {
  Name: string;
  First_Name__c: string | null;
  Last_Name__c: string | null;
  Company_Name__c: string | null;
  Email__c: string | null;
  Phone__c: string | null;
  Billing_Street__c: string;
  Billing_City__c: string;
  Billing_State__c: string | null;
  Billing_Postal_Code__c: string;
  Billing_Country__c: string;
}

export const OBRIEN: FixedCustomer = {
  Name: "Siobhan O'Brien",
  First_Name__c: 'Siobhan',
  Last_Name__c: "O'Brien",
  Company_Name__c: "O'Brien & Daughters Bakery",
  Email__c: 'siobhan@obriendaughters.com',
  Phone__c: '(617) 555-0182',
  Billing_Street__c: '44 Tremont St',
  Billing_City__c: 'Boston',
  Billing_State__c: 'MA',
  Billing_Postal_Code__c: '02108',
  Billing_Country__c: 'United States',
};

export const ZOE_MULLER: FixedCustomer = {
  Name: 'Zoë Müller',
  First_Name__c: 'Zoë',
  Last_Name__c: 'Müller',
  Company_Name__c: 'Müller Design GmbH',
  Email__c: 'zoe.mueller@mueller-design.de',
  Phone__c: '+49 30 55501234',
  Billing_Street__c: 'Friedrichstraße 123',
  Billing_City__c: 'Berlin',
  Billing_State__c: null,
  Billing_Postal_Code__c: '10117',
  Billing_Country__c: 'Germany',
};

export const WATANABE: FixedCustomer = {
  Name: '渡辺 健',
  First_Name__c: '健',
  Last_Name__c: '渡辺',
  Company_Name__c: '渡辺商事株式会社',
  Email__c: 'ken.watanabe@watanabe-shoji.com',
  Phone__c: '(310) 555-0143',
  Billing_Street__c: '21515 Hawthorne Blvd',
  Billing_City__c: 'Torrance',
  Billing_State__c: 'CA',
  Billing_Postal_Code__c: '90503',
  Billing_Country__c: 'United States',
};

/** A business account with no contact person: its QuickBooks display name has to come from the company name. */
export const ACME_WEST: FixedCustomer = {
  Name: 'Acme: West',
  First_Name__c: null,
  Last_Name__c: null,
  Company_Name__c: 'Acme: West',
  Email__c: 'ap@acme-west.com',
  Phone__c: '(602) 555-0110',
  Billing_Street__c: '1800 E Van Buren St',
  Billing_City__c: 'Phoenix',
  Billing_State__c: 'AZ',
  Billing_Postal_Code__c: '85006',
  Billing_Country__c: 'United States',
};

/** Pasted from a spreadsheet: a trailing tab on the last name, a line break inside the company name. */
export const LINDQVIST: FixedCustomer = {
  Name: 'Riverside Hardware and Garden',
  First_Name__c: 'Maya',
  Last_Name__c: 'Lindqvist\t',
  Company_Name__c: 'Riverside Hardware\nand Garden',
  Email__c: 'maya@riversidehardware.com',
  Phone__c: '(541) 555-0199',
  Billing_Street__c: '310 River Rd\nUnit B',
  Billing_City__c: 'Eugene',
  Billing_State__c: 'OR',
  Billing_Postal_Code__c: '97404',
  Billing_Country__c: 'United States',
};

/** Company name over QuickBooks' 100-character CompanyName; phone over its 30-character PrimaryPhone. */
export const LONG_COMPANY: FixedCustomer = {
  Name: 'Pacific Northwest Consolidated Precision Machining',
  First_Name__c: 'Howard',
  Last_Name__c: 'Kettleman',
  Company_Name__c: 'Pacific Northwest Consolidated Precision Machining, Fabrication and Industrial Supply Cooperative, Incorporated',
  Email__c: 'hkettleman@pnwcpm.com',
  Phone__c: '+1 (503) 555-0147 ext. 4410 (AP)',
  Billing_Street__c: '9200 SW Tualatin Sherwood Rd',
  Billing_City__c: 'Tualatin',
  Billing_State__c: 'OR',
  Billing_Postal_Code__c: '97062',
  Billing_Country__c: 'United States',
};

/** "First Last" over 100 characters (each part within Salesforce's 80). */
export const LONG_PERSON: FixedCustomer = {
  Name: 'María Fernández-Villalobos',
  First_Name__c: 'María Guadalupe Concepción Esperanza de los Ángeles',
  Last_Name__c: 'Fernández-Villalobos y Castellanos de la Torre-Montenegro',
  Company_Name__c: null,
  Email__c: 'maria.fernandez@villalobos-castellanos.mx',
  Phone__c: '(915) 555-0126',
  Billing_Street__c: '1101 E Yandell Dr',
  Billing_City__c: 'El Paso',
  Billing_State__c: 'TX',
  Billing_Postal_Code__c: '79902',
  Billing_Country__c: 'United States',
};

/** Also a Vendor in the primary company's QuickBooks under this exact name. */
export const VENDOR_CLASH: FixedCustomer = {
  Name: 'Dana Whitfield',
  First_Name__c: 'Dana',
  Last_Name__c: 'Whitfield',
  Company_Name__c: 'Whitfield Interiors',
  Email__c: 'dana@whitfieldinteriors.com',
  Phone__c: '(919) 555-0164',
  Billing_Street__c: '502 Glenwood Ave',
  Billing_City__c: 'Raleigh',
  Billing_State__c: 'NC',
  Billing_Postal_Code__c: '27603',
  Billing_Country__c: 'United States',
};

/** Also an Employee in the secondary company's QuickBooks under this exact name. */
export const EMPLOYEE_CLASH: FixedCustomer = {
  Name: 'Morgan Ellery',
  First_Name__c: 'Morgan',
  Last_Name__c: 'Ellery',
  Company_Name__c: null,
  Email__c: 'morgan.ellery@fastmail.com',
  Phone__c: '(207) 555-0131',
  Billing_Street__c: '18 Fore St',
  Billing_City__c: 'Portland',
  Billing_State__c: 'ME',
  Billing_Postal_Code__c: '04101',
  Billing_Country__c: 'United States',
};

export const FIXED_CUSTOMERS = [OBRIEN, ZOE_MULLER, WATANABE, ACME_WEST, LINDQVIST, LONG_COMPANY, LONG_PERSON, VENDOR_CLASH, EMPLOYEE_CLASH] as const;

/** Hand-written products per company: one with a colon, one at Product__c.Name's 80-character maximum. */
export const FIXED_PRODUCTS = {
  primary: {
    colon: { name: 'Cable: Cat6 Patch, 10 ft', description: 'Snagless Cat6 patch cable, 10 ft, blue. Sold each.' },
    long: {
      name: 'Commercial Stainless Steel Kitchen Prep Table with Adjustable Undershelf 72 x 30',
      description: 'NSF-listed 18-gauge stainless work table, 72 x 30 in, galvanized adjustable undershelf.',
    },
  },
  secondary: {
    colon: { name: 'Tent: 4-Person Dome', description: 'Freestanding three-season dome tent, sleeps four, with rain fly.' },
    long: {
      name: 'Ultralight Waterproof Expedition Backpack with Detachable Daypack and Rain Cover',
      description: '65 L expedition pack with a detachable 20 L daypack and a packable rain cover.',
    },
  },
} as const;
