import { reduceErrors, formatLabel, objectApiNameOf, quickBooksRecordUrl, recordPageReference, runMessage } from 'c/ledgerlineUtils';

describe('c/ledgerlineUtils', () => {
  describe('reduceErrors', () => {
    it('reads an AuraHandledException message', () => {
      expect(reduceErrors({ body: { message: 'No Company' }, ok: false, status: 500 })).toEqual(['No Company']);
    });

    it('reads UI API read errors, DML page and field errors', () => {
      expect(reduceErrors({ body: [{ message: 'a' }, { message: 'b' }] })).toEqual(['a', 'b']);
      expect(
        reduceErrors({
          body: {
            message: 'ignored',
            output: { errors: [{ message: 'page' }], fieldErrors: { Name: [{ message: 'field' }] } },
          },
        }),
      ).toEqual(['page', 'field']);
    });

    it('reads page errors and the Ledgerline service error shape', () => {
      expect(reduceErrors({ body: { pageErrors: [{ message: 'page error' }] } })).toEqual(['page error']);
      expect(reduceErrors({ body: { error: { code: 'X', message: 'service error' } } })).toEqual(['service error']);
    });

    it('reads JS errors, strings and status text, and drops empties', () => {
      expect(reduceErrors([new Error('js'), 'text', null, { statusText: 'Bad Gateway' }, {}])).toEqual(['js', 'text', 'Bad Gateway']);
    });
  });

  it('formats labels with numbered placeholders', () => {
    expect(formatLabel('Refresh token expires in {0} days', 4)).toBe('Refresh token expires in 4 days');
    expect(formatLabel('{0} of {1}', 0, 25)).toBe('0 of 25');
    expect(formatLabel('{0} and {1}', 'a')).toBe('a and {1}');
  });

  it('turns a record kind into a page reference for the navigation service, and refuses what cannot be opened', () => {
    expect(objectApiNameOf('Invoice')).toBe('Sales_Invoice__c');
    expect(objectApiNameOf('Process_Log__c')).toBe('Process_Log__c');
    expect(objectApiNameOf('Run')).toBeNull();
    expect(recordPageReference('a035e00000AbCdEAAA', 'Invoice')).toEqual({
      type: 'standard__recordPage',
      attributes: { recordId: 'a035e00000AbCdEAAA', objectApiName: 'Sales_Invoice__c', actionName: 'view' },
    });
    expect(recordPageReference('a035e00000AbCdE', 'Customer').attributes.objectApiName).toBe('Customer__c');
    expect(recordPageReference(null, 'Invoice')).toBeNull();
    expect(recordPageReference('a035e00000AbCdEAAA', 'Run')).toBeNull();
    expect(recordPageReference('not an id', 'Invoice')).toBeNull();
  });

  it('links a QuickBooks record by kind and id', () => {
    expect(quickBooksRecordUrl('https://app.sandbox.qbo.intuit.com/', 'Invoice', '130')).toBe('https://app.sandbox.qbo.intuit.com/app/invoice?txnId=130');
    expect(quickBooksRecordUrl('https://app.qbo.intuit.com', 'Customer', '58')).toBe('https://app.qbo.intuit.com/app/customerdetail?nameId=58');
    expect(quickBooksRecordUrl('https://app.qbo.intuit.com', 'Run', '1')).toBeNull();
    expect(quickBooksRecordUrl('https://app.qbo.intuit.com', 'Invoice', null)).toBeNull();
  });

  it('builds the Ledgerline Export Run message from a run status', () => {
    expect(
      runMessage({
        runId: 'r',
        companyId: 'c',
        status: 'running',
        phase: 'invoices',
        progress: {},
        finished: false,
        processLogId: 'p',
        counts: { created: 1 },
      }),
    ).toEqual({
      runId: 'r',
      companyId: 'c',
      status: 'running',
      phase: 'invoices',
      dryRun: false,
      finished: false,
      processLogId: 'p',
      counts: { created: 1 },
    });
    expect(runMessage(null).finished).toBe(false);
  });
});
