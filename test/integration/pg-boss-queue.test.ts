// The export queue on PostgreSQL (the machine's, database `test`): a run's job is seen waiting, then taken (with
// when), then gone once done — what lets another instance tell a queued or starting run from a dead one.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { dropSchema } from '../../scripts/demo-stack';
import { PgBossQueue } from '../../service/src/jobs/pgBoss';
import type { ExportJob } from '../../service/src/jobs/queue';
import { until } from '../support/instances';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('when an export job goes through the PostgreSQL queue', () => {
  const schema = `ledgerline_q${randomBytes(4).toString('hex')}`;
  const queue = new PgBossQueue({ connectionString: DATABASE_URL, schema: `${schema}_jobs`, logger: pino({ level: 'silent' }), pollingIntervalSeconds: 0.5 });
  afterAll(async () => {
    await queue.stop();
    await dropSchema(DATABASE_URL, schema);
  });

  it('then it is waiting until a worker takes it, taken (since when) while it runs, and gone once it is done', async () => {
    const job: ExportJob = { runId: '6a1f0c8e-3b7d-4e2a-9c51-2f6d8b0e7a13', companyId: 'a00000000000001AAA' };
    expect(await queue.jobState(job.runId)).toBeNull();
    await queue.send(job);
    expect(await queue.jobState(job.runId)).toEqual({ state: 'waiting' });

    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    const taken: ExportJob[] = [];
    const before = Date.now();
    await queue.work(async (j) => {
      taken.push(j);
      await held;
    });
    const state = await until('the job to be taken', async () => {
      const s = await queue.jobState(job.runId);
      return s?.state === 'taken' ? s : undefined;
    });
    expect(taken).toEqual([job]);
    // The database's clock and this process's agree to well within a lock lease.
    expect(Math.abs(state.at.getTime() - before)).toBeLessThan(10_000);

    finish();
    await until('the job to be done', async () => ((await queue.jobState(job.runId)) === null ? true : undefined));
  });
});
