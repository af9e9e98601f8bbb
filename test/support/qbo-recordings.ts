// Real QuickBooks Online answers, copied from public recordings (the source is named on each), and a tiny HTTP
// server that replays one of them, so a client library can be shown to treat the emulator's answer exactly as it
// treats the real one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recording {
  source: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const RECORDED = {
  /** An expired bearer token (OAuth 2.0, Accept: application/json). */
  expiredToken: {
    source: 'minimul/qbo_api spec/vcr/error/401.yml (recorded 2020-09-29)',
    status: 401,
    headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="Intuit", error="invalid_token"' },
    body:
      '{"warnings":null,"intuitObject":null,"fault":{"error":[{"message":"message=AuthenticationFailed; errorCode=003200; statusCode=401",' +
      '"detail":"Token expired: AB01601390262kxzxOlnHYdhtEVRXISU7piPqQrCmmbDN35Yjd","code":"3200","element":null}],"type":"AUTHENTICATION"},' +
      '"report":null,"queryResponse":null,"batchItemResponse":[],"attachableResponse":[],"syncErrorResponse":null,"requestId":null,' +
      '"time":1601391072830,"status":null,"cdcresponse":[]}',
  },
  /** A valid token used with a company it was not issued for (reproduced by Intuit). */
  tokenForAnotherCompany: {
    source: 'intuit/oauth-jsclient issue 91 (Intuit reproduction, 2020); routablehq/python-quickbooks issue 120',
    status: 401,
    headers: { 'content-type': 'application/xml' },
    body:
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="2020-08-18T21:08:26.926-07:00">\n' +
      '    <Fault type="AuthenticationFault">\n        <Error code="100">\n            <Message>General Authentication Error</Message>\n' +
      '            <Detail>AuthenticationErrorGeneral: SRV-110-Authentication Failure , statusCode: 401</Detail>\n        </Error>\n    </Fault>\n</IntuitResponse>\n',
  },
  /** A create that collides with an existing name. */
  duplicateName: {
    source: 'minimul/qbo_api spec/vcr/error/validation.yml (recorded 2020-09-29)',
    status: 400,
    headers: { 'content-type': 'application/json' },
    body:
      '{"Fault":{"Error":[{"Message":"Duplicate Name Exists Error","Detail":"The name supplied already exists. : null","code":"6240"}],"type":"ValidationFault"},' +
      '"time":"2020-09-29T06:58:50.262-07:00"}',
  },
} satisfies Record<string, Recording>;

/** Serves one recording to every request until closed. */
export async function replay(recording: Recording): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(recording.status, recording.headers);
      res.end(recording.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
