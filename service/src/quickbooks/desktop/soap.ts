// SOAP 1.1 document/literal envelopes of the Web Connector's service (namespace http://developer.intuit.com/),
// hand-written with fast-xml-parser: the operations are few and fixed, and the Web Connector is exact about them.
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export const QBWC_NS = 'http://developer.intuit.com/';
export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

export const OPERATIONS = [
  'serverVersion',
  'clientVersion',
  'authenticate',
  'sendRequestXML',
  'receiveResponseXML',
  'connectionError',
  'getLastError',
  'closeConnection',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface SoapCall {
  operation: Operation;
  /** The operation's parameters as strings ('' when empty or absent). */
  params: Record<string, string>;
}

export class SoapFault extends Error {
  override name = 'SoapFault';
  constructor(
    readonly faultcode: 'soap:Client' | 'soap:Server',
    message: string,
  ) {
    super(message);
  }
}

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: false });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });

/** The operation and its parameters from a request envelope (prefixes and namespaces as any client writes them). */
export function parseCall(xml: string): SoapCall {
  // No document type: entity declarations could expand without bound (the Web Connector never sends one).
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw new SoapFault('soap:Client', 'The request declares a document type (DTD) or entities, which this service does not accept.');
  // The parser is lenient (an unclosed element still parses): a request must be well-formed before it is read.
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new SoapFault('soap:Client', `The request is not well-formed XML (line ${valid.err.line}: ${valid.err.msg}).`);
  let doc: any;
  try {
    doc = parser.parse(xml);
  } catch {
    throw new SoapFault('soap:Client', 'The request is not well-formed XML.');
  }
  const body = doc?.Envelope?.Body;
  if (!body || typeof body !== 'object') throw new SoapFault('soap:Client', 'The request has no SOAP Body.');
  const name = Object.keys(body).find((k) => (OPERATIONS as readonly string[]).includes(k));
  if (!name) throw new SoapFault('soap:Client', `Unknown operation: ${Object.keys(body)[0] ?? '(none)'}.`);
  const raw = body[name];
  const params: Record<string, string> = {};
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      // Whitespace between the parameters is not a parameter.
      if (k.startsWith('#')) continue;
      params[k] = v === null || v === undefined || typeof v === 'object' ? '' : String(v);
    }
  }
  return { operation: name as Operation, params };
}

function envelope(body: unknown): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    builder.build({
      'soap:Envelope': {
        '@_xmlns:soap': SOAP_ENV_NS,
        '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
        '@_xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
        'soap:Body': body,
      },
    })
  );
}

/** `<opResponse xmlns="http://developer.intuit.com/"><opResult>…</opResult></opResponse>` */
export function resultEnvelope(operation: Operation, result: string | number | string[]): string {
  const value = Array.isArray(result) ? { string: result } : String(result);
  return envelope({ [`${operation}Response`]: { '@_xmlns': QBWC_NS, [`${operation}Result`]: value } });
}

export function faultEnvelope(fault: SoapFault): string {
  return envelope({ 'soap:Fault': { faultcode: fault.faultcode, faultstring: fault.message } });
}

const STRING_PARAMS: Record<Operation, string[]> = {
  serverVersion: [],
  clientVersion: ['strVersion'],
  authenticate: ['strUserName', 'strPassword'],
  sendRequestXML: ['ticket', 'strHCPResponse', 'strCompanyFileName', 'qbXMLCountry'],
  receiveResponseXML: ['ticket', 'response', 'hresult', 'message'],
  connectionError: ['ticket', 'hresult', 'message'],
  getLastError: ['ticket'],
  closeConnection: ['ticket'],
};
const RESULT_TYPE: Record<Operation, string> = {
  serverVersion: 's:string',
  clientVersion: 's:string',
  authenticate: 'tns:ArrayOfString',
  sendRequestXML: 's:string',
  receiveResponseXML: 's:int',
  connectionError: 's:string',
  getLastError: 's:string',
  closeConnection: 's:string',
};

/** The service description the Web Connector (and any SOAP client) reads at /qbwc?wsdl. */
export function wsdl(location: string): string {
  const element = (name: string, children: string) =>
    `<s:element name="${name}"><s:complexType><s:sequence>${children}</s:sequence></s:complexType></s:element>`;
  const optional = (name: string, type = 's:string') => `<s:element minOccurs="0" maxOccurs="1" name="${name}" type="${type}"/>`;
  const types = OPERATIONS.map((op) => {
    const inputs =
      STRING_PARAMS[op].map((p) => optional(p)).join('') +
      (op === 'sendRequestXML'
        ? '<s:element minOccurs="1" maxOccurs="1" name="qbXMLMajorVers" type="s:int"/><s:element minOccurs="1" maxOccurs="1" name="qbXMLMinorVers" type="s:int"/>'
        : '');
    const result =
      op === 'receiveResponseXML' ? `<s:element minOccurs="1" maxOccurs="1" name="${op}Result" type="s:int"/>` : optional(`${op}Result`, RESULT_TYPE[op]);
    return element(op, inputs) + element(`${op}Response`, result);
  }).join('');
  const messages = OPERATIONS.map(
    (op) =>
      `<wsdl:message name="${op}SoapIn"><wsdl:part name="parameters" element="tns:${op}"/></wsdl:message>` +
      `<wsdl:message name="${op}SoapOut"><wsdl:part name="parameters" element="tns:${op}Response"/></wsdl:message>`,
  ).join('');
  const ports = OPERATIONS.map(
    (op) => `<wsdl:operation name="${op}"><wsdl:input message="tns:${op}SoapIn"/><wsdl:output message="tns:${op}SoapOut"/></wsdl:operation>`,
  ).join('');
  const bindings = OPERATIONS.map(
    (op) =>
      `<wsdl:operation name="${op}"><soap:operation soapAction="${QBWC_NS}${op}" style="document"/>` +
      `<wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>`,
  ).join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<wsdl:definitions xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="${QBWC_NS}" targetNamespace="${QBWC_NS}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">` +
    `<wsdl:types><s:schema elementFormDefault="qualified" targetNamespace="${QBWC_NS}">${types}` +
    '<s:complexType name="ArrayOfString"><s:sequence><s:element minOccurs="0" maxOccurs="unbounded" name="string" nillable="true" type="s:string"/></s:sequence></s:complexType>' +
    `</s:schema></wsdl:types>${messages}<wsdl:portType name="QBWebConnectorSvcSoap">${ports}</wsdl:portType>` +
    `<wsdl:binding name="QBWebConnectorSvcSoap" type="tns:QBWebConnectorSvcSoap"><soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>${bindings}</wsdl:binding>` +
    `<wsdl:service name="QBWebConnectorSvc"><wsdl:port name="QBWebConnectorSvcSoap" binding="tns:QBWebConnectorSvcSoap"><soap:address location="${escapeAttr(location)}"/></wsdl:port></wsdl:service>` +
    '</wsdl:definitions>'
  );
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
