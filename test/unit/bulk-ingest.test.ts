// A Bulk API 2.0 ingest job's pure parts: the CSV sent (nulls that clear a field, every field any record names), one
// row per record Id, the back-off between polls, which result files a finished job is asked for, and each record's
// result read back from them.
import { BULK_NULL, MAX_POLL_MS, ingestRows, pollDelay, resultsToRead, rowResults, toCsv } from '../../service/src/salesforce/bulkIngest';

describe('a bulk ingest job', () => {
  it('when a field is set to null, then its cell says #N/A (an empty cell would leave the field as it is)', () => {
    expect(toCsv([{ Id: 'a03A', Last_Export_Error__c: null, Transferred__c: true }])).toBe(
      `Id,Last_Export_Error__c,Transferred__c\n"a03A",${BULK_NULL},"true"\n`,
    );
  });

  it('when records name different fields, then every field is a column and a record without it leaves that field alone', () => {
    const csv = toCsv([
      { Id: 'a03A', Financial_System_Invoice_Id__c: '130' },
      { Id: 'a03B', Financial_System_Application_Id__c: '7' },
    ]);
    expect(csv.split('\n')).toEqual(['Id,Financial_System_Invoice_Id__c,Financial_System_Application_Id__c', '"a03A","130",', '"a03B",,"7"', '']);
  });

  it('when a value holds quotes, commas or a line break, then it is quoted as RFC 4180 says', () => {
    expect(toCsv([{ Message__c: 'He said "no", twice\nthen left' }])).toBe('Message__c\n"He said ""no"", twice\nthen left"\n');
  });

  it('when one record is updated twice in a write, then it goes as one row with both updates and both answers come from it', () => {
    const { rows, rowOf } = ingestRows('update', [
      { type: 'Sales_Invoice__c', Id: 'a03A', Financial_System_Invoice_Id__c: '130' },
      { type: 'Sales_Invoice__c', Id: 'a03B', Export_Status__c: 'Error' },
      { type: 'Sales_Invoice__c', Id: 'a03A', Financial_System_Application_Id__c: '7' },
    ]);
    expect(rows).toEqual([
      { Id: 'a03A', Financial_System_Invoice_Id__c: '130', Financial_System_Application_Id__c: '7' },
      { Id: 'a03B', Export_Status__c: 'Error' },
    ]);
    expect(rowOf).toEqual([0, 1, 0]);
    // Inserts have no Id yet: every record is a row.
    expect(
      ingestRows('insert', [
        { type: 'X', Name: '1' },
        { type: 'X', Name: '1' },
      ]).rows,
    ).toHaveLength(2);
  });

  it('when a job is polled, then the waits double from the first and stop growing at the cap', () => {
    expect([0, 1, 2, 3].map((n) => pollDelay(n, 500))).toEqual([500, 1000, 2000, 4000]);
    expect(pollDelay(12, 500)).toBe(MAX_POLL_MS);
  });

  it('when a job processed every row and none failed, then no result file is read unless inserted ids are wanted', () => {
    const complete = { id: '750A', state: 'JobComplete' as const, numberRecordsProcessed: 10, numberRecordsFailed: 0 };
    expect(resultsToRead(complete, 10, false)).toEqual({ successful: false, failed: false });
    expect(resultsToRead(complete, 10, true)).toEqual({ successful: true, failed: false });
    expect(resultsToRead({ ...complete, numberRecordsFailed: 2 }, 10, false)).toEqual({ successful: false, failed: true });
    // Rows the job never processed can only be told by what the successful file leaves out.
    expect(resultsToRead({ ...complete, numberRecordsProcessed: 8 }, 10, false)).toEqual({ successful: true, failed: false });
  });

  it('when results are read back, then a failed row carries its code and message, the rest succeeded, and a row in neither file was not processed', () => {
    const rows = [{ Id: 'a03A' }, { Id: 'a03B' }, { Id: 'a03C' }];
    const failed = [{ sf__Id: 'a03B', sf__Error: 'FIELD_CUSTOM_VALIDATION_EXCEPTION:Period is closed: --', Id: 'a03B' }];
    expect(rowResults(rows, 'Id', { failed })).toEqual([
      { id: 'a03A', success: true, errors: [] },
      { id: null, success: false, errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Period is closed' }] },
      { id: 'a03C', success: true, errors: [] },
    ]);
    const successful = [{ sf__Id: 'a03A', sf__Created: 'false', Id: 'a03A' }];
    expect(rowResults(rows, 'Id', { successful, failed }).map((r) => r.errors[0]?.statusCode ?? 'ok')).toEqual([
      'ok',
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      'UNPROCESSED',
    ]);
    // Inserts are matched by the caller's unique field and get the new ids.
    const inserted = rowResults([{ Name: '000002' }, { Name: '000001' }], 'Name', {
      successful: [
        { sf__Id: 'a0D1', sf__Created: 'true', Name: '000001' },
        { sf__Id: 'a0D2', sf__Created: 'true', Name: '000002' },
      ],
    });
    expect(inserted.map((r) => r.id)).toEqual(['a0D2', 'a0D1']);
  });
});
