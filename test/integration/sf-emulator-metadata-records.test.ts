// Custom metadata records and the dated exchange rates of a multi-currency org on the Salesforce emulator: the
// mapping records force-app deploys are read by SOQL, cannot be written by DML and survive a reset of the data;
// DatedConversionRate and CurrencyType answer like an org with advanced currency management.
import { startEmulator, type Emulator } from './sf-helpers';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator();
});

afterAll(async () => {
  await emu.close();
});

describe('Salesforce emulator: custom metadata and currencies', () => {
  it('when the field mappings are queried, then the record force-app deploys comes back, also after a reset', async () => {
    const soql =
      'SELECT DeveloperName, MasterLabel, Object__c, Salesforce_Field__c, QuickBooks_Field__c, Company__c, Active__c FROM Ledgerline_Field_Mapping__mdt';
    await emu.admin('POST', '/reset');
    const r = await emu.query(soql);
    expect(r.status).toBe(200);
    expect(r.body.records).toEqual([
      {
        attributes: {
          type: 'Ledgerline_Field_Mapping__mdt',
          url: expect.stringMatching(/^\/services\/data\/v62\.0\/sobjects\/Ledgerline_Field_Mapping__mdt\/m\w{17}$/),
        },
        DeveloperName: 'PO_Number_Custom_Field',
        MasterLabel: 'PO Number to Custom Field',
        Object__c: 'Sales_Invoice__c',
        Salesforce_Field__c: 'PO_Number__c',
        QuickBooks_Field__c: 'CustomField:P.O. Number',
        Company__c: 'Meridian Instruments Inc.',
        Active__c: true,
      },
    ]);
  });

  it('when a mapping record is written through the API, then the org refuses it: custom metadata changes by deployment', async () => {
    const r = await emu.api('POST', '/sobjects/Ledgerline_Field_Mapping__mdt', { Object__c: 'Sales_Invoice__c' });
    expect(r.status).toBe(400);
    expect(r.body[0].errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const describe = await emu.api('GET', '/sobjects/Ledgerline_Field_Mapping__mdt/describe');
    expect(describe.body).toMatchObject({ createable: false, updateable: false, deletable: false, custom: true });
  });

  it('when dated rates are seeded, then SOQL reads them by currency and date like any object', async () => {
    await emu.seed({
      CurrencyType: [
        { IsoCode: 'USD', ConversionRate: 1, IsCorporate: true },
        { IsoCode: 'EUR', ConversionRate: 0.92, IsCorporate: false },
      ],
      DatedConversionRate: [
        { IsoCode: 'EUR', ConversionRate: 0.9, StartDate: '2026-09-01', NextStartDate: '2026-10-01' },
        { IsoCode: 'EUR', ConversionRate: 0.8, StartDate: '2026-10-01' },
      ],
    });
    const corporate = await emu.query('SELECT IsoCode FROM CurrencyType WHERE IsCorporate = true');
    expect(corporate.body.records.map((r: any) => r.IsoCode)).toEqual(['USD']);
    const rates = await emu.query(
      "SELECT IsoCode, ConversionRate, StartDate FROM DatedConversionRate WHERE IsoCode IN ('EUR') AND StartDate <= 2026-10-05 ORDER BY StartDate",
    );
    expect(rates.body.records.map((r: any) => [r.StartDate, r.ConversionRate])).toEqual([
      ['2026-09-01', 0.9],
      ['2026-10-01', 0.8],
    ]);
  });
});
