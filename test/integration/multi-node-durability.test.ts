// Durability on PostgreSQL: a `bulwark start` process on the database is killed with
// SIGKILL while clients are writing through it; a new process on the same database
// finds every write the old one acknowledged, and nothing half-made.
// Runs when BULWARK_TEST_POSTGRES_URL is set (see scripts/ci-postgres.sh).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { CreateUserCommand, GetUserCommand, IAMClient, ListUsersCommand, type User } from '@aws-sdk/client-iam';
import { startBulwarkProcess, type BulwarkProcess } from '../helpers/bulwark-process.ts';
import { DUMMY_CREDENTIALS, TEST_REGION } from '../helpers/server.ts';
import { dropCreatedSchemas, freshSchemaUrl, SKIP_REASON } from '../store/postgres-database.ts';

const WRITERS = 4;
const KILL_AFTER_ACKNOWLEDGED = 40;

/** Starts `bulwark start` on the store, on a free port; resolves once it listens. */
function startBulwark(store: string): Promise<BulwarkProcess> {
  return startBulwarkProcess(['--store', store], { ...process.env, BULWARK_DATA_DIR: '/nonexistent-bulwark-test-dir' });
}

async function stop({ child }: BulwarkProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

const iam = (url: string) =>
  new IAMClient({ endpoint: url, region: TEST_REGION, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });

async function allUsers(client: IAMClient): Promise<User[]> {
  const users: User[] = [];
  let Marker: string | undefined;
  do {
    const page = await client.send(new ListUsersCommand({ Marker }));
    users.push(...page.Users!);
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return users;
}

describe('bulwark on PostgreSQL, killed mid-writes', { skip: SKIP_REASON }, () => {
  const running: BulwarkProcess[] = [];
  after(async () => {
    await Promise.all(running.map((p) => stop(p, 'SIGKILL')));
    await dropCreatedSchemas();
  });

  it('after SIGKILL, a restarted node finds every acknowledged CreateUser, and every user it lists is whole', { timeout: 60_000 }, async () => {
    const { url: store } = freshSchemaUrl();
    const first = await startBulwark(store);
    running.push(first);

    // Several writers, so that writes are in flight at the moment of the kill.
    const acknowledged: string[] = [];
    let next = 0;
    let killed = false;
    const writer = async () => {
      const client = iam(first.url);
      while (!killed) {
        const name = `durable-${String(next++).padStart(4, '0')}`;
        try {
          await client.send(new CreateUserCommand({ UserName: name }));
        } catch (error) {
          if (killed) return; // the connection died with the process: not acknowledged
          throw error;
        }
        acknowledged.push(name);
        if (acknowledged.length >= KILL_AFTER_ACKNOWLEDGED && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, writer));
    await once(first.child, 'exit').catch(() => {});
    assert.equal(first.child.signalCode, 'SIGKILL');

    const second = await startBulwark(store);
    running.push(second);
    const client = iam(second.url);
    const users = await allUsers(client);
    const listed = new Set(users.map((u) => u.UserName));
    const lost = acknowledged.filter((name) => !listed.has(name));
    assert.deepEqual(lost, [], 'acknowledged users missing after the restart');
    // Writes that began are at most those acknowledged plus one in flight per writer.
    assert.ok(users.length <= acknowledged.length + WRITERS, `${users.length} users, ${acknowledged.length} acknowledged`);
    for (const user of users) {
      const { User: read } = await client.send(new GetUserCommand({ UserName: user.UserName }));
      assert.equal(read!.UserId, user.UserId, `${user.UserName} reads back whole`);
    }
    // The new node is fully usable, and the names of lost-in-flight writes are either taken or free.
    await client.send(new CreateUserCommand({ UserName: 'after-restart' }));
    await stop(second, 'SIGTERM');
    assert.equal(second.child.exitCode, 0, 'a clean shutdown after the restart');
  });
});
