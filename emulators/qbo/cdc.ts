// Change Data Capture: `GET /cdc?entities=Invoice,Payment&changedSince=<date-time>` returns, per entity asked for, the
// records changed since then with their full payload, oldest change first, then the ones deleted since then
// (`status: "Deleted"`), as Intuit documents it and the recording minimul/qbo_api spec/vcr/qbo_api/cdc/basic.yml shows
// (`{"CDCResponse":[{"QueryResponse":[{"Estimate":[…],"startPosition":1,"maxResults":4}]}],"time":…}`, rows in
// ascending LastUpdatedTime). Limits: at most 30 days back, at most 1,000 objects per entity in one answer.
import { tombstonesOf } from './changes';
import { qboDateTime } from './clock';
import { entityName } from './entities';
import { faults, QboFault } from './faults';
import type { Entity, EntityName, Realm } from './state';

export const CDC_MAX_OBJECTS = 1000;
export const CDC_LOOKBACK_DAYS = 30;
const DAY_MS = 86_400_000;

/** Entities CDC does not serve (Intuit: all but JournalCode, TimeActivity, TaxAgency, TaxCode and TaxRate). */
const NOT_TRACKED: ReadonlySet<EntityName> = new Set(['TaxCode']);

/** The recorded answer to a missing or unknown entity list: a SystemFault naming the Java exception. */
function systemFailure(detail: string): QboFault {
  return new QboFault(
    [
      {
        Message: 'An application error has occurred while processing your request',
        Detail: `System Failure Error: java.lang.IllegalArgumentException: ${detail}`,
        code: '10000',
        element: 'SystemFailureError',
      },
    ],
    'SystemFault',
    // The recording answered these with HTTP 200 and the fault in the body.
    200,
  );
}

/** Seconds since the epoch, as QuickBooks compares them (MetaData times carry no milliseconds). */
function second(ms: number): number {
  return Math.floor(ms / 1000);
}

function parseEntities(raw: string | undefined): EntityName[] {
  if (!raw || raw.trim() === '') throw systemFailure('entities is required');
  const names: EntityName[] = [];
  for (const part of raw.split(',')) {
    const trimmed = part.trim();
    const name = entityName(trimmed);
    if (!name || NOT_TRACKED.has(name)) throw systemFailure(`Invalid entity supplied : entity=${trimmed}`);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

function parseSince(raw: string | undefined, now: number): number {
  if (!raw || raw.trim() === '') throw faults.requiredParam('changedSince');
  const at = Date.parse(raw.trim());
  if (Number.isNaN(at)) throw faults.unsupportedOperation(`Operation cdc with changedSince date ${raw} is not supported.`);
  // Wording from a public report (Wish-Org/QuickBooksSharp issue 19); its code and status were not recorded.
  if (at < now - CDC_LOOKBACK_DAYS * DAY_MS)
    throw faults.unsupportedOperation(`Operation cdc with changedSince date ${raw} which is older than fixed days is not supported.`);
  return at;
}

function updatedAt(entity: Entity): number {
  const at = Date.parse(String(entity.MetaData?.LastUpdatedTime ?? ''));
  return Number.isNaN(at) ? 0 : at;
}

/** One entity's part of the answer: changed records oldest change first, then deletions, 1,000 at most. */
function changesOf(realm: Realm, name: EntityName, since: number): Record<string, unknown> {
  const changed = [...realm.table(name).values()]
    .filter((e) => second(updatedAt(e)) >= second(since))
    .sort((a, b) => updatedAt(a) - updatedAt(b) || Number(a.Id) - Number(b.Id));
  const deleted = tombstonesOf(realm, name)
    .filter((t) => second(t.deletedAt) >= second(since))
    .sort((a, b) => a.deletedAt - b.deletedAt)
    .map((t) => ({ status: 'Deleted', domain: 'QBO', Id: t.Id, MetaData: { LastUpdatedTime: qboDateTime(t.deletedAt) } }));
  const rows = [...changed, ...deleted].slice(0, CDC_MAX_OBJECTS);
  return rows.length ? { [name]: rows, startPosition: 1, maxResults: rows.length } : {};
}

/** The CDC answer (without `time`, which the route adds). Throws a QboFault for a bad request. */
export function changeDataCapture(realm: Realm, entities: string | undefined, changedSince: string | undefined, now: number): { CDCResponse: unknown[] } {
  const names = parseEntities(entities);
  const since = parseSince(changedSince, now);
  return { CDCResponse: [{ QueryResponse: names.map((name) => changesOf(realm, name, since)) }] };
}
