// The batch endpoint: up to `batchMax` independent items (create, update,
// delete or query). Each item succeeds or fails on its own; the call itself
// answers 200 with one BatchItemResponse per item, in request order.

import { entityName, writeEntity } from './entities';
import { faults, QboFault } from './faults';
import { executeQuery } from './query';
import { isObject, str, type WriteContext } from './rules';

const ITEM_META = new Set(['bId', 'operation', 'optionsData']);

/** Longest request_id QBO stores; for batch items it is the requestid plus the bId. */
export const REQUEST_ID_MAX = 50;

export function batchItems(body: unknown): unknown[] {
  if (!isObject(body) || !Array.isArray(body.BatchItemRequest)) throw faults.requiredParam('BatchItemRequest');
  return body.BatchItemRequest;
}

export function checkBatchSize(count: number, max: number): void {
  if (count > max) {
    throw faults.businessValidation(`The number of BatchItemRequest objects (${count}) exceeds the maximum of ${max} allowed in one batch request.`);
  }
}

function runItem(ctx: WriteContext, item: unknown, requestId: string | undefined): Record<string, unknown> {
  const bId = isObject(item) ? str(item.bId) : undefined;
  try {
    if (!isObject(item)) throw faults.malformedBody('BatchItemRequest entry is not an object');
    if (requestId !== undefined && requestId.length + (bId?.length ?? 0) > REQUEST_ID_MAX) {
      throw faults.requestIdTooLong(`${requestId}${bId ?? ''}`);
    }
    if (typeof item.Query === 'string') {
      return { ...executeQuery(ctx.realm, item.Query), bId };
    }
    const key = Object.keys(item).find((k) => !ITEM_META.has(k));
    const name = key === undefined ? undefined : entityName(key);
    if (key === undefined || name === undefined) {
      throw faults.unsupportedOperation(`Operation ${str(item.operation) ?? 'create'} is not supported for entity ${key ?? '(none)'}.`);
    }
    const operation = str(item.operation) ?? 'create';
    const result = writeEntity(ctx, name, item[key], operation);
    if (operation === 'create') ctx.createdInBatch?.add(`${name}:${result.Id}`);
    return { [name]: result, bId };
  } catch (e) {
    if (e instanceof QboFault) return { Fault: e.fault(), bId };
    throw e;
  }
}

export function runBatch(ctx: WriteContext, items: unknown[], requestId: string | undefined): Record<string, unknown>[] {
  const batchCtx: WriteContext = { ...ctx, createdInBatch: new Set() };
  return items.map((item) => runItem(batchCtx, item, requestId));
}
