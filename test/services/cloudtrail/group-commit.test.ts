// The recorder's group commit: what arrives in one turn of the event loop is written as
// one batch, one batch is under way at a time (what arrives meanwhile goes next, as
// one), and each caller learns the fate of its own batch only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupCommitWriter } from '../../../src/services/cloudtrail/recorder.ts';
import type { EventToStore } from '../../../src/services/cloudtrail/event-store.ts';

const event = (n: number) => ({ timeMs: n }) as unknown as EventToStore;
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A write that holds each batch until released. */
function heldWrites() {
  const batches: { times: number[]; release: () => void; fail: (error: Error) => void }[] = [];
  const write = (events: EventToStore[]) =>
    new Promise<void>((resolve, reject) => batches.push({ times: events.map((e) => e.timeMs), release: resolve, fail: reject }));
  return { batches, write };
}

describe('CloudTrail group commit', () => {
  it('writes the events of one turn as one batch, and answers each caller once its batch is written', async () => {
    const { batches, write } = heldWrites();
    const writer = new GroupCommitWriter(write);
    let answered = 0;
    const first = [1, 2, 3].map((n) => writer.add(event(n)).then(() => answered++));
    await turn();
    assert.deepEqual(batches.map((b) => b.times), [[1, 2, 3]]);
    const second = writer.add(event(4)).then(() => answered++);
    await turn();
    assert.deepEqual(batches.map((b) => b.times), [[1, 2, 3]], 'the next batch waits for the first to be written');
    assert.equal(answered, 0);
    batches[0].release();
    await Promise.all(first);
    assert.equal(answered, 3, 'only the first batch is answered');
    await turn();
    assert.deepEqual(batches.map((b) => b.times), [[1, 2, 3], [4]]);
    batches[1].release();
    await second;
  });

  it('has one batch under way; everything that arrives meanwhile goes as the next batch', async () => {
    const { batches, write } = heldWrites();
    const writer = new GroupCommitWriter(write);
    const added: Promise<void>[] = [writer.add(event(1))];
    await turn();
    for (let n = 2; n <= 4; n++) {
      added.push(writer.add(event(n)));
      await turn();
    }
    assert.equal(batches.length, 1);
    batches[0].release();
    await added[0];
    await turn();
    await turn();
    assert.deepEqual(batches.map((b) => b.times), [[1], [2, 3, 4]]);
    batches[1].release();
    await Promise.all(added);
  });

  it('a failed batch fails its own callers, not the next batch', async () => {
    const { batches, write } = heldWrites();
    const writer = new GroupCommitWriter(write);
    const failing = writer.add(event(1));
    await turn();
    const next = writer.add(event(2));
    await turn();
    batches[0].fail(new Error('disk full'));
    await assert.rejects(failing, /disk full/);
    await turn();
    await turn();
    batches[1].release();
    await next;
  });

  it('idle() resolves once everything added so far is written', async () => {
    const { batches, write } = heldWrites();
    const writer = new GroupCommitWriter(write);
    void writer.add(event(1));
    let idle = false;
    const waiting = writer.idle().then(() => (idle = true));
    await turn();
    await turn();
    assert.equal(idle, false);
    batches[0].release();
    await waiting;
  });
});
