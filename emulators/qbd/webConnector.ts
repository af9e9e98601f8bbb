// Plays Intuit's QuickBooks Web Connector against a Ledgerline service: reads the WSDL, signs in, and loops
// sendRequestXML -> QuickBooks Desktop (the stand-in company) -> receiveResponseXML until the service says 100
// or has nothing more — exactly the calls, order and parameters the Web Connector makes. A test can cut the
// session off after QuickBooks processed a request (the answer never reaches the service), or report a
// connection error. The SOAP side is the `soap` package: a client independent of the service's own envelopes.
import * as soap from 'soap';
import type { QuickBooksDesktopCompany } from './company';

export const WEB_CONNECTOR_VERSION = '2.3.0.215';

export interface SessionOptions {
  /** The service's Web Connector URL (…/qbwc); the WSDL is read from ?wsdl. */
  url: string;
  username: string;
  password: string;
  company: QuickBooksDesktopCompany;
  /** Cut the session off after QuickBooks processed this message (its answer is lost). */
  cutAfter?: (requestXml: string, round: number) => boolean;
  /** Report a connection error instead of reaching QuickBooks for this message. */
  connectionErrorOn?: (requestXml: string, round: number) => boolean;
  /** Pause after "NoOp" (the Web Connector waits 5 seconds). */
  noOpPauseMs?: number;
  /** End the session (closeConnection) before asking for the next request once this holds. */
  stopWhen?: () => boolean | Promise<boolean>;
  /** Give up after this many rounds (a safety net for tests). */
  maxRounds?: number;
  onRound?: (round: { request: string; percent: number }) => void;
}

export interface SessionResult {
  /** authenticate's answer: [ticket, "" | "none" | "nvu" | company file]. */
  auth: string[];
  rounds: number;
  /** The percentages receiveResponseXML returned, in order. */
  percents: number[];
  lastError: string | null;
  closeMessage: string | null;
  cut: boolean;
  /** Times sendRequestXML answered an empty string (the Web Connector takes it as an error or a pause). */
  emptyRequests: number;
  /** Requests the service sent that were only keep-alives (no work of its own). */
  keepAlives: number;
}

type Client = soap.Client & Record<string, (args: unknown) => Promise<[any, string]>>;

export async function createWebConnectorClient(url: string): Promise<Client> {
  return (await soap.createClientAsync(`${url}?wsdl`, { endpoint: url })) as Client;
}

/** One Web Connector session ("Update Selected"), start to end. */
export async function runWebConnectorSession(opts: SessionOptions, client?: Client): Promise<SessionResult> {
  const c = client ?? (await createWebConnectorClient(opts.url));
  const result: SessionResult = { auth: [], rounds: 0, percents: [], lastError: null, closeMessage: null, cut: false, emptyRequests: 0, keepAlives: 0 };
  await c.serverVersionAsync({});
  const [version] = await c.clientVersionAsync({ strVersion: WEB_CONNECTOR_VERSION });
  if (String(version?.clientVersionResult ?? '').startsWith('E:')) throw new Error(`the service refused this Web Connector: ${version.clientVersionResult}`);
  const [auth] = await c.authenticateAsync({ strUserName: opts.username, strPassword: opts.password });
  result.auth = ([] as string[]).concat(auth?.authenticateResult?.string ?? []).map((s) => (s === null || s === undefined ? '' : String(s)));
  const [ticket, status] = result.auth;
  if (!ticket || status === 'nvu' || status === 'none') return result;
  const maxRounds = opts.maxRounds ?? 10_000;
  for (let round = 1; round <= maxRounds; round++) {
    if (await opts.stopWhen?.()) break;
    const [sent] = await c.sendRequestXMLAsync({
      ticket,
      strHCPResponse: round === 1 ? hostResponse() : '',
      strCompanyFileName: 'C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Company Files\\Ledgerline Demo.QBW',
      qbXMLCountry: 'US',
      qbXMLMajorVers: 13,
      qbXMLMinorVers: 0,
    });
    const request = String(sent?.sendRequestXMLResult ?? '');
    if (!request) result.emptyRequests++;
    else if (/^<\?xml[^>]*\?>\s*<\?qbxml[^>]*\?>\s*<QBXML><QBXMLMsgsRq[^>]*><HostQueryRq [^>]*><\/HostQueryRq><\/QBXMLMsgsRq><\/QBXML>$/.test(request))
      result.keepAlives++;
    if (!request) {
      const [last] = await c.getLastErrorAsync({ ticket });
      result.lastError = String(last?.getLastErrorResult ?? '');
      if (result.lastError === 'NoOp') {
        await new Promise((r) => setTimeout(r, opts.noOpPauseMs ?? 5000));
        continue;
      }
      break;
    }
    result.rounds = round;
    if (opts.connectionErrorOn?.(request, round)) {
      await c.connectionErrorAsync({ ticket, hresult: '0x80040408', message: 'Could not start QuickBooks.' });
      break;
    }
    const answer = opts.company.process(request);
    if (opts.cutAfter?.(request, round)) {
      result.cut = true;
      return result;
    }
    const [received] = await c.receiveResponseXMLAsync(
      'xml' in answer ? { ticket, response: answer.xml, hresult: '', message: '' } : { ticket, response: '', hresult: answer.hresult, message: answer.message },
    );
    const percent = Number(received?.receiveResponseXMLResult);
    result.percents.push(percent);
    opts.onRound?.({ request, percent });
    if (percent < 0) {
      const [last] = await c.getLastErrorAsync({ ticket });
      result.lastError = String(last?.getLastErrorResult ?? '');
      break;
    }
    if (percent >= 100) break;
  }
  const [closed] = await c.closeConnectionAsync({ ticket });
  result.closeMessage = String(closed?.closeConnectionResult ?? '');
  return result;
}

/** What the Web Connector sends with its first sendRequestXML: QuickBooks' HostQuery/CompanyQuery answers. */
function hostResponse(): string {
  return (
    '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><HostQueryRs requestID="0" statusCode="0" statusSeverity="Info" statusMessage="Status OK">' +
    '<HostRet><ProductName>QuickBooks Pro 2024</ProductName><MajorVersion>34</MajorVersion><MinorVersion>0</MinorVersion><Country>US</Country>' +
    '<SupportedQBXMLVersion>13.0</SupportedQBXMLVersion><SupportedQBXMLVersion>16.0</SupportedQBXMLVersion>' +
    '<IsAutomaticLogin>false</IsAutomaticLogin><QBFileMode>SingleUser</QBFileMode></HostRet></HostQueryRs></QBXMLMsgsRs></QBXML>'
  );
}
