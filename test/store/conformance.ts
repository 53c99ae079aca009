// The behaviour every Store implementation must have, written once. Each store's test
// file calls runStoreConformance with a function that opens a fresh, empty store.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { StoreClosedError, TransactionError } from '../../src/store/errors.ts';
import type { Store } from '../../src/store/store.ts';

/** Tests that would hang if the store deadlocked fail after this long instead. */
const DEADLOCK_TIMEOUT_MS = 5000;

export function runStoreConformance(name: string, openFresh: () => Promise<Store>): void {
  describe(`${name} store conformance`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openFresh();
    });
    afterEach(
      async () => {
        await store.close();
      },
      { timeout: DEADLOCK_TIMEOUT_MS },
    );

    const keysOf = async (collection: string, options?: Parameters<Store['list']>[1]) =>
      (await store.list(collection, options)).items.map((entry) => entry.key);

    const putAll = async (collection: string, keys: string[]) => {
      for (const key of keys) await store.put(collection, key, { key });
    };

    describe('get and put', () => {
      it('get answers undefined for a document that was never written', async () => {
        assert.equal(await store.get('t.things', 'missing'), undefined);
        assert.equal(await store.getEntry('t.things', 'missing'), undefined);
      });

      it('put stores any JSON value and get returns it unchanged', async () => {
        const values: unknown[] = [
          { name: 'alice', tags: [{ Key: 'k', Value: 'v' }], nested: { deep: [1, 2.5, -3e10, null, true, false] } },
          'a plain string with ünïcödé and 😀',
          42,
          [],
          null,
          { empty: '', quote: '"\\\n', nul: '\u0000' },
        ];
        for (const [i, value] of values.entries()) await store.put('t.things', `k${i}`, value);
        for (const [i, value] of values.entries()) assert.deepEqual(await store.get('t.things', `k${i}`), value);
      });

      it('documents are copies: changing what was put or what was read changes nothing stored', async () => {
        const user = { name: 'alice', groups: ['admins'] };
        await store.put('t.users', 'alice', user);
        user.groups.push('changed after put');
        const read = await store.get<typeof user>('t.users', 'alice');
        read!.groups.push('changed after get');
        assert.deepEqual(await store.get('t.users', 'alice'), { name: 'alice', groups: ['admins'] });
      });

      it('put overwrites and returns a higher version each time; getEntry reports it', async () => {
        const first = await store.put('t.things', 'a', { n: 1 });
        const second = await store.put('t.things', 'a', { n: 2 });
        assert.ok(second > first, `${second} > ${first}`);
        assert.deepEqual(await store.getEntry('t.things', 'a'), { key: 'a', value: { n: 2 }, version: second });
      });

      it('collections are separate namespaces', async () => {
        await store.put('t.users', 'x', 'user');
        await store.put('t.roles', 'x', 'role');
        assert.equal(await store.get('t.users', 'x'), 'user');
        assert.equal(await store.get('t.roles', 'x'), 'role');
        assert.equal(await store.count('t.users'), 1);
      });

      it('rejects values that are not JSON, and stores nothing', async () => {
        await assert.rejects(store.put('t.things', 'a', undefined), TypeError);
        await assert.rejects(store.put('t.things', 'a', () => 1), TypeError);
        await assert.rejects(store.put('t.things', 'a', { big: 10n }), TypeError);
        assert.equal(await store.count('t.things'), 0);
      });

      it('rejects empty names, lone surrogates and NUL in collections and keys', async () => {
        for (const bad of ['', '\uD800', 'a\uDC00b', 'a\u0000b']) {
          await assert.rejects(store.put('t.things', bad, 1), RangeError, `key ${JSON.stringify(bad)}`);
          await assert.rejects(store.put(bad, 'k', 1), RangeError, `collection ${JSON.stringify(bad)}`);
          await assert.rejects(store.get('t.things', bad), RangeError);
        }
        await assert.rejects(store.list('t.things', { prefix: '\uD800' }), RangeError);
      });
    });

    describe('insert (create only if absent)', () => {
      it('creates a document whose key is free', async () => {
        assert.equal(await store.insert('t.users', 'alice', { n: 1 }), true);
        assert.deepEqual(await store.get('t.users', 'alice'), { n: 1 });
      });

      it('answers false and leaves the document alone when the key is taken', async () => {
        await store.put('t.users', 'alice', { n: 1 });
        const before = await store.getEntry('t.users', 'alice');
        assert.equal(await store.insert('t.users', 'alice', { n: 2 }), false);
        assert.deepEqual(await store.getEntry('t.users', 'alice'), before);
      });

      it('of many concurrent inserts of one key exactly one wins, and its value is stored', async () => {
        const results = await Promise.all(Array.from({ length: 40 }, (_, i) => store.insert('t.users', 'bob', { i })));
        assert.equal(results.filter(Boolean).length, 1);
        const winner = results.indexOf(true);
        assert.deepEqual(await store.get('t.users', 'bob'), { i: winner });
      });

      it('succeeds again after the document is deleted', async () => {
        await store.insert('t.users', 'carol', 1);
        await store.delete('t.users', 'carol');
        assert.equal(await store.insert('t.users', 'carol', 2), true);
        assert.equal(await store.get('t.users', 'carol'), 2);
      });
    });

    describe('update (optimistic concurrency)', () => {
      it('replaces the document when the version still matches, giving it a new version', async () => {
        const version = await store.put('t.keys', 'k', { state: 'Enabled' });
        assert.equal(await store.update('t.keys', 'k', { state: 'Disabled' }, version), true);
        const entry = await store.getEntry('t.keys', 'k');
        assert.deepEqual(entry?.value, { state: 'Disabled' });
        assert.ok(entry!.version > version);
      });

      it('answers false and changes nothing when the document changed since it was read', async () => {
        const stale = await store.put('t.keys', 'k', 1);
        await store.put('t.keys', 'k', 2);
        assert.equal(await store.update('t.keys', 'k', 3, stale), false);
        assert.equal(await store.get('t.keys', 'k'), 2);
      });

      it('answers false and creates nothing when the document does not exist', async () => {
        assert.equal(await store.update('t.keys', 'ghost', 1, 1), false);
        assert.equal(await store.get('t.keys', 'ghost'), undefined);
      });

      it('a deleted and recreated document has a new version, so an update based on the old one fails', async () => {
        const old = await store.put('t.keys', 'k', 'first life');
        await store.delete('t.keys', 'k');
        assert.equal(await store.insert('t.keys', 'k', 'second life'), true);
        assert.notEqual((await store.getEntry('t.keys', 'k'))!.version, old);
        assert.equal(await store.update('t.keys', 'k', 'overwritten', old), false);
        assert.equal(await store.get('t.keys', 'k'), 'second life');
      });

      it('of concurrent updates from the same read exactly one wins', async () => {
        const read = (await store.getEntry('t.keys', 'k')) ?? { version: await store.put('t.keys', 'k', 0) };
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.update('t.keys', 'k', i + 1, read.version)));
        assert.equal(results.filter(Boolean).length, 1);
        assert.equal(await store.get('t.keys', 'k'), results.indexOf(true) + 1);
      });
    });

    describe('delete', () => {
      it('removes the document and answers whether there was one', async () => {
        await store.put('t.users', 'alice', 1);
        assert.equal(await store.delete('t.users', 'alice'), true);
        assert.equal(await store.get('t.users', 'alice'), undefined);
        assert.equal(await store.delete('t.users', 'alice'), false);
        assert.equal(await store.delete('t.never', 'x'), false);
      });
    });

    describe('list and count', () => {
      it('lists a collection in key order, whatever the order of writing, with values and versions', async () => {
        await putAll('t.users', ['carol', 'alice', 'bob', 'Zed', 'alice2']);
        const page = await store.list('t.users');
        assert.deepEqual(
          page.items.map((e) => e.key),
          ['Zed', 'alice', 'alice2', 'bob', 'carol'],
        );
        assert.equal(page.next, undefined);
        for (const entry of page.items) {
          assert.deepEqual(entry.value, { key: entry.key });
          assert.equal(entry.version, (await store.getEntry('t.users', entry.key))!.version);
        }
      });

      it('orders keys by Unicode code point (UTF-8 byte order), not by UTF-16 unit', async () => {
        // U+FFFF sorts before U+1F600 by code point, after it by UTF-16 unit (0xD83D).
        await putAll('t.u', ['😀', '\uFFFF', 'é', 'e', 'E', '\u00FF', 'z']);
        assert.deepEqual(await keysOf('t.u'), ['E', 'e', 'z', 'é', '\u00FF', '\uFFFF', '😀']);
      });

      it('an empty or unknown collection lists nothing and counts zero', async () => {
        assert.deepEqual(await store.list('t.empty'), { items: [] });
        assert.equal(await store.count('t.empty'), 0);
        assert.equal(await store.count('t.empty', 'a'), 0);
      });

      it('a prefix selects exactly the keys that start with it, including the key equal to it', async () => {
        await putAll('t.users', ['111/alice', '111/bob', '111', '1110/eve', '11/x', '2/111/alice', '111/', '112/a']);
        assert.deepEqual(await keysOf('t.users', { prefix: '111/' }), ['111/', '111/alice', '111/bob']);
        assert.deepEqual(await keysOf('t.users', { prefix: '111' }), ['111', '111/', '111/alice', '111/bob', '1110/eve']);
        assert.deepEqual(await keysOf('t.users', { prefix: '111/alice/' }), []);
        assert.equal(await store.count('t.users', '111/'), 3);
        assert.equal(await store.count('t.users', '111'), 5);
        assert.equal(await store.count('t.users', ''), 8);
        assert.equal(await store.count('t.users'), 8);
      });

      it('prefixes match literally: %, _, *, ?, [ and \\ are not wildcards', async () => {
        await putAll('t.w', ['a%b', 'a%bc', 'axb', 'a_b', 'aXb', 'a*b', 'a?b', 'a[b]', 'a\\b', 'A%B']);
        assert.deepEqual(await keysOf('t.w', { prefix: 'a%' }), ['a%b', 'a%bc']);
        assert.deepEqual(await keysOf('t.w', { prefix: 'a_' }), ['a_b']);
        assert.deepEqual(await keysOf('t.w', { prefix: 'a*' }), ['a*b']);
        assert.deepEqual(await keysOf('t.w', { prefix: 'a?' }), ['a?b']);
        assert.deepEqual(await keysOf('t.w', { prefix: 'a[' }), ['a[b]']);
        assert.deepEqual(await keysOf('t.w', { prefix: 'a\\' }), ['a\\b']);
        assert.equal(await store.count('t.w', 'a%'), 2);
      });

      it('prefixes are case-sensitive', async () => {
        await putAll('t.c', ['Alice', 'alice', 'ALICE']);
        assert.deepEqual(await keysOf('t.c', { prefix: 'al' }), ['alice']);
        assert.deepEqual(await keysOf('t.c', { prefix: 'A' }), ['ALICE', 'Alice']);
      });

      it('unicode prefixes, including ones at the edges of the code point range', async () => {
        const keys = ['ü/1', 'ü/2', 'ü', 'u/1', '😀/a', '😀😀', '😁', '\uD7FF', '\uD7FFx', '\uE000', '\u{10FFFF}', '\u{10FFFF}a', 'a\u{10FFFF}b', 'b'];
        await putAll('t.x', keys);
        assert.deepEqual(await keysOf('t.x', { prefix: 'ü/' }), ['ü/1', 'ü/2']);
        assert.deepEqual(await keysOf('t.x', { prefix: '😀' }), ['😀/a', '😀😀']);
        assert.deepEqual(await keysOf('t.x', { prefix: '\uD7FF' }), ['\uD7FF', '\uD7FFx']);
        assert.deepEqual(await keysOf('t.x', { prefix: '\u{10FFFF}' }), ['\u{10FFFF}', '\u{10FFFF}a']);
        assert.deepEqual(await keysOf('t.x', { prefix: 'a\u{10FFFF}' }), ['a\u{10FFFF}b']);
        assert.equal(await store.count('t.x', '\u{10FFFF}'), 2);
      });

      it('pages of a fixed size cover every key once, in order; the last page has no next', async () => {
        const keys = Array.from({ length: 10 }, (_, i) => `acct/user${String(i).padStart(2, '0')}`);
        await putAll('t.p', [...keys].reverse());
        for (const size of [1, 3, 5, 9, 10, 11]) {
          const seen: string[] = [];
          let after: string | undefined;
          let pages = 0;
          do {
            const page = await store.list('t.p', { prefix: 'acct/', after, limit: size });
            assert.ok(page.items.length <= size);
            seen.push(...page.items.map((e) => e.key));
            after = page.next;
            if (after !== undefined) assert.equal(after, page.items.at(-1)!.key);
            pages++;
          } while (after !== undefined);
          assert.deepEqual(seen, keys, `page size ${size}`);
          assert.equal(pages, Math.max(1, Math.ceil(keys.length / size)), `page count for size ${size}`);
        }
      });

      it('after starts strictly after the given key, which need not exist', async () => {
        await putAll('t.a', ['a', 'b', 'c', 'd']);
        assert.deepEqual(await keysOf('t.a', { after: 'b' }), ['c', 'd']);
        assert.deepEqual(await keysOf('t.a', { after: 'bb' }), ['c', 'd']);
        assert.deepEqual(await keysOf('t.a', { after: '' }), ['a', 'b', 'c', 'd']);
        assert.deepEqual(await keysOf('t.a', { after: 'd' }), []);
        assert.deepEqual(await keysOf('t.a', { after: 'a', limit: 2 }), ['b', 'c']);
      });

      it('after combines with a prefix: before the prefix it changes nothing, past it nothing is left', async () => {
        await putAll('t.a', ['p/1', 'p/2', 'p/3', 'q/1', 'o/1']);
        assert.deepEqual(await keysOf('t.a', { prefix: 'p/', after: 'a' }), ['p/1', 'p/2', 'p/3']);
        assert.deepEqual(await keysOf('t.a', { prefix: 'p/', after: 'p/1' }), ['p/2', 'p/3']);
        assert.deepEqual(await keysOf('t.a', { prefix: 'p/', after: 'p/3' }), []);
        assert.deepEqual(await keysOf('t.a', { prefix: 'p/', after: 'q' }), []);
      });

      it('paging continues correctly when the last key of a page is deleted before the next page is read', async () => {
        await putAll('t.d', ['a', 'b', 'c', 'd', 'e']);
        const first = await store.list('t.d', { limit: 2 });
        assert.equal(first.next, 'b');
        await store.delete('t.d', 'b');
        await store.put('t.d', 'bb', 1);
        assert.deepEqual(await keysOf('t.d', { after: first.next, limit: 10 }), ['bb', 'c', 'd', 'e']);
      });

      it('rejects a limit that is not a positive integer', async () => {
        for (const limit of [0, -1, 1.5, Number.NaN]) {
          await assert.rejects(store.list('t.a', { limit }), RangeError, `limit ${limit}`);
        }
      });

      it('count follows writes and deletes', async () => {
        await putAll('t.n', ['x/1', 'x/2', 'y/1']);
        assert.equal(await store.count('t.n', 'x/'), 2);
        await store.delete('t.n', 'x/1');
        await store.put('t.n', 'x/2', 'again');
        assert.equal(await store.count('t.n', 'x/'), 1);
        assert.equal(await store.count('t.n'), 2);
      });
    });

    describe('transactions', () => {
      it('commits every write together and returns what the work returned', async () => {
        const result = await store.transaction(async (tx) => {
          await tx.put('t.users', 'alice', { id: 'AIDA1' });
          await tx.insert('t.user-ids', 'AIDA1', { name: 'alice' });
          return 'done';
        });
        assert.equal(result, 'done');
        assert.deepEqual(await store.get('t.users', 'alice'), { id: 'AIDA1' });
        assert.deepEqual(await store.get('t.user-ids', 'AIDA1'), { name: 'alice' });
      });

      it('sees its own writes in get, list and count before committing', async () => {
        await store.put('t.c', 'a', 1);
        await store.transaction(async (tx) => {
          await tx.put('t.c', 'b', 2);
          await tx.delete('t.c', 'a');
          assert.equal(await tx.get('t.c', 'a'), undefined);
          assert.equal(await tx.get('t.c', 'b'), 2);
          assert.deepEqual((await tx.list('t.c')).items.map((e) => e.key), ['b']);
          assert.equal(await tx.count('t.c'), 1);
          assert.equal(await tx.insert('t.c', 'b', 3), false);
        });
      });

      it('an exception rolls back every write of every kind, and reaches the caller', async () => {
        await store.put('t.c', 'kept', 'original');
        await store.put('t.c', 'doomed', 'original');
        const version = (await store.getEntry('t.c', 'kept'))!.version;
        const failure = new Error('the work failed');
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.put('t.c', 'new', 1);
            await tx.insert('t.other', 'new', 1);
            assert.equal(await tx.update('t.c', 'kept', 'changed', version), true);
            await tx.delete('t.c', 'doomed');
            throw failure;
          }),
          (error) => error === failure,
        );
        assert.deepEqual(await keysOf('t.c'), ['doomed', 'kept']);
        assert.deepEqual(await store.getEntry('t.c', 'kept'), { key: 'kept', value: 'original', version });
        assert.equal(await store.get('t.c', 'doomed'), 'original');
        assert.equal(await store.count('t.other'), 0);
      });

      it('rolls back when the work rejects a write it cannot make (a value that is not JSON)', async () => {
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.put('t.c', 'a', 1);
            await tx.put('t.c', 'b', undefined);
          }),
          TypeError,
        );
        assert.equal(await store.count('t.c'), 0);
      });

      it('concurrent read-modify-write transactions lose no update', { timeout: DEADLOCK_TIMEOUT_MS }, async () => {
        await store.put('t.counter', 'n', 0);
        await Promise.all(
          Array.from({ length: 20 }, () =>
            store.transaction(async (tx) => {
              const n = (await tx.get<number>('t.counter', 'n'))!;
              await new Promise((resolve) => setImmediate(resolve)); // give other work a chance to interleave
              await tx.put('t.counter', 'n', n + 1);
            }),
          ),
        );
        assert.equal(await store.get('t.counter', 'n'), 20);
      });

      it('a name and its unique index entry written together: of two racing creators exactly one commits', { timeout: DEADLOCK_TIMEOUT_MS }, async () => {
        const create = (name: string, id: string) =>
          store.transaction(async (tx) => {
            await tx.put('t.users', name, { id });
            await new Promise((resolve) => setImmediate(resolve));
            if (!(await tx.insert('t.user-ids', id, { name }))) throw new Error(`id ${id} is taken`);
          });
        const results = await Promise.allSettled([create('alice', 'AIDA1'), create('bob', 'AIDA1')]);
        assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
        const winner = results[0].status === 'fulfilled' ? 'alice' : 'bob';
        assert.deepEqual(await keysOf('t.users'), [winner]);
        assert.deepEqual(await store.get('t.user-ids', 'AIDA1'), { name: winner });
      });

      it('a read outside a transaction never sees its uncommitted writes', { timeout: DEADLOCK_TIMEOUT_MS }, async () => {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let written!: () => void;
        const hasWritten = new Promise<void>((resolve) => (written = resolve));
        const transaction = store.transaction(async (tx) => {
          await tx.put('t.c', 'uncommitted', 1);
          written();
          await gate;
          throw new Error('roll back');
        });
        await hasWritten;
        const outside = store.get('t.c', 'uncommitted');
        const outsideList = store.list('t.c');
        release();
        await assert.rejects(transaction, /roll back/);
        assert.equal(await outside, undefined);
        assert.deepEqual(await outsideList, { items: [] });
      });

      it('rejects a nested transaction and calls on the store from inside, instead of deadlocking', { timeout: DEADLOCK_TIMEOUT_MS }, async () => {
        const result = await store.transaction(async (tx) => {
          await assert.rejects(store.transaction(async () => 1), TransactionError);
          await assert.rejects(store.get('t.c', 'a'), TransactionError);
          await assert.rejects(store.put('t.c', 'a', 1), TransactionError);
          await assert.rejects(store.wipe(), TransactionError);
          await assert.rejects(store.close(), TransactionError);
          await tx.put('t.c', 'a', 'from tx');
          return 'outer still works';
        });
        assert.equal(result, 'outer still works');
        assert.equal(await store.get('t.c', 'a'), 'from tx');
      });

      it('a transaction handle used after its transaction ended is rejected', async () => {
        let kept!: Parameters<Parameters<Store['transaction']>[0]>[0];
        await store.transaction(async (tx) => {
          kept = tx;
        });
        await assert.rejects(kept.put('t.c', 'late', 1), TransactionError);
        await assert.rejects(kept.get('t.c', 'late'), TransactionError);
        assert.equal(await store.get('t.c', 'late'), undefined);
      });

      it('the store works normally after a transaction, from code that a transaction started', async () => {
        let later!: Promise<unknown>;
        await store.transaction(async () => {
          // Runs after the transaction: its async context still descends from it.
          later = new Promise((resolve) => setTimeout(resolve, 5)).then(() => store.put('t.c', 'after', 1));
        });
        await later;
        assert.equal(await store.get('t.c', 'after'), 1);
      });
    });

    describe('wipe', () => {
      it('removes every document of every collection; the store stays usable and versions keep growing', async () => {
        await putAll('t.users', ['a', 'b']);
        const before = await store.put('t.roles', 'r', 1);
        await store.wipe();
        assert.equal(await store.count('t.users'), 0);
        assert.equal(await store.get('t.roles', 'r'), undefined);
        assert.equal(await store.insert('t.roles', 'r', 2), true);
        assert.ok((await store.getEntry('t.roles', 'r'))!.version > before);
      });
    });

    describe('close', () => {
      it('lets operations already started finish, then rejects every call with StoreClosedError', async () => {
        const pending = store.put('t.c', 'a', 1);
        const closing = store.close();
        assert.equal(typeof (await pending), 'number');
        await closing;
        await assert.rejects(store.get('t.c', 'a'), StoreClosedError);
        await assert.rejects(store.put('t.c', 'a', 1), StoreClosedError);
        await assert.rejects(store.transaction(async () => 1), StoreClosedError);
        await assert.rejects(store.wipe(), StoreClosedError);
      });
    });
  });
}
