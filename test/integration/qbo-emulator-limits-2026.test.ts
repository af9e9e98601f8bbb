// The emulator's limits as Intuit's "Limits and throttles" page has stated them since 2025: 10 requests a second per
// company and app, 40 batch calls a minute per company and app, and 120 batch calls a minute per company across
// every app connected to it. Each app is the OAuth client its token was issued to.
import { qboApi } from '../../emulators/qbo/testkit';
import { useQboEmulator } from '../support/qbo';

const REALM = '9341450000000031';
const APPS = ['app-a', 'app-b', 'app-c', 'app-d'].map((clientId) => ({ clientId, clientSecret: `${clientId}-secret` }));
const QUERY_BATCH = [{ bId: '1', Query: 'select * from Customer' }];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('QBO emulator: the 2026 limits', () => {
  const { emu, admin } = useQboEmulator([{ realmId: REALM, entities: { Customer: [{ Id: '1', DisplayName: 'Existing' }] } }], { clients: APPS });
  const appApi = async (clientId: string) => qboApi(emu.url, REALM, (await admin.tokens(REALM, clientId)).access_token);

  it('when one app sends 11 requests within one second, then the 11th is a 429, another app is not held back, and the next second admits again', async () => {
    // A "second" of 5 s: 11 calls fit in it however busy the machine is.
    await admin.settings({ timeScale: 5, limits: { concurrent: 100 } });
    const a = await appApi('app-a');
    const b = await appApi('app-b');
    const started = performance.now();
    for (let i = 0; i < 10; i++) expect((await a.get('/customer/1')).status).toBe(200);
    const eleventh = await a.get('/customer/1');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(eleventh.status).toBe(429);
    expect(eleventh.text).toContain('message=ThrottleExceeded; errorCode=003001; statusCode=429');
    expect((await b.get('/customer/1')).status).toBe(200);
    expect((await admin.stats()).throttledBy).toMatchObject({ perSecond: 1, realmBatchPerMinute: 0 });
    // Refused (and not counted) until the first call has left its second.
    const deadline = performance.now() + 60_000;
    let status = 429;
    while (status === 429 && performance.now() < deadline) {
      status = (await a.get('/customer/1')).status;
      if (status === 429) await sleep(50);
    }
    expect(status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(5000);
  });

  it('when four apps send 121 batch calls in one minute, then the 121st is a 429 from the company’s shared ceiling although its app sent none before', async () => {
    // A "minute" of 10 minutes, and the per-second limit out of the way: only the batch limits bind here.
    await admin.settings({ timeScale: 10, limits: { perSecond: 10_000, concurrent: 100 } });
    for (const clientId of ['app-a', 'app-b', 'app-c']) {
      const api = await appApi(clientId);
      for (let i = 0; i < 40; i++) expect((await api.batch(QUERY_BATCH)).status).toBe(200);
    }
    const d = await appApi('app-d');
    const refused = await d.batch(QUERY_BATCH);
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('ThrottleExceeded');
    expect((await admin.stats()).throttledBy).toMatchObject({ realmBatchPerMinute: 1, batchPerMinute: 0 });
    // Plain calls are not batch calls: the same app still reads.
    expect((await d.get('/customer/1')).status).toBe(200);
  });

  it('when other apps hold 50 batch calls of the minute and two apps send 71 more, then the 71st is a 429 from the shared ceiling', async () => {
    await admin.settings({ timeScale: 10, limits: { perSecond: 10_000, concurrent: 100 } });
    expect((await admin.otherApps(REALM, { batchesPerMinute: 50 })).otherApps).toEqual({ batchesPerMinute: 50, requestsPerMinute: 0 });
    const a = await appApi('app-a');
    const b = await appApi('app-b');
    for (let i = 0; i < 40; i++) expect((await a.batch(QUERY_BATCH)).status).toBe(200);
    for (let i = 0; i < 30; i++) expect((await b.batch(QUERY_BATCH)).status).toBe(200);
    expect((await b.batch(QUERY_BATCH)).status).toBe(429);
    expect((await admin.stats()).throttledBy).toMatchObject({ realmBatchPerMinute: 1, batchPerMinute: 0 });
    // Once the other apps stop, the company has room again.
    await admin.otherApps(REALM, { batchesPerMinute: 0 });
    expect((await b.batch(QUERY_BATCH)).status).toBe(200);
  });

  it('when one app sends its 41st batch call of the minute, then it alone is refused: another app’s batches still go', async () => {
    await admin.settings({ timeScale: 10, limits: { perSecond: 10_000, concurrent: 100 } });
    const a = await appApi('app-a');
    const b = await appApi('app-b');
    for (let i = 0; i < 40; i++) expect((await a.batch(QUERY_BATCH)).status).toBe(200);
    expect((await a.batch(QUERY_BATCH)).status).toBe(429);
    expect((await b.batch(QUERY_BATCH)).status).toBe(200);
    expect((await admin.stats()).throttledBy).toMatchObject({ batchPerMinute: 1, realmBatchPerMinute: 0 });
  });

  it('when the other apps’ load is given a bad value or an unknown company, then the admin API refuses it; reset clears the load', async () => {
    const bad = await fetch(`${emu.url}/__admin/realms/${REALM}/load`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ batchesPerMinute: -1 }),
    });
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${emu.url}/__admin/realms/nope/load`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unknown.status).toBe(404);
    await admin.otherApps(REALM, { batchesPerMinute: 100 });
    await admin.reset();
    await admin.seed([{ realmId: REALM }]);
    expect(((await (await fetch(`${emu.url}/__admin/realms/${REALM}/load`)).json()) as any).otherApps).toEqual({ batchesPerMinute: 0, requestsPerMinute: 0 });
  });
});
