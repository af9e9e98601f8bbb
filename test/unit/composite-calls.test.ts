// Reading Salesforce's /composite answers: bodies in the order sent, and a failed subrequest (or a refusal of the whole
// call) thrown as the error the same call alone throws — which the outage rules then classify as before.
import { CompositeAnswerSchema, inGroups, subrequestBodies, subrequestError, type Subrequest } from '../../service/src/salesforce/compositeCalls';
import { classifySalesforceFailure } from '../../service/src/salesforce/faults';

const sent: Subrequest[] = [
  { method: 'GET', url: '/services/data/v62.0/query/?q=a', referenceId: 'page0' },
  { method: 'GET', url: '/services/data/v62.0/query/?q=b', referenceId: 'page1' },
];
const ok = (referenceId: string, body: unknown) => ({ body, httpHeaders: {}, httpStatusCode: 200, referenceId });

describe('composite answers', () => {
  it('when the answer lists results out of order, then the bodies come back in the order sent, by referenceId', () => {
    const answer = CompositeAnswerSchema.parse({ compositeResponse: [ok('page1', 'b'), ok('page0', 'a')] });
    expect(subrequestBodies(sent, answer)).toEqual(['a', 'b']);
  });

  it('when a subrequest failed, then its error is thrown named after the errorCode, as jsforce names a failed call', () => {
    const body = [{ message: "No such column 'Nope__c' on entity 'Sales_Invoice__c'.", errorCode: 'INVALID_FIELD' }];
    const answer = CompositeAnswerSchema.parse({ compositeResponse: [ok('page0', 'a'), { body, httpHeaders: {}, httpStatusCode: 400, referenceId: 'page1' }] });
    expect(() => subrequestBodies(sent, answer)).toThrow(
      expect.objectContaining({ name: 'INVALID_FIELD', errorCode: 'INVALID_FIELD', message: body[0]!.message }),
    );
    expect(classifySalesforceFailure(subrequestError(400, body))).toBeNull();
  });

  it('when a subrequest answered 500 or the call hit a limit, then the error is classified as the call alone would be', () => {
    const server = subrequestError(500, [{ message: 'An unexpected error occurred.', errorCode: 'UNKNOWN_EXCEPTION' }]);
    expect(classifySalesforceFailure(server)).toMatchObject({ reason: 'server', salesforceCode: 'UNKNOWN_EXCEPTION' });
    const limit = CompositeAnswerSchema.parse({
      compositeResponse: [
        {
          body: [{ errorCode: 'LIMIT_EXCEEDED', message: 'The request can’t contain more than 25 operations.' }],
          httpHeaders: {},
          httpStatusCode: 400,
          referenceId: null,
        },
      ],
    });
    expect(() => subrequestBodies(sent, limit)).toThrow(expect.objectContaining({ errorCode: 'LIMIT_EXCEEDED' }));
  });

  it('when an error body is not the usual list of one, then it is MULTIPLE_API_ERRORS or ERROR_HTTP_<status>, as jsforce reads it', () => {
    const two = [
      { message: 'one', errorCode: 'A' },
      { message: 'two', errorCode: 'B' },
    ];
    expect(subrequestError(400, two)).toMatchObject({ errorCode: 'MULTIPLE_API_ERRORS', data: two });
    expect(subrequestError(502, '<html>Bad gateway</html>')).toMatchObject({ errorCode: 'ERROR_HTTP_502' });
    expect(classifySalesforceFailure(subrequestError(502, '<html>Bad gateway</html>'))).toMatchObject({ reason: 'server' });
  });

  it('when items are grouped for calls, then each group holds at most five, in order', () => {
    expect(inGroups([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])).toEqual([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11]]);
    expect(inGroups([])).toEqual([]);
  });
});
