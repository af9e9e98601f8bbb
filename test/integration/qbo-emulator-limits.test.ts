import { startQboEmulator } from '../../emulators/qbo';
import { useQboEmulator } from '../support/qbo';

const REALM = '9341450000000003';
const OTHER = '9341450000000004';

const THROTTLE_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<IntuitResponse time="TIME" xmlns="http://schema.intuit.com/finance/v3">\n' +
  '    <Fault type="SERVICE">\n' +
  '        <Error code="3001">\n' +
  '            <Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>\n' +
  '            <Detail>The request limit was reached.  Try again later</Detail>\n' +
  '        </Error>\n' +
  '    </Fault>\n' +
  '</IntuitResponse>\n';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('QBO emulator: throttling and injected faults', () => {
  const { emu, admin, connect } = useQboEmulator([
    { realmId: REALM, entities: { Customer: [{ Id: '1', DisplayName: 'Existing' }] } },
    { realmId: OTHER, entities: {} },
  ]);
  const api = connect(REALM);
  const other = connect(OTHER);

  describe('limits', () => {
    it('when more requests than the per-minute limit arrive, then the extra one gets the XML 429 until the window passes', async () => {
      await admin.settings({ timeScale: 0.01, limits: { perMinute: 5 } }); // the minute lasts 600 ms
      const windowStart = performance.now();
      for (let i = 0; i < 5; i++) expect((await api.get('/customer/1')).status).toBe(200);
      const throttled = await api.get('/customer/1');
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('content-type')).toContain('xml');
      expect(throttled.text.replace(/time="[^"]+"/, 'time="TIME"')).toBe(THROTTLE_XML);
      expect((await other.get('/companyinfo/' + OTHER)).status).toBe(200);
      expect((await admin.stats()).throttled).toBe(1);
      // Refused (and not counted) until the first call leaves the window, then answered again.
      const deadline = windowStart + 30_000;
      let status = 429;
      while (status === 429 && performance.now() < deadline) {
        status = (await api.get('/customer/1')).status;
        if (status === 429) await sleep(25);
      }
      expect(status).toBe(200);
      expect(performance.now() - windowStart).toBeGreaterThanOrEqual(600);
    });

    it('when batch items are counted, then each item uses one request of the minute', async () => {
      await admin.settings({ limits: { perMinute: 10 } });
      const items = (n: number) => Array.from({ length: n }, (_, i) => ({ bId: `${i}`, Query: 'select * from Customer' }));
      expect((await api.batch(items(8))).status).toBe(200);
      expect((await api.batch(items(3))).status).toBe(429);
      expect((await api.get('/customer/1')).status).toBe(200);
    });

    it('when batchCounts is "item" (the default), then a 30-item batch uses 30 of the minute and the limit binds per item', async () => {
      expect((await admin.settings({})).batchCounts).toBe('item');
      await admin.settings({ limits: { perMinute: 40 } });
      const items = (n: number) => Array.from({ length: n }, (_, i) => ({ bId: `${i}`, Query: 'select * from Customer' }));
      expect((await api.batch(items(30))).status).toBe(200);
      expect((await api.batch(items(11))).status).toBe(429);
      expect((await api.batch(items(10))).status).toBe(200);
      expect((await api.get('/customer/1')).status).toBe(429);
    });

    it('when batchCounts is "call", then a batch uses one request of the minute whatever its size, and batchPerMinute still binds', async () => {
      const settings = await admin.settings({ batchCounts: 'call', limits: { perMinute: 5, batchPerMinute: 3 } });
      expect(settings.batchCounts).toBe('call');
      const items = Array.from({ length: 30 }, (_, i) => ({ bId: `${i}`, Query: 'select * from Customer' }));
      for (let i = 0; i < 3; i++) expect((await api.batch(items)).status).toBe(200);
      expect((await api.batch(items)).status).toBe(429);
      // Three batch calls of 30 items used three of the five requests: two plain calls still fit, a third does not.
      expect((await api.get('/customer/1')).status).toBe(200);
      expect((await api.get('/customer/1')).status).toBe(200);
      expect((await api.get('/customer/1')).status).toBe(429);
      expect((await admin.stats()).batchItems).toBe(90);
    });

    it('when batchCounts is given an unknown value, then the admin API refuses it; reset puts "item" back', async () => {
      const bad = await fetch(`${emu.url}/__admin/settings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ batchCounts: 'items' }),
      });
      expect(bad.status).toBe(400);
      await admin.settings({ batchCounts: 'call' });
      await admin.reset();
      expect((await admin.settings({})).batchCounts).toBe('item');
    });

    it('when the emulator is started with batchCounts "call", then that is its setting', async () => {
      const started = await startQboEmulator({ port: 0, batchCounts: 'call' });
      try {
        expect(((await (await fetch(`${started.url}/__admin/settings`)).json()) as any).batchCounts).toBe('call');
      } finally {
        await started.close();
      }
    });

    it('when some calls are throttled, then the stats count only what the limits let through, per call and per operation', async () => {
      await admin.settings({ limits: { perMinute: 10 } });
      const items = (n: number) => Array.from({ length: n }, (_, i) => ({ bId: `${i}`, Query: 'select * from Customer' }));
      expect((await api.batch(items(8))).status).toBe(200);
      expect((await api.batch(items(3))).status).toBe(429);
      expect((await api.get('/customer/1')).status).toBe(200);
      const stats = await admin.stats();
      expect(stats.total).toBe(3);
      expect(stats.throttled).toBe(1);
      expect(stats.admitted).toEqual({ calls: 2, batches: 1, operations: 9 });
    });

    it('when more batch calls than batchPerMinute arrive, then the extra batch is throttled', async () => {
      await admin.settings({ limits: { batchPerMinute: 2 } });
      const batch = [{ bId: '1', Query: 'select * from Customer' }];
      expect((await api.batch(batch)).status).toBe(200);
      expect((await api.batch(batch)).status).toBe(200);
      expect((await api.batch(batch)).status).toBe(429);
      expect((await api.get('/customer/1')).status).toBe(200);
    });

    it('when more requests are in flight than allowed, then the extra one is throttled at once', async () => {
      await admin.settings({ latencyMs: 150, limits: { concurrent: 2 } });
      const started = Date.now();
      const statuses = await Promise.all([1, 2, 3].map(() => api.get('/customer/1').then((r) => r.status)));
      expect(statuses.sort()).toEqual([200, 200, 429]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect((await api.get('/customer/1')).status).toBe(200);
    });
  });

  describe('faults', () => {
    it('when an http401 fault is queued twice, then the next two calls get the gateway JSON 401', async () => {
      await admin.fault({ kind: 'http401', count: 2 });
      for (let i = 0; i < 2; i++) {
        const r = await api.get('/customer/1');
        expect(r.status).toBe(401);
        expect(r.headers.get('www-authenticate')).toBe('Bearer realm="Intuit", error="invalid_token"');
        expect(r.body.fault.error[0]).toMatchObject({ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', code: '3200', element: null });
        expect(typeof r.body.time).toBe('number');
      }
      expect((await api.get('/customer/1')).status).toBe(200);
      expect((await admin.stats()).faultsInjected).toBe(2);
    });

    it('when an http401xml fault is queued, then the call gets the XML AuthenticationFault', async () => {
      await admin.fault({ kind: 'http401xml' });
      const r = await api.get('/customer/1');
      expect(r.status).toBe(401);
      expect(r.text).toContain(
        '<Fault type="AuthenticationFault"><Error code="100"><Message>General Authentication Error</Message><Detail>AuthenticationErrorGeneral: SRV-110-Authentication Failure , statusCode: 401</Detail></Error></Fault></IntuitResponse>',
      );
    });

    it('when http429, http500 and http503 faults are queued, then each call gets that answer', async () => {
      await admin.fault({ kind: 'http429' });
      await admin.fault({ kind: 'http500' });
      await admin.fault({ kind: 'http503' });
      const t = await api.get('/customer/1');
      expect([t.status, t.text.includes('ThrottleExceeded')]).toEqual([429, true]);
      const s = await api.get('/customer/1');
      expect(s.status).toBe(500);
      expect(s.body.Fault).toMatchObject({
        type: 'SystemFault',
        Error: [{ code: '10000', Message: 'An application error has occurred while processing your request' }],
      });
      const g = await api.get('/customer/1');
      expect(g.status).toBe(503);
      expect(g.headers.get('content-type')).toContain('text/html');
      expect(g.text).toContain('<title>503 Service Temporarily Unavailable</title>');
    });

    it('when a reset fault is queued, then the socket closes and nothing is written', async () => {
      await admin.fault({ kind: 'reset', match: { entity: 'customer', method: 'POST' } });
      await expect(api.post('/customer', { DisplayName: 'Never' })).rejects.toThrow();
      expect((await admin.entities(REALM, 'Customer')).map((c) => c.DisplayName)).toEqual(['Existing']);
    });

    it('when resetAfterCommit hits a write, then it is stored, the client sees a socket error and a retry with the requestid gets the first answer', async () => {
      await admin.fault({ kind: 'resetAfterCommit', match: { entity: 'customer' } });
      await expect(api.post('/customer?requestid=crash-1', { DisplayName: 'Committed' })).rejects.toThrow();
      const stored = await admin.entities(REALM, 'Customer');
      expect(stored.filter((c) => c.DisplayName === 'Committed')).toHaveLength(1);
      const retry = await api.post('/customer?requestid=crash-1', { DisplayName: 'Committed' });
      expect(retry.status).toBe(200);
      expect(retry.body.Customer.Id).toBe(stored.find((c) => c.DisplayName === 'Committed').Id);
      expect((await admin.entities(REALM, 'Customer')).filter((c) => c.DisplayName === 'Committed')).toHaveLength(1);
    });

    it('when resetAfterCommit hits a batch, then the batch is applied and its requestid replays it', async () => {
      await admin.fault({ kind: 'resetAfterCommit', match: { entity: 'batch' } });
      const items = [{ bId: '1', operation: 'create', Customer: { DisplayName: 'Batch Crash' } }];
      await expect(api.batch(items, 'bcrash-1')).rejects.toThrow();
      const retry = await api.batch(items, 'bcrash-1');
      expect(retry.body.BatchItemResponse[0].Customer.DisplayName).toBe('Batch Crash');
      expect((await admin.entities(REALM, 'Customer')).filter((c) => c.DisplayName === 'Batch Crash')).toHaveLength(1);
    });

    it('when a delay fault is queued, then the call is answered late but normally', async () => {
      await admin.fault({ kind: 'delay', delayMs: 200 });
      const started = Date.now();
      expect((await api.get('/customer/1')).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    });

    it('when a fault matches on entity, method or path, then other calls pass untouched', async () => {
      await admin.fault({ kind: 'http500', match: { entity: 'query' } });
      await admin.fault({ kind: 'http503', match: { method: 'post', path: '/vendor' } });
      expect((await api.get('/customer/1')).status).toBe(200);
      expect((await api.post('/customer', { DisplayName: 'Fine' })).status).toBe(200);
      expect((await api.post('/vendor', { DisplayName: 'Hit' })).status).toBe(503);
      expect((await api.query('select * from Customer')).status).toBe(500);
      expect((await api.query('select * from Customer')).status).toBe(200);
    });

    it('when faults are cleared, then nothing is injected', async () => {
      await admin.fault({ kind: 'http500', count: 5 });
      await admin.clearFaults();
      expect((await api.get('/customer/1')).status).toBe(200);
    });

    it('when latencyMs is set, then every API call takes at least that long', async () => {
      await admin.settings({ latencyMs: 120 });
      const started = Date.now();
      await api.get('/customer/1');
      expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    });
  });
});
