// The pure decisions about Salesforce failures and the org's API allowance.
import { SalesforceUnavailableError, retryText } from '../../service/src/errors';
import { SalesforceAllowance } from '../../service/src/salesforce/allowance';
import { classifySalesforceFailure, isDailyLimit } from '../../service/src/salesforce/faults';
import { chunksThatFit, splitByNames } from '../../service/src/salesforce/repository';

/** What jsforce throws for an error answer: an Error named after the REST errorCode. */
function httpApiError(errorCode: string, message: string): Error {
  const err = new Error(message) as Error & { errorCode: string };
  err.name = errorCode;
  err.errorCode = errorCode;
  return err;
}

function fetchError(code: string): Error {
  const err = new Error(`request to https://example.my.salesforce.com failed, reason: ${code}`) as Error & { code: string; type: string };
  err.name = 'FetchError';
  err.code = code;
  err.type = 'system';
  return err;
}

describe('classifying a failed Salesforce call', () => {
  it.each([
    [httpApiError('SERVER_UNAVAILABLE', 'Server temporarily unavailable'), 'server', 30],
    [httpApiError('UNKNOWN_EXCEPTION', 'An unexpected error occurred.'), 'server', 30],
    [httpApiError('ERROR_HTTP_503', '<html>Maintenance</html>'), 'server', 30],
    [httpApiError('ERROR_HTTP_502', ''), 'server', 30],
    [fetchError('ECONNRESET'), 'network', 15],
    [fetchError('ENOTFOUND'), 'network', 15],
    [Object.assign(new Error('The user aborted a request. Request was aborted due to timeout of 10 minutes.'), { name: 'AbortError' }), 'network', 15],
    [httpApiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), 'limit', 3600],
    [httpApiError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'), 'limit', 30],
    [new Error('Unable to refresh session due to: invalid_client'), 'session', 60],
    [
      new Error('Unable to refresh session due to: request to https://login.salesforce.com/services/oauth2/token failed, reason: connect ECONNREFUSED'),
      'network',
      15,
    ],
  ])('when jsforce throws %s, then it is a transient "%s" outage with a retry time', (err, reason, seconds) => {
    const outage = classifySalesforceFailure(err);
    expect(outage).toBeInstanceOf(SalesforceUnavailableError);
    expect(outage).toMatchObject({ reason, retryAfterSeconds: seconds, status: 503, code: 'SALESFORCE_UNAVAILABLE' });
    expect(outage!.message).toMatch(/^Salesforce is not available right now: .+\. Try again in .+\.$/);
  });

  it('when the failure is the request’s own (a bad query, a refused record), then it is not an outage', () => {
    expect(classifySalesforceFailure(httpApiError('MALFORMED_QUERY', 'unexpected token'))).toBeNull();
    expect(classifySalesforceFailure(httpApiError('INVALID_FIELD', 'No such column'))).toBeNull();
    expect(classifySalesforceFailure(httpApiError('ERROR_HTTP_404', 'not found'))).toBeNull();
    expect(classifySalesforceFailure(new Error('Salesforce refused to create Process_Log__c'))).toBeNull();
    expect(classifySalesforceFailure('text')).toBeNull();
  });

  it('when the daily allowance is gone, then it is told apart from a concurrency limit', () => {
    expect(isDailyLimit(classifySalesforceFailure(httpApiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'))!)).toBe(true);
    expect(isDailyLimit(classifySalesforceFailure(httpApiError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'))!)).toBe(false);
  });

  it('when a retry time is shown, then it reads naturally', () => {
    expect([1, 15, 60, 90, 900, 3600, 7200].map(retryText)).toEqual(['1 second', '15 seconds', '1 minute', '2 minutes', '15 minutes', '1 hour', '2 hours']);
  });
});

describe('the org’s API allowance', () => {
  it('when nothing has been reported, then it is unknown and never pauses', () => {
    const allowance = new SalesforceAllowance();
    expect(allowance.remaining()).toBeNull();
    expect(allowance.shouldPause()).toBe(false);
  });

  it('when answers report api-usage, then remaining follows, and the reserve (10% by default) decides the pause', () => {
    const allowance = new SalesforceAllowance();
    allowance.observe(100, 15000);
    expect(allowance.remaining()).toBe(14900);
    expect(allowance.reserve()).toBe(1500);
    expect(allowance.shouldPause()).toBe(false);
    allowance.observe(13500, 15000);
    expect(allowance.shouldPause()).toBe(true);
    expect(allowance.shouldPause(1000)).toBe(false);
  });

  it('when answers of concurrent calls arrive out of order, then a lower usage a moment later does not win', () => {
    let now = 0;
    const allowance = new SalesforceAllowance({ now: () => new Date(now) });
    allowance.observe(500, 1000);
    now += 100;
    allowance.observe(498, 1000);
    expect(allowance.remaining()).toBe(500);
    now += 60_000; // a minute on, the rolling 24 hours may really have freed calls
    allowance.observe(450, 1000);
    expect(allowance.remaining()).toBe(550);
  });

  it('when /limits answers or the org refuses a call, then the reading says so', () => {
    const allowance = new SalesforceAllowance({ reservePercent: 20 });
    allowance.observeLimits({ DailyApiRequests: { Max: 5000, Remaining: 4200 } });
    expect(allowance.reading()).toMatchObject({ used: 800, limit: 5000, remaining: 4200, source: 'limits' });
    expect(allowance.reserve()).toBe(1000);
    allowance.exhausted();
    expect(allowance.reading()).toMatchObject({ remaining: 0, source: 'refused' });
    expect(allowance.shouldPause()).toBe(true);
    allowance.observe(4990, 5000);
    expect(allowance.remaining()).toBe(10);
  });
});

describe('splitting a query that names many invoices', () => {
  const build = (f: { invoiceNumbers?: string[] }) =>
    `SELECT Id FROM Sales_Invoice__c WHERE Name IN (${(f.invoiceNumbers ?? []).map((n) => `'${n}'`).join(', ')})`;

  it('when the query fits, then it is one query', () => {
    expect(splitByNames({ invoiceNumbers: ['SI-2', 'SI-1'] }, build)).toHaveLength(1);
  });

  it('when 1,000 names of 80 characters are given, then every query fits the URI limit and every name is asked exactly once, in order', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `${String(999 - i).padStart(4, '0')}-${'x'.repeat(75)}`);
    const queries = splitByNames({ invoiceNumbers: names }, build, 12_000);
    expect(queries.length).toBeGreaterThan(1);
    for (const q of queries) expect(encodeURIComponent(q).length + 64).toBeLessThanOrEqual(12_000);
    const asked = queries.flatMap((q) => [...q.matchAll(/'([^']+)'/g)].map((m) => m[1]));
    expect(asked).toEqual([...names].sort());
  });
});

describe('reading the lines of a page of invoices by their ids', () => {
  const query = (ids: string[]) => `SELECT Id FROM Sales_Invoice_Line__c WHERE Sales_Invoice__c IN (${ids.map((id) => `'${id}'`).join(', ')})`;

  it('when a page holds 2,000 invoices, then the ids go in queries that each fit the URI limit, every id once and in order', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `a0B5g00000${String(i).padStart(5, '0')}AAA`);
    const chunks = chunksThatFit(ids, query, 12_000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(encodeURIComponent(query(chunk)).length + 64).toBeLessThanOrEqual(12_000);
    expect(chunks.flat()).toEqual(ids);
  });

  it('when there are no invoices, then nothing is asked', () => {
    expect(chunksThatFit([], query)).toEqual([]);
  });
});
