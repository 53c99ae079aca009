// Bulwark's operational endpoints: health, reset (also at moto's path), the test clock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server/server.ts';
import { startTestServer } from '../helpers/server.ts';

describe('operational endpoints', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const call = (method: string, path: string, body?: unknown) =>
    fetch(server.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });

  it('GET /_bulwark/health reports the version, the settings and per-service operation counts', async () => {
    const res = await call('GET', '/_bulwark/health');
    assert.equal(res.status, 200);
    const health = (await res.json()) as any;
    assert.equal(health.version, '0.1.0');
    assert.equal(health.settings.auth, 'permissive');
    assert.equal(health.settings.accountId, '123456789012');
    assert.ok(health.services.sts.implemented >= 1);
    assert.equal(health.services.sts.total, 11, 'STS has 11 operations in its model');
    assert.equal(health.services.iam.total, 176, 'IAM has 176 operations in its model');
    for (const counts of Object.values(health.services) as { implemented: number; total: number }[]) {
      assert.ok(counts.implemented <= counts.total);
    }
  });

  it('POST /_bulwark/clock moves time forward, and never back', async () => {
    const before = Date.now();
    let res = await call('POST', '/_bulwark/clock', { advanceSeconds: 86_400 });
    assert.equal(res.status, 200);
    const state = (await res.json()) as any;
    assert.equal(state.offsetSeconds, 86_400);
    assert.ok(Date.parse(state.now) >= before + 86_400_000);

    res = await call('POST', '/_bulwark/clock', { advanceSeconds: -5 });
    assert.equal(res.status, 400);
    res = await call('POST', '/_bulwark/clock', { to: '2001-01-01T00:00:00Z' });
    assert.equal(res.status, 400);
    res = await call('POST', '/_bulwark/clock', 'not json');
    assert.equal(res.status, 400);
    const clock = (await (await call('GET', '/_bulwark/clock')).json()) as any;
    assert.equal(clock.offsetSeconds, 86_400, 'rejected moves leave the clock as it was');
  });

  it('POST /_bulwark/reset wipes state and resets the clock; POST /moto-api/reset does the same', async () => {
    await server.store.put('test.things', 'a', { n: 1 });
    await call('POST', '/_bulwark/clock', { advanceSeconds: 60 });
    let res = await call('POST', '/_bulwark/reset');
    assert.equal(res.status, 200);
    assert.equal(await server.store.get('test.things', 'a'), undefined);
    assert.equal(((await (await call('GET', '/_bulwark/clock')).json()) as any).offsetSeconds, 0);

    await server.store.put('test.things', 'b', { n: 2 });
    res = await call('POST', '/moto-api/reset');
    assert.equal(res.status, 200);
    assert.equal(await server.store.get('test.things', 'b'), undefined);
  });

  it('answers an unknown Bulwark endpoint with 404', async () => {
    const res = await call('GET', '/_bulwark/nope');
    assert.equal(res.status, 404);
  });
});
