// QuickBooks Desktop answers read with zod schemas: each *Rs element's status, and the *Ret records Ledgerline reads.
// An element Ledgerline does not know is never a fault, but a record without its ListID or TxnID is not a record: an
// add answered "Status OK" without one (or without any record) is an answer Ledgerline cannot read — its record is
// looked up in QuickBooks before anything is sent again, and never written back as id "undefined".
import { z } from 'zod';
import { TargetError } from '../../export/target';
import type { Element } from './schema';

/** The status of an answer Ledgerline cannot read (QuickBooks' own codes are never negative). */
export const UNREADABLE_STATUS = -2;
/** The status of a request the message's answer left out. */
export const UNANSWERED_STATUS = -1;

// The parser keeps every value as text (ListIDs, RefNumbers and amounts exactly as QuickBooks wrote them).
const text = z.string().optional();
const id = z.string().trim().min(1, 'empty');

const Head = z.looseObject({
  '@_requestID': z.string().optional(),
  '@_statusCode': z.string().regex(/^-?\d+$/, 'not a status code'),
  '@_statusSeverity': text,
  '@_statusMessage': text,
  '@_iteratorID': text,
  '@_iteratorRemainingCount': z.string().regex(/^\d+$/, 'not a count').optional(),
});

export interface ResponseHead {
  requestID: string;
  statusCode: number;
  statusSeverity: string;
  statusMessage: string;
  iteratorID?: string;
  iteratorRemainingCount?: number;
}

/** The status attributes of one *Rs element; an unreadable one reads as UNREADABLE_STATUS with the reason. */
export function readHead(item: Element): ResponseHead {
  const requestID = typeof item['@_requestID'] === 'string' ? item['@_requestID'] : '';
  const parsed = Head.safeParse(item);
  if (!parsed.success) return { requestID, ...unreadable(`its status (${problemOf(parsed.error)})`) };
  const h = parsed.data;
  return {
    requestID,
    statusCode: Number(h['@_statusCode']),
    statusSeverity: h['@_statusSeverity'] ?? '',
    statusMessage: h['@_statusMessage'] ?? '',
    iteratorID: h['@_iteratorID'],
    iteratorRemainingCount: h['@_iteratorRemainingCount'] === undefined ? undefined : Number(h['@_iteratorRemainingCount']),
  };
}

/** List entries carry a ListID; every other record Ledgerline adds (invoices, credit memos, receipts, payments) a TxnID. */
const LIST_RET = /^(Customer|Item\w*|Class|Account|Vendor|Employee|OtherName)Ret$/;
const ListRet = z.looseObject({ ListID: id });
const TxnRet = z.looseObject({ TxnID: id });

/**
 * An add's answer with status 0 must carry the record it saved, with its id (TxnID for a transaction, ListID for a
 * list entry): otherwise it is read as unreadable, naming what is missing.
 */
export function checkAdd(rs: string, head: ResponseHead, rets: { type: string; value: Element }[]): ResponseHead {
  if (!/AddRs$/.test(rs) || head.statusCode !== 0) return head;
  const ret = rets[0];
  if (!ret) return { ...head, ...unreadable('no record although its status is OK') };
  const key = LIST_RET.test(ret.type) ? 'ListID' : 'TxnID';
  const parsed = (key === 'TxnID' ? TxnRet : ListRet).safeParse(ret.value);
  return parsed.success ? head : { ...head, ...unreadable(`the ${ret.type} without its ${key}`) };
}

function unreadable(what: string): Pick<ResponseHead, 'statusCode' | 'statusSeverity' | 'statusMessage'> {
  return { statusCode: UNREADABLE_STATUS, statusSeverity: 'Error', statusMessage: `QuickBooks answered with ${what}; Ledgerline cannot read it` };
}

function problemOf(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.map(String).join('.')}: ${issue.message}` : 'not readable';
}

export const CustomerRet = z.looseObject({
  ListID: id,
  Name: text,
  FullName: text,
  FirstName: text,
  LastName: text,
  CompanyName: text,
  Email: text,
  BillAddress: z.looseObject({ City: text }).optional(),
});
export const ItemRet = z.looseObject({ ListID: id, Name: text, FullName: text, ManufacturerPartNumber: text });
/** A sales transaction (invoice, credit memo, sales receipt) or a received payment. */
export const SalesTxnRet = z.looseObject({ TxnID: id, RefNumber: text, Subtotal: text, SalesTaxTotal: text, TotalAmount: text, Memo: text });

/** A record of a query's answer as the schema reads it; one that does not read stops the call (QuickBooks may answer again). */
export function readRet<S extends z.ZodType>(schema: S, type: string, value: Element): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new TargetError({ class: 'transient', message: `QuickBooks Desktop answered a ${type} Ledgerline cannot read (${problemOf(parsed.error)})` });
  }
  return parsed.data;
}
