import { reduceErrors, formatLabel, processLogUrl, subscribeToRunFinished, publishRunFinished } from 'c/ledgerlineUtils';

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

  it('builds the Process Log record URL', () => {
    expect(processLogUrl('a0C000000000001')).toBe('/lightning/r/Process_Log__c/a0C000000000001/view');
    expect(processLogUrl(null)).toBeNull();
  });

  it('tells every subscriber about a finished run, even if one throws', () => {
    const first = jest.fn(() => {
      throw new Error('broken');
    });
    const second = jest.fn();
    const offFirst = subscribeToRunFinished(first);
    const offSecond = subscribeToRunFinished(second);

    publishRunFinished({ runId: 'r1' });
    offSecond();
    publishRunFinished({ runId: 'r2' });
    offFirst();

    expect(first).toHaveBeenCalledTimes(2);
    expect(second).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledWith({ runId: 'r1' });
  });
});
