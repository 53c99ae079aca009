import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { StoreUrlError } from '../../src/store/errors.ts';
import { openStore } from '../../src/store/index.ts';

describe('openStore(url)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-open-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('memory: opens an empty store that keeps nothing on disk', async () => {
    const store = await openStore('memory:');
    await store.put('t.c', 'a', 1);
    assert.equal(await store.get('t.c', 'a'), 1);
    await store.close();
    const another = await openStore('memory:');
    assert.equal(await another.get('t.c', 'a'), undefined);
    await another.close();
  });

  it('sqlite:PATH opens (and creates, with its directories) the file at PATH', async () => {
    const path = join(dir, 'data', 'bulwark.db');
    const store = await openStore(`sqlite:${path}`);
    await store.put('t.c', 'a', 1);
    await store.close();
    assert.ok(existsSync(path));
    const again = await openStore(`sqlite:${path}`);
    assert.equal(await again.get('t.c', 'a'), 1);
    await again.close();
  });

  it('rejects anything else with a message naming the accepted forms', async () => {
    for (const url of ['', 'memory', 'sqlite:', 'mysql://db/x', '/var/lib/bulwark.db', 'SQLITE:/x.db']) {
      await assert.rejects(openStore(url), (error) => error instanceof StoreUrlError && /sqlite:PATH/.test(error.message), `url ${JSON.stringify(url)}`);
    }
  });
});
