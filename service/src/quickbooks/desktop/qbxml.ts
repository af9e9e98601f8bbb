// qbXML messages: requests built with fast-xml-parser's XMLBuilder (children in schema order, see schema.ts),
// responses parsed back into typed answers tied to their requests by requestID (their status read in answers.ts).
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { checkAdd, readHead } from './answers';
import { ordered, type Element } from './schema';

export const QBXML_VERSION = '13.0';

export interface QbRequest {
  /** The request element, e.g. CustomerAddRq, InvoiceQueryRq. */
  rq: string;
  /** Ties the answer back (at most 50 characters). */
  requestID: string;
  /** Other attributes (iterator, iteratorID). */
  attrs?: Record<string, string>;
  /** The request's content: { CustomerAdd: {...} } for an add, the filters for a query. */
  content: Element;
}

export interface QbResponse {
  rs: string;
  requestID: string;
  statusCode: number;
  statusSeverity: string;
  statusMessage: string;
  /** Every *Ret element, in order (CustomerRet, ItemServiceRet, InvoiceRet, ...), with its element name. */
  rets: { type: string; value: Element }[];
  iteratorID?: string;
  iteratorRemainingCount?: number;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });

/** An add request: `<CustomerAddRq requestID="..."><CustomerAdd>...</CustomerAdd></CustomerAddRq>`. */
export function addRequest(entity: string, requestID: string, children: Element): QbRequest {
  return { rq: `${entity}AddRq`, requestID, content: { [`${entity}Add`]: ordered(`${entity}Add`, children) } };
}

/** A query request; `iterator` pages through a long list. */
export function queryRequest(entity: string, requestID: string, filters: Element, iterator?: { start: true } | { continue: string }): QbRequest {
  const attrs: Record<string, string> | undefined = iterator
    ? 'start' in iterator
      ? { iterator: 'Start' }
      : { iterator: 'Continue', iteratorID: iterator.continue }
    : undefined;
  return { rq: `${entity}QueryRq`, requestID, attrs, content: ordered(`${entity}QueryRq`, filters) };
}

export function buildRequest(request: QbRequest): string {
  const attributes: Record<string, string> = { '@_requestID': request.requestID };
  for (const [k, v] of Object.entries(request.attrs ?? {})) attributes[`@_${k}`] = v;
  return builder.build({ [request.rq]: { ...attributes, ...request.content } }) as string;
}

/** One qbXML message: every request of one Web Connector round, processed on past a failed one. */
export function buildMessage(requests: QbRequest[], version = QBXML_VERSION): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="${version}"?>\n` +
    `<QBXML><QBXMLMsgsRq onError="continueOnError">${requests.map(buildRequest).join('')}</QBXMLMsgsRq></QBXML>`
  );
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // ListIDs, RefNumbers and amounts stay strings exactly as QuickBooks wrote them.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name, jpath) => /Ret$/.test(name) || (typeof jpath === 'string' && /^QBXML\.QBXMLMsgsRs\.[A-Za-z]+Rs$/.test(jpath)),
});

export class QbXmlError extends Error {
  override name = 'QbXmlError';
}

/** The answers of one qbXML response message, in order. */
export function parseResponse(xml: string): QbResponse[] {
  let doc: any;
  try {
    doc = parser.parse(xml);
  } catch (err) {
    throw new QbXmlError(`QuickBooks sent a response that is not XML: ${(err as Error).message}`);
  }
  const msgs = doc?.QBXML?.QBXMLMsgsRs;
  if (msgs === undefined) throw new QbXmlError('QuickBooks sent a response without QBXMLMsgsRs.');
  const out: QbResponse[] = [];
  if (!msgs || typeof msgs !== 'object') return out;
  for (const [rs, list] of Object.entries(msgs as Record<string, unknown>)) {
    if (!rs.endsWith('Rs')) continue;
    for (const item of list as Element[]) {
      const rets: QbResponse['rets'] = [];
      for (const [key, value] of Object.entries(item ?? {})) {
        if (key.endsWith('Ret')) for (const v of value as Element[]) rets.push({ type: key, value: v });
      }
      out.push({ rs, ...checkAdd(rs, readHead(item ?? {}), rets), rets });
    }
  }
  return out;
}

/** Money as qbXML's AMTTYPE: two decimals, a dot, no grouping. */
export function amount(value: number): string {
  return value.toFixed(2);
}

/** PRICETYPE (up to 5 decimals) and QUANTYPE, without trailing zeros past two places. */
export function decimal(value: number, places = 5): string {
  const fixed = value.toFixed(places);
  return fixed.replace(/(\.\d\d\d*?)0+$/, '$1');
}

/** A text value of a parsed element (the parser keeps strings). */
export function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') return null;
  return String(value);
}
