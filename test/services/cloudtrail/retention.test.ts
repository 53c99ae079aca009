// Event history retention: 90 days on Bulwark's clock, after which events are deleted
// from the store's event log, not only hidden from LookupEvents.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import type { RunningServer } from '../../../src/server/server.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../../helpers/server.ts';

const DAY_S = 86400;

describe('CloudTrail event retention', () => {
  let server: RunningServer;
  let iam: IAMClient;
  const directory = mkdtempSync(join(tmpdir(), 'bulwark-retention-'));

  before(async () => {
    server = await startTestServer({ store: `sqlite:${join(directory, 'bulwark.db')}`, cloudTrailRecording: true, cloudTrailDeliveryMs: 50 });
    iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
  });
  after(async () => {
    iam.destroy();
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** The user names of the CreateUser events in the store, over all time (no 90-day window). */
  const loggedUsers = async () => {
    const page = await server.store.eventLog!().query({
      account: TEST_ACCOUNT,
      region: 'us-east-1',
      attribute: { key: 'EventName', value: 'CreateUser' },
      start: 0,
      end: Number.MAX_SAFE_INTEGER,
      limit: 50,
    });
    return page.events.map((e) => (JSON.parse(e.record) as { requestParameters: { userName: string } }).requestParameters.userName).sort();
  };
  const eventually = async (wanted: string[], what: string) => {
    for (let waited = 0; waited < 5000; waited += 20) {
      if (JSON.stringify(await loggedUsers()) === JSON.stringify(wanted)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(await loggedUsers(), wanted, what);
  };
  const advanceDays = async (days: number) => {
    const response = await fetch(`${server.url}/_bulwark/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: days * DAY_S }) });
    assert.equal(response.status, 200);
  };

  it('deletes events older than 90 days from the store once the clock moves past them, and keeps newer ones', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'old-user' }));
    await eventually(['old-user'], 'recorded');
    await advanceDays(45);
    await iam.send(new CreateUserCommand({ UserName: 'middle-user' }));
    await eventually(['middle-user', 'old-user'], 'both recorded');
    // An hour of Bulwark's clock has passed: the next tick prunes, and nothing is 90 days old yet.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(await loggedUsers(), ['middle-user', 'old-user'], 'nothing deleted before 90 days');
    await advanceDays(46); // old-user is 91 days old, middle-user 46
    await iam.send(new CreateUserCommand({ UserName: 'new-user' }));
    await eventually(['middle-user', 'new-user'], 'the 91-day-old event is deleted, the newer ones stay');
  });
});
