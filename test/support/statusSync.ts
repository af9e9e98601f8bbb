// One status sync of one company, run to its end through the sync service's own queue, over a real store and the
// sync's ports as the test gives them.
import pino from 'pino';
import { InProcessQueue } from '../../service/src/jobs/queue';
import type { CompanyModel } from '../../service/src/export/model';
import type { Store } from '../../service/src/store';
import type { ChangeFeed } from '../../service/src/status/model';
import type { StatusSourcePort } from '../../service/src/status/ports';
import { StatusSyncService } from '../../service/src/status/service';

export interface OneSync {
  store: Store;
  company: CompanyModel;
  feed: ChangeFeed;
  source: StatusSourcePort;
  now: () => Date;
  lockLeaseMs: number;
  pageSize?: number;
}

export async function syncOnce({ store, company, feed, source, now, lockLeaseMs, pageSize }: OneSync) {
  const logger = pino({ level: 'silent' });
  const queue = new InProcessQueue(logger);
  const service = new StatusSyncService({
    store,
    queue,
    instanceId: 'instance-a',
    logger,
    lockLeaseMs,
    defaultEveryMinutes: 15,
    company: async () => company,
    connected: async () => true,
    feed: async () => feed,
    source,
    ...(pageSize ? { pageSize } : {}),
    now,
  });
  const done = new Promise<void>((resolve) => void queue.work((job) => service.execute(job).then(resolve)));
  const requested = await service.request(company.id);
  await done;
  return service.get(company.id, requested.syncId);
}
