// The durable store against every backend: PGlite in memory, PGlite in a folder, PostgreSQL.
// PostgreSQL is required (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test): when it
// is unreachable the PostgreSQL tests fail with a clear message; they are never skipped.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import {
  DecryptionError,
  encryptSecret,
  loadMigrations,
  migrate,
  openStore,
  type JournalEntry,
  type Queryable,
  type Store,
  type StoredTokens,
  type StoreOptions,
} from '../../service/src/store';
import { openPglite, openPostgres, type Driver } from '../../service/src/store/driver';
import { JOURNAL_CHUNK, createJournalRepository } from '../../service/src/store/journal';

// PGlite takes seconds to open on a busy machine: more than Jest's default 5 s per test/hook.
jest.setTimeout(60_000);

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MIGRATION_NAMES = loadMigrations().map((m) => m.name);
const TABLES = [
  'admin_sessions',
  'idempotency_keys',
  'journal_entries',
  'locks',
  'oauth_states',
  'owed_log_entries',
  'qbo_disconnections',
  'qbo_reads',
  'qbo_tokens',
  'qbwc_companies',
  'qbwc_messages',
  'qbwc_sessions',
  'qbwc_taken_back',
  'runs',
  'schedules',
  'schema_migrations',
  'sent_alerts',
  'status_sync_companies',
  'status_syncs',
  'synced_documents',
  'synced_payment_links',
  'synced_payments',
  'web_connector_users',
  'webhook_events',
];

/** The injected clock: tests move it; every store of a backend shares it. */
class TestClock {
  ms = Date.parse('2030-01-01T00:00:00.000Z');
  readonly now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

async function assertPostgresReachable(): Promise<void> {
  const client = new Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `PostgreSQL is required by the store tests but is not reachable at ${PG_URL} (${(err as Error).message}). ` +
        'Start PostgreSQL or set TEST_DATABASE_URL; these tests are deliberately not skipped.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

function freshSchema(): string {
  return `ll_test_${randomBytes(6).toString('hex')}`;
}

/** One database to test against; `options()` opens the same data each time (except in memory). */
interface Backend {
  name: string;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  options(): Omit<StoreOptions, 'encryptionKey' | 'now'>;
  schema(): string;
  /** The raw driver on the same data (only while no store has it open, for PGlite). */
  openDriver(): Promise<Driver>;
}

function pgliteMemory(): Backend {
  return {
    name: 'PGlite in memory',
    setup: async () => undefined,
    teardown: async () => undefined,
    options: () => ({ dataDir: 'memory://' }),
    schema: () => 'ledgerline',
    openDriver: () => openPglite('memory://', 'ledgerline'),
  };
}

function pgliteFolder(): Backend {
  let dir = '';
  return {
    name: 'PGlite in a folder',
    setup: async () => {
      dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'ledgerline-store-')), 'data');
    },
    teardown: async () => {
      if (dir) rmSync(path.dirname(dir), { recursive: true, force: true });
    },
    options: () => ({ dataDir: dir }),
    schema: () => 'ledgerline',
    openDriver: () => openPglite(dir, 'ledgerline'),
  };
}

function postgres(): Backend {
  const schema = freshSchema();
  return {
    name: 'PostgreSQL',
    setup: assertPostgresReachable,
    teardown: () => dropSchema(schema),
    options: () => ({ databaseUrl: PG_URL, dataDir: 'unused', schema }),
    schema: () => schema,
    openDriver: () => openPostgres(PG_URL, schema),
  };
}

function tokensFor(companyId: string, clock: TestClock, overrides: Partial<StoredTokens> = {}): Omit<StoredTokens, 'version'> {
  return {
    companyId,
    realmId: `realm-${companyId}`,
    accessToken: `access-${randomUUID()}`,
    refreshToken: `refresh-${randomUUID()}`,
    accessTokenExpiresAt: new Date(clock.ms + 3600_000),
    refreshTokenExpiresAt: new Date(clock.ms + 100 * 86400_000),
    connectedAt: new Date(clock.ms - 86400_000),
    refreshTokenHardExpiresAt: null,
    lastRefreshedAt: null,
    status: 'connected',
    statusReason: null,
    ...overrides,
  };
}

function journalEntry(companyId: string, recordId: string, overrides: Partial<JournalEntry> = {}): JournalEntry {
  return {
    companyId,
    recordType: 'invoice',
    recordId,
    state: 'pending',
    runId: 'run-1',
    requestId: `req-${recordId}`,
    targetId: null,
    detail: { docNumber: `INV-${recordId}` },
    error: null,
    ...overrides,
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------

describe.each([pgliteMemory, pgliteFolder, postgres])('store on %p', (makeBackend) => {
  const backend = makeBackend();
  const clock = new TestClock();
  const key = randomBytes(32);
  let store: Store;

  beforeAll(async () => {
    await backend.setup();
    store = await openStore({ ...backend.options(), encryptionKey: key, now: clock.now });
  });

  afterAll(async () => {
    await store?.close();
    await backend.teardown();
  });

  it(`when opened (${backend.name}), then every migration is applied and the tables are in the configured schema`, async () => {
    expect(store.kind).toBe(backend.name === 'PostgreSQL' ? 'postgres' : 'pglite');
    const applied = await store.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(applied.map((r) => r.name)).toEqual(MIGRATION_NAMES);
    const tables = await store.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [
      backend.schema(),
    ]);
    expect(tables.map((t) => t.table_name)).toEqual(TABLES);
  });

  describe('tokens', () => {
    it('when no tokens were saved for a company, then get returns null', async () => {
      await expect(store.tokens.get('company-none')).resolves.toBeNull();
    });

    it('when tokens are saved, then get returns them decrypted with version 1', async () => {
      const input = tokensFor('company-t1', clock);
      const saved = await store.tokens.save(input);
      expect(saved).toEqual({ ...input, version: 1 });
      await expect(store.tokens.get('company-t1')).resolves.toEqual({ ...input, version: 1 });
    });

    it('when tokens are saved again, then the row is replaced and the version bumped', async () => {
      const first = tokensFor('company-t2', clock);
      await store.tokens.save(first);
      const refreshed = tokensFor('company-t2', clock, { connectedAt: first.connectedAt, lastRefreshedAt: clock.now() });
      const saved = await store.tokens.save(refreshed);
      expect(saved.version).toBe(2);
      const got = await store.tokens.get('company-t2');
      expect(got).toEqual({ ...refreshed, version: 2 });
      expect(got?.accessToken).not.toBe(first.accessToken);
    });

    it('when tokens are saved, then only ciphertext is stored (the plaintext tokens are not in the table)', async () => {
      const input = tokensFor('company-t3', clock);
      await store.tokens.save(input);
      const raw = await store.query<Record<string, unknown>>('SELECT * FROM qbo_tokens WHERE company_id = $1', ['company-t3']);
      expect(raw).toHaveLength(1);
      const dump = JSON.stringify(raw);
      expect(dump).not.toContain(input.accessToken);
      expect(dump).not.toContain(input.refreshToken);
      expect(raw[0].access_token_ciphertext).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(raw[0].refresh_token_ciphertext).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      const everything = JSON.stringify(await store.query('SELECT * FROM qbo_tokens'));
      expect(everything).not.toContain(input.refreshToken);
    });

    it('when a token was encrypted with another key, then get fails with a clear error that leaks no secret', async () => {
      const input = tokensFor('company-t4', clock);
      await store.tokens.save(input);
      const otherKey = randomBytes(32);
      await store.query('UPDATE qbo_tokens SET refresh_token_ciphertext = $2 WHERE company_id = $1', [
        'company-t4',
        encryptSecret(input.refreshToken, otherKey, 'ledgerline:qbo_tokens:refresh:company-t4'),
      ]);
      const err = await store.tokens.get('company-t4').then(
        () => null,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(DecryptionError);
      expect(err?.message).toMatch(/refresh token of company company-t4/);
      expect(err?.message).toMatch(/encryption key/);
      for (const secret of [input.refreshToken, input.accessToken, key.toString('hex'), key.toString('base64'), otherKey.toString('hex')]) {
        expect(err?.message).not.toContain(secret);
      }
    });

    it('when a stored ciphertext is tampered with or copied from another company, then get fails loudly', async () => {
      const a = tokensFor('company-t5a', clock);
      const b = tokensFor('company-t5b', clock);
      await store.tokens.save(a);
      await store.tokens.save(b);
      // Copy b's (valid) ciphertext into a's row: bound to company b, so it must not decrypt as a's.
      await store.query(
        `UPDATE qbo_tokens SET access_token_ciphertext = (SELECT access_token_ciphertext FROM qbo_tokens WHERE company_id = $2)
          WHERE company_id = $1`,
        ['company-t5a', 'company-t5b'],
      );
      await expect(store.tokens.get('company-t5a')).rejects.toThrow(DecryptionError);
      const [row] = await store.query<{ c: string }>('SELECT access_token_ciphertext AS c FROM qbo_tokens WHERE company_id = $1', ['company-t5b']);
      const tampered = row.c.slice(0, -3) + (row.c.endsWith('AAA') ? 'BBB' : 'AAA');
      await store.query('UPDATE qbo_tokens SET access_token_ciphertext = $2 WHERE company_id = $1', ['company-t5b', tampered]);
      await expect(store.tokens.get('company-t5b')).rejects.toThrow(/tampered/);
    });

    it('when reauthorization is required, then status and reason are stored and the version bumped', async () => {
      const input = tokensFor('company-t6', clock);
      await store.tokens.save(input);
      await store.tokens.markReauthorizationRequired('company-t6', 'invalid_grant');
      await expect(store.tokens.get('company-t6')).resolves.toEqual({
        ...input,
        status: 'reauthorization_required',
        statusReason: 'invalid_grant',
        version: 2,
      });
      await expect(store.tokens.markReauthorizationRequired('company-unknown', 'x')).resolves.toBeUndefined();
    });

    it('when tokens are deleted, then get returns null and deleting again is harmless', async () => {
      await store.tokens.save(tokensFor('company-t7', clock));
      await store.tokens.delete('company-t7');
      await expect(store.tokens.get('company-t7')).resolves.toBeNull();
      await expect(store.tokens.delete('company-t7')).resolves.toBeUndefined();
    });

    it('when deleted tokens are saved again, then the version restarts at 1', async () => {
      await store.tokens.save(tokensFor('company-t8', clock));
      await store.tokens.save(tokensFor('company-t8', clock));
      await store.tokens.delete('company-t8');
      await expect(store.tokens.save(tokensFor('company-t8', clock))).resolves.toMatchObject({ version: 1 });
    });
  });

  describe('OAuth states', () => {
    it('when a state is consumed before it expires, then it returns the company once and never again', async () => {
      await store.oauthStates.create('state-1', 'company-o1', new Date(clock.ms + 600_000));
      await expect(store.oauthStates.consume('state-1', clock.now())).resolves.toEqual({ companyId: 'company-o1' });
      await expect(store.oauthStates.consume('state-1', clock.now())).resolves.toBeNull();
    });

    it('when an unknown state is consumed, then it returns null', async () => {
      await expect(store.oauthStates.consume('state-never-issued', clock.now())).resolves.toBeNull();
    });

    it('when an expired state is consumed, then it returns null and the state is gone', async () => {
      await store.oauthStates.create('state-2', 'company-o2', new Date(clock.ms + 1000));
      await expect(store.oauthStates.consume('state-2', new Date(clock.ms + 1000))).resolves.toBeNull();
      await expect(store.oauthStates.consume('state-2', clock.now())).resolves.toBeNull();
    });

    it('when the same state is consumed concurrently, then exactly one caller gets the company', async () => {
      await store.oauthStates.create('state-3', 'company-o3', new Date(clock.ms + 600_000));
      const results = await Promise.all(Array.from({ length: 8 }, () => store.oauthStates.consume('state-3', clock.now())));
      expect(results.filter((r) => r !== null)).toEqual([{ companyId: 'company-o3' }]);
    });

    it('when a state is created, then already expired states are purged', async () => {
      await store.oauthStates.create('state-4', 'company-o4', new Date(clock.ms + 1000));
      clock.advance(2000);
      await store.oauthStates.create('state-5', 'company-o4', new Date(clock.ms + 600_000));
      const rows = await store.query<{ state: string }>('SELECT state FROM oauth_states WHERE company_id = $1', ['company-o4']);
      expect(rows.map((r) => r.state)).toEqual(['state-5']);
    });
  });

  describe('runs', () => {
    it('when a run is created, then it is running with empty progress and the clock as start and heartbeat', async () => {
      const run = await store.runs.create({ id: 'run-r1', companyId: 'company-r1', dryRun: true, options: { invoiceNumbers: ['INV-1'] } });
      expect(run).toEqual({
        id: 'run-r1',
        companyId: 'company-r1',
        status: 'running',
        phase: 'starting',
        dryRun: true,
        options: { invoiceNumbers: ['INV-1'] },
        progress: {},
        counts: {},
        result: null,
        processLogId: null,
        error: null,
        startedAt: clock.now(),
        finishedAt: null,
        heartbeatAt: clock.now(),
        instanceId: null,
        resumedFrom: null,
      });
      await expect(store.runs.get('run-r1')).resolves.toEqual(run);
    });

    it('when a run id is unknown, then get returns null and update/heartbeat throw', async () => {
      await expect(store.runs.get('run-none')).resolves.toBeNull();
      await expect(store.runs.update('run-none', { phase: 'x' })).rejects.toThrow(/run run-none not found/);
      await expect(store.runs.heartbeat('run-none')).rejects.toThrow(/not found/);
    });

    it('when a run is created twice with one id, then the second create fails', async () => {
      await store.runs.create({ id: 'run-r2', companyId: 'company-r1', dryRun: false, options: {} });
      await expect(store.runs.create({ id: 'run-r2', companyId: 'company-r1', dryRun: false, options: {} })).rejects.toThrow();
    });

    it('when a run is updated, then only the given fields change and the heartbeat moves', async () => {
      await store.runs.create({ id: 'run-r3', companyId: 'company-r3', dryRun: false, options: { a: 1 } });
      clock.advance(1000);
      await store.runs.update('run-r3', { phase: 'customers', progress: { customers: { done: 3, total: 10 } } });
      clock.advance(1000);
      const finishedAt = clock.now();
      await store.runs.update('run-r3', {
        status: 'completed_with_errors',
        phase: 'done',
        counts: { invoicesCreated: 9, failed: 1 },
        result: { summary: { ok: 9 } },
        processLogId: 'a0X000000000001',
        error: 'one invoice failed',
        finishedAt,
        progress: undefined,
      });
      const run = await store.runs.get('run-r3');
      expect(run).toMatchObject({
        status: 'completed_with_errors',
        phase: 'done',
        options: { a: 1 },
        progress: { customers: { done: 3, total: 10 } },
        counts: { invoicesCreated: 9, failed: 1 },
        result: { summary: { ok: 9 } },
        processLogId: 'a0X000000000001',
        error: 'one invoice failed',
        finishedAt,
        heartbeatAt: finishedAt,
      });
      await store.runs.update('run-r3', { result: null, error: null, finishedAt: null });
      await expect(store.runs.get('run-r3')).resolves.toMatchObject({ result: null, error: null, finishedAt: null, phase: 'done' });
    });

    it('when a run heartbeats, then heartbeatAt follows the clock and startedAt does not', async () => {
      const run = await store.runs.create({ id: 'run-r4', companyId: 'company-r4', dryRun: false, options: {} });
      clock.advance(30_000);
      await store.runs.heartbeat('run-r4');
      const after = await store.runs.get('run-r4');
      expect(after?.heartbeatAt).toEqual(clock.now());
      expect(after?.startedAt).toEqual(run.startedAt);
    });

    it('when a company has several runs, then latestForCompany returns the most recently started', async () => {
      await expect(store.runs.latestForCompany('company-r5')).resolves.toBeNull();
      await store.runs.create({ id: 'run-r5-b', companyId: 'company-r5', dryRun: false, options: {} });
      clock.advance(1000);
      await store.runs.create({ id: 'run-r5-a', companyId: 'company-r5', dryRun: false, options: {} });
      await store.runs.create({ id: 'run-r5-other', companyId: 'company-r5-other', dryRun: false, options: {} });
      await expect(store.runs.latestForCompany('company-r5')).resolves.toMatchObject({ id: 'run-r5-a' });
      // Same start time: the one created last wins.
      await store.runs.create({ id: 'run-r5-0', companyId: 'company-r5', dryRun: true, options: {} });
      await expect(store.runs.latestForCompany('company-r5')).resolves.toMatchObject({ id: 'run-r5-0' });
    });
  });

  describe('journal', () => {
    it('when 1,000 entries are upserted in one call, then getMany and listByState find them', async () => {
      const entries = Array.from({ length: 1000 }, (_, i) =>
        journalEntry('company-j1', `a0${String(i).padStart(4, '0')}`, {
          state: i % 10 === 0 ? 'failed' : i % 2 === 0 ? 'created' : 'pending',
          targetId: i % 2 === 0 ? String(5000 + i) : null,
          error: i % 10 === 0 ? `error ${i}` : null,
          detail: { docNumber: `INV-${i}`, lines: [{ amount: i / 4 }], note: 'quote \' and " and ü' },
        }),
      );
      await store.journal.upsertMany(entries);
      const found = await store.journal.getMany('company-j1', 'invoice', ['a00000', 'a00001', 'a00999', 'missing']);
      expect([...found.keys()].sort()).toEqual(['a00000', 'a00001', 'a00999']);
      expect(found.get('a00000')).toEqual({ ...entries[0], updatedAt: clock.now() });
      expect(found.get('a00999')).toEqual({ ...entries[999], updatedAt: clock.now() });
      const all = await store.journal.getMany(
        'company-j1',
        'invoice',
        entries.map((e) => e.recordId),
      );
      expect(all.size).toBe(1000);
      const failed = await store.journal.listByState('company-j1', 'invoice', ['failed']);
      expect(failed).toHaveLength(100);
      expect(failed[0]).toMatchObject({ recordId: 'a00000', state: 'failed', error: 'error 0' });
      const open = await store.journal.listByState('company-j1', 'invoice', ['pending', 'created']);
      expect(open).toHaveLength(900);
      expect(new Set(open.map((e) => e.state))).toEqual(new Set(['pending', 'created']));
    });

    it('when entries are upserted again, then they are updated in place', async () => {
      await store.journal.upsertMany([journalEntry('company-j2', 'r1'), journalEntry('company-j2', 'r2')]);
      clock.advance(5000);
      await store.journal.upsertMany([
        journalEntry('company-j2', 'r1', { state: 'written_back', targetId: '77', runId: 'run-2', detail: { renamedTo: 'Acme (2)' } }),
      ]);
      const got = await store.journal.getMany('company-j2', 'invoice', ['r1', 'r2']);
      expect(got.get('r1')).toMatchObject({ state: 'written_back', targetId: '77', runId: 'run-2', detail: { renamedTo: 'Acme (2)' } });
      expect(got.get('r1')?.updatedAt).toEqual(clock.now());
      expect(got.get('r2')).toMatchObject({ state: 'pending', targetId: null });
      expect((await store.query('SELECT 1 FROM journal_entries WHERE company_id = $1', ['company-j2'])).length).toBe(2);
    });

    it('when one batch holds the same record twice, then the last one wins', async () => {
      await store.journal.upsertMany([journalEntry('company-j3', 'r1', { state: 'pending' }), journalEntry('company-j3', 'r1', { state: 'sent' })]);
      const got = await store.journal.getMany('company-j3', 'invoice', ['r1']);
      expect(got.get('r1')?.state).toBe('sent');
    });

    it('when the same record id exists for other companies or record types, then they stay separate', async () => {
      await store.journal.upsertMany([
        journalEntry('company-j4', 'x1', { recordType: 'customer', state: 'created' }),
        journalEntry('company-j4', 'x1', { recordType: 'product', state: 'failed' }),
        journalEntry('company-j4b', 'x1', { recordType: 'customer', state: 'pending' }),
      ]);
      expect((await store.journal.getMany('company-j4', 'customer', ['x1'])).get('x1')?.state).toBe('created');
      expect((await store.journal.getMany('company-j4', 'product', ['x1'])).get('x1')?.state).toBe('failed');
      expect((await store.journal.getMany('company-j4', 'payment', ['x1'])).size).toBe(0);
      expect(await store.journal.listByState('company-j4b', 'customer', ['pending'])).toHaveLength(1);
    });

    it('when a batch holds more rows than one statement writes, then every row is saved and the last of a record still wins', async () => {
      const rows = Array.from({ length: 2 * JOURNAL_CHUNK + 500 }, (_, i) => journalEntry('company-j7', `r${i}`, { state: 'created' }));
      rows.push(journalEntry('company-j7', 'r0', { state: 'written_back' }));
      await store.journal.upsertMany(rows);
      expect(await store.journal.countByState('company-j7', 'invoice', ['created', 'written_back'])).toBe(2 * JOURNAL_CHUNK + 500);
      expect((await store.journal.getMany('company-j7', 'invoice', ['r0'])).get('r0')?.state).toBe('written_back');
    });

    it('when ten callers upsert at once, then their rows go in two statements and each is answered once its rows are saved', async () => {
      let statements = 0;
      const counted = {
        query: <T>(sql: string, params?: unknown[]) => (sql.includes('INSERT INTO journal_entries') && statements++, store.query<T>(sql, params)),
      };
      const journal = createJournalRepository(counted, clock.now);
      const callers = Array.from({ length: 10 }, (_, c) =>
        journal
          .upsertMany(Array.from({ length: 30 }, (_, i) => journalEntry('company-j8', `c${c}-r${i}`, { state: 'created' })))
          .then(() => journal.countByState('company-j8', 'invoice', ['created'])),
      );
      const seen = await Promise.all(callers);
      // The first goes alone; the nine that came while it was written go together.
      expect(statements).toBe(2);
      // Each caller, once answered, finds its own rows (and those written with or before them) saved.
      seen.forEach((count, c) => expect(count).toBeGreaterThanOrEqual(30 * (c + 1)));
      expect(await store.journal.countByState('company-j8', 'invoice', ['created'])).toBe(300);
    });

    it('when callers upsert at once and one holds an invalid state, then only that caller fails and the others are saved', async () => {
      const results = await Promise.allSettled([
        store.journal.upsertMany([journalEntry('company-j9', 'first')]),
        store.journal.upsertMany([journalEntry('company-j9', 'ok-1')]),
        store.journal.upsertMany([journalEntry('company-j9', 'bad', { state: 'bogus' as never })]),
        store.journal.upsertMany([journalEntry('company-j9', 'ok-2'), journalEntry('company-j9', 'first', { state: 'sent' })]),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      const got = await store.journal.getMany('company-j9', 'invoice', ['first', 'ok-1', 'bad', 'ok-2']);
      expect([...got.keys()].sort()).toEqual(['first', 'ok-1', 'ok-2']);
      // Written in the order they were asked for: the later state of a record wins.
      expect(got.get('first')?.state).toBe('sent');
    });

    it('when entries are marked written back, then a row this run created keeps its stored detail and only changes state; any other is written in full', async () => {
      let sent = '';
      const counted = { query: <T>(sql: string, params?: unknown[]) => ((sent += JSON.stringify(params ?? [])), store.query<T>(sql, params)) };
      const journal = createJournalRepository(counted, clock.now);
      const big = { sent: { lines: Array.from({ length: 50 }, (_, i) => ({ id: `line-${i}`, description: 'x'.repeat(40) })) } };
      await journal.upsertMany([
        journalEntry('company-j10', 'mine', { state: 'created', runId: 'run-10', targetId: '501', detail: big }),
        journalEntry('company-j10', 'older', { state: 'created', runId: 'run-9', targetId: '400', detail: { kept: 'old' } }),
      ]);
      clock.advance(1000);
      sent = '';
      await journal.markWrittenBack([
        journalEntry('company-j10', 'mine', { state: 'written_back', runId: 'run-10', targetId: '501', detail: big }),
        // Linked by this run to another record than the stored one: the stored row must not keep the old target.
        journalEntry('company-j10', 'older', { state: 'written_back', runId: 'run-10', targetId: '777', detail: { kept: 'new' } }),
        // Never written before (a record sharing another's QuickBooks record).
        journalEntry('company-j10', 'twin', { state: 'written_back', runId: 'run-10', targetId: '501', detail: { owed: true } }),
      ]);
      // The big detail was not sent again.
      expect(sent).not.toContain('line-49');
      const got = await store.journal.getMany('company-j10', 'invoice', ['mine', 'older', 'twin']);
      expect(got.get('mine')).toMatchObject({ state: 'written_back', targetId: '501', runId: 'run-10', detail: big, updatedAt: clock.now() });
      expect(got.get('older')).toMatchObject({ state: 'written_back', targetId: '777', runId: 'run-10', detail: { kept: 'new' } });
      expect(got.get('twin')).toMatchObject({ state: 'written_back', targetId: '501', detail: { owed: true } });
    });

    it('when an entry holds only its key and link (its detail stored), then marking it written back keeps the stored detail, even where the stored row is not this run’s', async () => {
      const fingerprint = { sent: { total: 12.5 }, owed: { kind: 'invoice' } };
      await store.journal.upsertMany([
        journalEntry('company-j12', 'mine', { state: 'created', runId: 'run-12', targetId: '601', detail: fingerprint }),
        journalEntry('company-j12', 'moved', { state: 'created', runId: 'run-11', targetId: '600', detail: { kept: 'stored' } }),
      ]);
      const keyOnly = (id: string, targetId: string) => ({
        ...journalEntry('company-j12', id, { state: 'created', runId: 'run-12', targetId, detail: {} }),
        detailStored: true,
      });
      await store.journal.markWrittenBack([keyOnly('mine', '601'), keyOnly('moved', '602')]);
      const got = await store.journal.getMany('company-j12', 'invoice', ['mine', 'moved']);
      expect(got.get('mine')).toMatchObject({ state: 'written_back', targetId: '601', runId: 'run-12', detail: fingerprint });
      // The link this run wrote back wins; the detail the store held is not replaced by an empty one.
      expect(got.get('moved')).toMatchObject({ state: 'written_back', targetId: '602', runId: 'run-12', detail: { kept: 'stored' } });
    });

    it('when many records are in flight, then looking them up by id and marking them written back do not go through the in-flight index', async () => {
      // A plan through the in-flight index reads every in-flight row of the record type for each record: a run's
      // journal work would grow with the square of its size.
      const statements: { sql: string; params?: unknown[] }[] = [];
      const recorded = { query: <T>(sql: string, params?: unknown[]) => (statements.push({ sql, params }), store.query<T>(sql, params)) };
      const journal = createJournalRepository(recorded, clock.now);
      const ids = Array.from({ length: 2000 }, (_, i) => `flight-${i}`);
      await journal.upsertMany(ids.map((id) => journalEntry('company-j11', id, { state: 'created', runId: 'run-11', targetId: `t-${id}` })));
      statements.length = 0;

      await journal.getMany('company-j11', 'invoice', ids.slice(0, 300));
      await journal.markWrittenBack(
        ids.slice(0, 300).map((id) => journalEntry('company-j11', id, { state: 'written_back', runId: 'run-11', targetId: `t-${id}` })),
      );

      expect(statements.map((s) => s.sql.trim().split(/\s+/)[0])).toEqual(['SELECT', 'UPDATE']);
      for (const { sql, params } of statements) {
        const plan = (await store.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).not.toContain('journal_entries_open_idx');
        // PostgreSQL, with statistics, may read the table once instead; the embedded store keeps none.
        if (store.kind === 'pglite') expect(plan).toContain('journal_entries_pkey');
      }
      const got = await store.journal.getMany('company-j11', 'invoice', ids.slice(0, 301));
      expect(got.get('flight-0')?.state).toBe('written_back');
      expect(got.get('flight-300')?.state).toBe('created');
    });

    it('when inputs are empty, then nothing is written or read', async () => {
      await expect(store.journal.upsertMany([])).resolves.toBeUndefined();
      await expect(store.journal.getMany('company-j5', 'invoice', [])).resolves.toEqual(new Map());
      await expect(store.journal.listByState('company-j5', 'invoice', [])).resolves.toEqual([]);
    });

    it('when a batch holds an invalid state, then the whole batch is rejected', async () => {
      await expect(
        store.journal.upsertMany([journalEntry('company-j6', 'ok'), journalEntry('company-j6', 'bad', { state: 'bogus' as never })]),
      ).rejects.toThrow();
      await expect(store.journal.getMany('company-j6', 'invoice', ['ok', 'bad'])).resolves.toEqual(new Map());
    });
  });

  describe('idempotency keys', () => {
    it('when a key is requested twice for one (scope, fingerprint), then the first candidate is returned both times', async () => {
      await expect(store.idempotency.getOrCreate('invoice:company-i1', 'a0B1:sha256-abc', 'key-1')).resolves.toBe('key-1');
      await expect(store.idempotency.getOrCreate('invoice:company-i1', 'a0B1:sha256-abc', 'key-2')).resolves.toBe('key-1');
    });

    it('when the fingerprint or the scope differs, then a new key is issued', async () => {
      await store.idempotency.getOrCreate('invoice:company-i2', 'fp-1', 'key-a');
      await expect(store.idempotency.getOrCreate('invoice:company-i2', 'fp-2', 'key-b')).resolves.toBe('key-b');
      await expect(store.idempotency.getOrCreate('customer:company-i2', 'fp-1', 'key-c')).resolves.toBe('key-c');
    });

    it('when many callers race for one (scope, fingerprint), then all get the same key', async () => {
      const keys = await Promise.all(Array.from({ length: 12 }, (_, i) => store.idempotency.getOrCreate('race', 'fp', `candidate-${i}`)));
      expect(new Set(keys).size).toBe(1);
    });

    it('when keys are requested in bulk, some issued before and one twice in the request, then each fingerprint gets its first key', async () => {
      await store.idempotency.getOrCreate('bulk', 'fp-old', 'key-old');
      const keys = await store.idempotency.getOrCreateMany('bulk', [
        { fingerprint: 'fp-new-1', candidate: 'key-new-1' },
        { fingerprint: 'fp-old', candidate: 'key-other' },
        { fingerprint: 'fp-new-2', candidate: 'key-new-2' },
        { fingerprint: 'fp-new-1', candidate: 'key-new-1' },
      ]);
      expect(Object.fromEntries(keys)).toEqual({ 'fp-new-1': 'key-new-1', 'fp-old': 'key-old', 'fp-new-2': 'key-new-2' });
      // Asked again, all of them were issued before.
      const again = await store.idempotency.getOrCreateMany('bulk', [
        { fingerprint: 'fp-new-2', candidate: 'x' },
        { fingerprint: 'fp-old', candidate: 'y' },
      ]);
      expect(Object.fromEntries(again)).toEqual({ 'fp-new-2': 'key-new-2', 'fp-old': 'key-old' });
    });
  });

  describe('QuickBooks reads', () => {
    it('when reads are counted, then each company has its own count, the month has their total, and a give-back lowers both', async () => {
      await expect(store.reads.get('company-q1', '2026-05')).resolves.toEqual({ company: 0, total: 0 });
      await expect(store.reads.add('company-q1', '2026-05', 3)).resolves.toEqual({ company: 3, total: 3 });
      await expect(store.reads.add('company-q2', '2026-05', 2)).resolves.toEqual({ company: 2, total: 5 });
      await expect(store.reads.add('company-q1', '2026-05', -1)).resolves.toEqual({ company: 2, total: 4 });
      await expect(store.reads.add('company-q1', '2026-06', 1)).resolves.toEqual({ company: 1, total: 1 });
      await expect(store.reads.get('company-q2', '2026-05')).resolves.toEqual({ company: 2, total: 4 });
    });
  });

  describe('sent alerts', () => {
    it('when two callers claim one event at once, then exactly one may send it; given back, it can be claimed again', async () => {
      const alert = { eventKey: 'run:alert-1', companyId: 'company-a1', kind: 'runFailed', title: 'The export failed' };
      const claims = await Promise.all([store.sentAlerts.claim(alert), store.sentAlerts.claim(alert), store.sentAlerts.claim(alert)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      await expect(store.sentAlerts.claim(alert)).resolves.toBe(false);
      expect((await store.sentAlerts.list('company-a1')).map((a) => [a.eventKey, a.kind, a.sentAt.toISOString()])).toEqual([
        ['run:alert-1', 'runFailed', clock.now().toISOString()],
      ]);
      await store.sentAlerts.release('run:alert-1');
      await expect(store.sentAlerts.claim(alert)).resolves.toBe(true);
    });
  });

  describe('locks', () => {
    it('when a free lock is acquired, then the owner holds it until the lease ends', async () => {
      await expect(store.locks.holder('lock-1')).resolves.toBeNull();
      await expect(store.locks.acquire('lock-1', 'owner-a', 60_000)).resolves.toBe(true);
      await expect(store.locks.holder('lock-1')).resolves.toEqual({ owner: 'owner-a', expiresAt: new Date(clock.ms + 60_000) });
      await expect(store.locks.acquire('lock-1', 'owner-b', 60_000)).resolves.toBe(false);
      await expect(store.locks.holder('lock-1')).resolves.toMatchObject({ owner: 'owner-a' });
    });

    it('when the holder acquires or renews again, then its lease is extended; others cannot renew', async () => {
      await store.locks.acquire('lock-2', 'owner-a', 10_000);
      clock.advance(5000);
      await expect(store.locks.acquire('lock-2', 'owner-a', 10_000)).resolves.toBe(true);
      await expect(store.locks.holder('lock-2')).resolves.toEqual({ owner: 'owner-a', expiresAt: new Date(clock.ms + 10_000) });
      clock.advance(5000);
      await expect(store.locks.renew('lock-2', 'owner-a', 20_000)).resolves.toBe(true);
      await expect(store.locks.holder('lock-2')).resolves.toEqual({ owner: 'owner-a', expiresAt: new Date(clock.ms + 20_000) });
      await expect(store.locks.renew('lock-2', 'owner-b', 20_000)).resolves.toBe(false);
      await expect(store.locks.renew('lock-never', 'owner-a', 20_000)).resolves.toBe(false);
    });

    it('when the lease expires (injected clock), then the lock is free, another owner takes it and the old one cannot renew', async () => {
      await store.locks.acquire('lock-3', 'owner-a', 30_000);
      clock.advance(29_999);
      await expect(store.locks.acquire('lock-3', 'owner-b', 30_000)).resolves.toBe(false);
      clock.advance(1);
      await expect(store.locks.holder('lock-3')).resolves.toBeNull();
      await expect(store.locks.renew('lock-3', 'owner-a', 30_000)).resolves.toBe(false);
      await expect(store.locks.acquire('lock-3', 'owner-b', 30_000)).resolves.toBe(true);
      await expect(store.locks.holder('lock-3')).resolves.toMatchObject({ owner: 'owner-b' });
      await expect(store.locks.renew('lock-3', 'owner-a', 30_000)).resolves.toBe(false);
    });

    it('when released, then only the holder’s release frees the lock', async () => {
      await store.locks.acquire('lock-4', 'owner-a', 60_000);
      await store.locks.release('lock-4', 'owner-b');
      await expect(store.locks.holder('lock-4')).resolves.toMatchObject({ owner: 'owner-a' });
      await store.locks.release('lock-4', 'owner-a');
      await expect(store.locks.holder('lock-4')).resolves.toBeNull();
      await expect(store.locks.acquire('lock-4', 'owner-b', 60_000)).resolves.toBe(true);
    });

    it('when many owners race for one lock, then exactly one wins', async () => {
      const owners = Array.from({ length: 16 }, (_, i) => `racer-${i}`);
      const won = await Promise.all(owners.map((owner) => store.locks.acquire('lock-5', owner, 60_000)));
      expect(won.filter(Boolean)).toHaveLength(1);
      await expect(store.locks.holder('lock-5')).resolves.toMatchObject({ owner: owners[won.indexOf(true)] });
    });

    it('when the lease is not a positive number, then acquire and renew refuse it', async () => {
      await expect(store.locks.acquire('lock-6', 'owner-a', 0)).rejects.toThrow(/leaseMs/);
      await expect(store.locks.renew('lock-6', 'owner-a', Number.NaN)).rejects.toThrow(/leaseMs/);
    });
  });

  describe('transactions', () => {
    const keyExists = async (fingerprint: string) =>
      (await store.query('SELECT 1 FROM idempotency_keys WHERE scope = $1 AND fingerprint = $2', ['tx', fingerprint])).length === 1;

    it('when the callback succeeds, then its writes are committed and its value returned', async () => {
      const value = await store.transaction(async (tx) => {
        await tx.query(`INSERT INTO idempotency_keys (scope, fingerprint, key, created_at) VALUES ('tx', 'commit', 'k', now())`);
        return 42;
      });
      expect(value).toBe(42);
      await expect(keyExists('commit')).resolves.toBe(true);
    });

    it('when the callback throws, then its writes, including repository calls, are rolled back', async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.query(`INSERT INTO idempotency_keys (scope, fingerprint, key, created_at) VALUES ('tx', 'rollback-raw', 'k', now())`);
          await store.idempotency.getOrCreate('tx', 'rollback-repo', 'k');
          await store.journal.upsertMany([journalEntry('company-x1', 'r1')]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      await expect(keyExists('rollback-raw')).resolves.toBe(false);
      await expect(keyExists('rollback-repo')).resolves.toBe(false);
      await expect(store.journal.getMany('company-x1', 'invoice', ['r1'])).resolves.toEqual(new Map());
    });

    it('when a query outside the transaction runs while it is open, then neither deadlocks and the outside write is not rolled back', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const tx = store.transaction(async (q) => {
        await q.query(`INSERT INTO idempotency_keys (scope, fingerprint, key, created_at) VALUES ('tx', 'inside', 'k', now())`);
        entered();
        await gate;
        throw new Error('abort inside');
      });
      await inside;
      const outside = store.idempotency.getOrCreate('tx', 'outside', 'k-outside');
      await pause(50);
      release();
      await expect(tx).rejects.toThrow('abort inside');
      await expect(outside).resolves.toBe('k-outside');
      await expect(keyExists('inside')).resolves.toBe(false);
      await expect(keyExists('outside')).resolves.toBe(true);
    });

    it('when transactions are nested, then the inner one is a savepoint that rolls back alone', async () => {
      await store.transaction(async () => {
        await store.idempotency.getOrCreate('tx', 'outer', 'k');
        await expect(
          store.transaction(async () => {
            await store.idempotency.getOrCreate('tx', 'inner-failed', 'k');
            throw new Error('inner');
          }),
        ).rejects.toThrow('inner');
        await store.transaction(async (tx) => {
          await tx.query(`INSERT INTO idempotency_keys (scope, fingerprint, key, created_at) VALUES ('tx', 'inner-ok', 'k', now())`);
        });
      });
      await expect(keyExists('outer')).resolves.toBe(true);
      await expect(keyExists('inner-failed')).resolves.toBe(false);
      await expect(keyExists('inner-ok')).resolves.toBe(true);
    });

    it('when a statement fails inside and the callback swallows the error, then the transaction fails instead of silently losing writes', async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.query(`INSERT INTO idempotency_keys (scope, fingerprint, key, created_at) VALUES ('tx', 'swallowed', 'k', now())`);
          await tx.query('SELECT * FROM no_such_table').catch(() => undefined);
          return 'looks fine';
        }),
      ).rejects.toThrow(/rolled back/);
      await expect(keyExists('swallowed')).resolves.toBe(false);
    });

    it('when a transaction handle is used after the callback returned, then it throws', async () => {
      let leaked: Queryable | undefined;
      await store.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked!.query('SELECT 1')).rejects.toThrow(/already finished/);
    });
  });

  it('when closed twice, then the second close is harmless and later queries fail clearly', async () => {
    const extra =
      backend.name === 'PostgreSQL'
        ? await openStore({ ...backend.options(), encryptionKey: key })
        : await openStore({ dataDir: 'memory://', encryptionKey: key });
    await extra.close();
    await expect(extra.close()).resolves.toBeUndefined();
    await expect(extra.query('SELECT 1')).rejects.toThrow(/store is closed/);
    await expect(extra.tokens.get('x')).rejects.toThrow(/store is closed/);
  });
});

// ---------------------------------------------------------------------------------------------

describe.each([pgliteFolder, postgres])('store reopened on %p', (makeBackend) => {
  const backend = makeBackend();
  const clock = new TestClock();
  const key = randomBytes(32);
  const open = (encryptionKey = key) => openStore({ ...backend.options(), encryptionKey, now: clock.now });

  beforeAll(() => backend.setup());
  afterAll(() => backend.teardown());

  it(`when data is written, the store closed and reopened (${backend.name}), then everything survives`, async () => {
    const tokens = tokensFor('company-d1', clock);
    const first = await open();
    try {
      await first.tokens.save(tokens);
      await first.oauthStates.create('state-d1', 'company-d1', new Date(clock.ms + 600_000));
      await first.runs.create({ id: 'run-d1', companyId: 'company-d1', dryRun: false, options: { all: true } });
      await first.journal.upsertMany(Array.from({ length: 50 }, (_, i) => journalEntry('company-d1', `r${i}`, { state: 'created', targetId: `${i}` })));
      await first.idempotency.getOrCreate('scope-d1', 'fp', 'key-d1');
      await first.locks.acquire('lock-d1', 'owner-d1', 600_000);
      await first.reads.add('company-d1', '2026-07', 7);
    } finally {
      await first.close();
    }
    const second = await open();
    try {
      await expect(second.tokens.get('company-d1')).resolves.toEqual({ ...tokens, version: 1 });
      await expect(second.oauthStates.consume('state-d1', clock.now())).resolves.toEqual({ companyId: 'company-d1' });
      await expect(second.runs.get('run-d1')).resolves.toMatchObject({ status: 'running', options: { all: true } });
      expect((await second.journal.listByState('company-d1', 'invoice', ['created'])).length).toBe(50);
      await expect(second.idempotency.getOrCreate('scope-d1', 'fp', 'other')).resolves.toBe('key-d1');
      await expect(second.locks.holder('lock-d1')).resolves.toMatchObject({ owner: 'owner-d1' });
      await expect(second.reads.get('company-d1', '2026-07')).resolves.toEqual({ company: 7, total: 7 });
    } finally {
      await second.close();
    }
  });

  it('when opened again, then migrations are not re-applied (idempotent)', async () => {
    const store = await open();
    try {
      const before = await store.query<{ name: string; applied_at: Date }>('SELECT name, applied_at FROM schema_migrations ORDER BY name');
      expect(before.map((r) => r.name)).toEqual(MIGRATION_NAMES);
      await store.close();
      const again = await open();
      try {
        await expect(again.query('SELECT name, applied_at FROM schema_migrations ORDER BY name')).resolves.toEqual(before);
      } finally {
        await again.close();
      }
    } finally {
      await store.close();
    }
  });

  it('when reopened with a different encryption key, then reading tokens fails clearly and the rest still works', async () => {
    const first = await open();
    const tokens = tokensFor('company-d2', clock);
    try {
      await first.tokens.save(tokens);
      await first.idempotency.getOrCreate('scope-d2', 'fp', 'key-d2');
    } finally {
      await first.close();
    }
    const wrongKey = randomBytes(32);
    const second = await open(wrongKey);
    try {
      const err = await second.tokens.get('company-d2').then(
        () => null,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(DecryptionError);
      expect(err?.message).toMatch(/company company-d2: the encryption key differs/);
      for (const secret of [tokens.accessToken, tokens.refreshToken, key.toString('hex'), wrongKey.toString('hex'), wrongKey.toString('base64')]) {
        expect(err?.message).not.toContain(secret);
      }
      await expect(second.idempotency.getOrCreate('scope-d2', 'fp', 'other')).resolves.toBe('key-d2');
    } finally {
      await second.close();
    }
  });

  it('when an applied migration file has changed, then migrating refuses to continue', async () => {
    const driver = await backend.openDriver();
    try {
      const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited`, checksum: 'edited' } : m));
      await expect(migrate(driver, backend.schema(), edited)).rejects.toThrow(/001_init was changed after it was applied/);
      await expect(migrate(driver, backend.schema())).resolves.toEqual([]);
    } finally {
      await driver.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('store on PostgreSQL shared by several instances (several service processes)', () => {
  const clock = new TestClock();
  const key = randomBytes(32);
  const schemas: string[] = [];
  const stores: Store[] = [];
  const open = async (schema: string) => {
    const store = await openStore({ databaseUrl: PG_URL, dataDir: 'unused', schema, encryptionKey: key, now: clock.now });
    stores.push(store);
    return store;
  };
  const newSchema = () => {
    const schema = freshSchema();
    schemas.push(schema);
    return schema;
  };

  beforeAll(assertPostgresReachable);
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    for (const schema of schemas) await dropSchema(schema);
  });

  it('when several instances migrate a fresh schema at the same time, then all open and each migration is applied once', async () => {
    const schema = newSchema();
    const opened = await Promise.all([open(schema), open(schema), open(schema), open(schema)]);
    const rows = await opened[0].query<{ name: string; n: number }>('SELECT name, count(*)::int AS n FROM schema_migrations GROUP BY name ORDER BY name');
    expect(rows).toEqual(MIGRATION_NAMES.map((name) => ({ name, n: 1 })));
    await expect(opened[3].locks.acquire('after-migrate', 'x', 1000)).resolves.toBe(true);
  });

  it('when two instances count QuickBooks reads of two companies at once, then both see one exact count', async () => {
    const schema = newSchema();
    const [a, b] = await Promise.all([open(schema), open(schema)]);
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).reads.add(i % 4 < 2 ? 'company-r1' : 'company-r2', '2026-07', 1)));
    await expect(a.reads.get('company-r1', '2026-07')).resolves.toEqual({ company: 20, total: 40 });
    await expect(b.reads.get('company-r2', '2026-07')).resolves.toEqual({ company: 20, total: 40 });
    await expect(b.reads.get('company-r2', '2026-08')).resolves.toEqual({ company: 0, total: 0 });
  });

  it('when owners on two instances race for the same lock, then exactly one of them wins', async () => {
    const schema = newSchema();
    const [a, b] = await Promise.all([open(schema), open(schema)]);
    for (let round = 0; round < 5; round++) {
      const lockKey = `export:company-${round}`;
      const owners = Array.from({ length: 20 }, (_, i) => `process-${i % 2 ? 'b' : 'a'}-${i}`);
      const won = await Promise.all(owners.map((owner, i) => (i % 2 ? b : a).locks.acquire(lockKey, owner, 60_000)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = owners[won.indexOf(true)];
      await expect(a.locks.holder(lockKey)).resolves.toMatchObject({ owner: winner });
      await expect(b.locks.holder(lockKey)).resolves.toMatchObject({ owner: winner });
    }
  });

  it('when the holder on one instance lets its lease expire, then the other instance takes over and the first cannot renew', async () => {
    const schema = newSchema();
    const [a, b] = await Promise.all([open(schema), open(schema)]);
    await expect(a.locks.acquire('refresh:company-1', 'process-a', 10_000)).resolves.toBe(true);
    await expect(b.locks.acquire('refresh:company-1', 'process-b', 10_000)).resolves.toBe(false);
    clock.advance(10_000);
    await expect(b.locks.acquire('refresh:company-1', 'process-b', 10_000)).resolves.toBe(true);
    await expect(a.locks.renew('refresh:company-1', 'process-a', 10_000)).resolves.toBe(false);
    await a.locks.release('refresh:company-1', 'process-a');
    await expect(a.locks.holder('refresh:company-1')).resolves.toMatchObject({ owner: 'process-b' });
  });

  it('when two instances ask for the same idempotency key at once, then both get the same key', async () => {
    const schema = newSchema();
    const [a, b] = await Promise.all([open(schema), open(schema)]);
    const keys = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).idempotency.getOrCreate('invoice:company-1', 'a0B:hash', `candidate-${i}`)),
    );
    expect(new Set(keys).size).toBe(1);
  });

  it('when instances share a database but use different schemas, then their data is isolated', async () => {
    const [a, b] = await Promise.all([open(newSchema()), open(newSchema())]);
    await a.idempotency.getOrCreate('s', 'f', 'in-a');
    await expect(b.idempotency.getOrCreate('s', 'f', 'in-b')).resolves.toBe('in-b');
  });

  it('when PostgreSQL cannot be reached, then openStore fails with a clear error that hides the password', async () => {
    const err = await openStore({
      databaseUrl: 'postgres://postgres:s3cret-pw@127.0.0.1:1/test',
      dataDir: 'unused',
      encryptionKey: key,
    }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test/);
    expect(err?.message).not.toContain('s3cret-pw');
  });
});

describe('store options', () => {
  it('when the encryption key is not 32 bytes, then openStore refuses before opening anything', async () => {
    await expect(openStore({ dataDir: 'memory://', encryptionKey: randomBytes(16) })).rejects.toThrow(/32-byte/);
  });

  it('when the schema name is not a plain identifier, then openStore refuses it', async () => {
    await expect(openStore({ dataDir: 'memory://', encryptionKey: randomBytes(32), schema: 'x"; DROP SCHEMA public; --' })).rejects.toThrow(
      /invalid schema name/,
    );
  });
});

describe('store on a PGlite data folder', () => {
  const key = randomBytes(32);
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-lock-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('when a second store opens a folder that is already open, then it is refused until the first closes', async () => {
    const dataDir = path.join(root, 'busy');
    const first = await openStore({ dataDir, encryptionKey: key });
    try {
      await expect(openStore({ dataDir, encryptionKey: key })).rejects.toThrow(/already open in this process/);
    } finally {
      await first.close();
    }
    const again = await openStore({ dataDir, encryptionKey: key });
    await again.close();
  });

  it('when another live process holds the folder, then opening fails with its pid; a crashed holder’s lock is taken over', async () => {
    const dataDir = path.join(root, 'shared');
    const lockFile = `${dataDir}.lock`;
    writeFileSync(lockFile, `${process.ppid}@${os.hostname()}`);
    await expect(openStore({ dataDir, encryptionKey: key })).rejects.toThrow(new RegExp(`in use by process ${process.ppid}@`));
    writeFileSync(lockFile, `999999999@${os.hostname()}`); // no such pid: a crashed owner
    const store = await openStore({ dataDir, encryptionKey: key });
    try {
      expect(readFileSync(lockFile, 'utf8')).toBe(`${process.pid}@${os.hostname()}`);
    } finally {
      await store.close();
    }
    expect(existsSync(lockFile)).toBe(false);
  });
});
