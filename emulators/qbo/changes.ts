// What changed in a company, as QuickBooks tracks it for Change Data Capture and webhooks: every write stamps the
// entity's MetaData.LastUpdatedTime (rules.ts / payments.ts), a delete leaves a tombstone, and each change of a
// document is queued as a CloudEvent for the app's webhook endpoint (webhooks.ts delivers them).
import { randomUUID } from 'node:crypto';
import type { WriteContext } from './rules';
import type { EntityName, Realm, Tombstone } from './state';

export type ChangeOperation = 'created' | 'updated' | 'deleted' | 'voided';

/** One CloudEvent as Intuit's webhooks send it (the 2025 format: one delivery may carry several companies). */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  datacontenttype: 'application/json';
  time: string;
  intuitentityid: string;
  intuitaccountid: string;
  data: Record<string, never>;
}

/** The company's deleted entities of one type, oldest first. */
export function tombstonesOf(realm: Realm, name: EntityName): Tombstone[] {
  return [...(realm.tombstones.get(name)?.values() ?? [])];
}

/**
 * Records a change made by a QuickBooks user or an app (not seeding): a delete leaves a tombstone, and the change is
 * queued for webhooks.
 */
export function noteChange(ctx: WriteContext, name: EntityName, id: string, operation: ChangeOperation): void {
  if (ctx.seeding) return;
  if (operation === 'deleted') {
    const table = ctx.realm.tombstones.get(name) ?? new Map<string, Tombstone>();
    ctx.realm.tombstones.set(name, table);
    table.delete(id);
    table.set(id, { Id: id, deletedAt: ctx.now });
  }
  ctx.state.webhooks.queue({
    specversion: '1.0',
    id: randomUUID(),
    source: `intuit.${ctx.realm.realmId}`,
    type: `qbo.${name.toLowerCase()}.${operation}.v1`,
    datacontenttype: 'application/json',
    time: new Date(ctx.now).toISOString(),
    intuitentityid: id,
    intuitaccountid: ctx.realm.realmId,
    data: {},
  });
}
