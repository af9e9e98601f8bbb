import { parseFault } from '../../service/src/quickbooks/online/errors';

describe('QuickBooks fault parsing keeps tokens out of messages', () => {
  it('when the gateway answers an expired token with the token in its detail, then the fault names the expiry but not the token', () => {
    // The recorded body (minimul/qbo_api spec/vcr/error/401.yml).
    const body =
      '{"warnings":null,"intuitObject":null,"fault":{"error":[{"message":"message=AuthenticationFailed; errorCode=003200; statusCode=401",' +
      '"detail":"Token expired: AB01601390262kxzxOlnHYdhtEVRXISU7piPqQrCmmbDN35Yjd","code":"3200","element":null}],"type":"AUTHENTICATION"},' +
      '"report":null,"queryResponse":null,"batchItemResponse":[],"attachableResponse":[],"syncErrorResponse":null,"requestId":null,' +
      '"time":1601391072830,"status":null,"cdcresponse":[]}';
    const fault = parseFault(401, body, 'tid');
    expect(fault.kind).toBe('unauthorized');
    expect(fault.code).toBe('3200');
    expect(fault.errors[0].detail).toBe('Token expired: [redacted]');
    expect(fault.message).not.toContain('AB01601390262');
  });
});
