// Every call that reaches a service becomes one call event, published before the
// caller gets its answer: allowed, failed and denied calls alike.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateUserCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { EventBus, EventNotDelivered } from '../../src/events/bus.ts';
import { Logger } from '../../src/lib/log.ts';
import type { CallEvent } from '../../src/events/call-event.ts';
import type { RunningServer } from '../../src/server/server.ts';
import { DUMMY_CREDENTIALS, startTestServer } from '../helpers/server.ts';

describe('call events', () => {
  let server: RunningServer;
  const seen: CallEvent[] = [];
  before(async () => {
    server = await startTestServer();
    server.events.subscribe({ name: 'test', durable: true, receive: (event) => void seen.push(event) });
  });
  after(() => server.close());

  it('publishes one event per call with caller, input, output or error, before answering', async () => {
    const iam = new IAMClient({ endpoint: server.url, region: 'eu-west-1', credentials: DUMMY_CREDENTIALS });
    const created = await iam.send(new CreateUserCommand({ UserName: 'evie' }));
    const event = seen.find((e) => e.requestId === created.$metadata.requestId);
    assert.ok(event, 'the event is there when the answer arrives');
    assert.equal(event.service, 'iam');
    assert.equal(event.eventSource, 'iam.amazonaws.com');
    assert.equal(event.operation, 'CreateUser');
    assert.equal(event.region, 'eu-west-1');
    assert.equal(event.principal?.arn, 'arn:aws:iam::123456789012:root');
    assert.deepEqual(event.input, { UserName: 'evie' });
    assert.equal((event.output as { User: { UserName: string } }).User.UserName, 'evie');
    assert.equal(event.status, 200);
    assert.equal(event.authorization[0].action, 'iam:CreateUser');

    await assert.rejects(iam.send(new GetUserCommand({ UserName: 'nobody' })));
    const failed = seen.at(-1)!;
    assert.equal(failed.operation, 'GetUser');
    assert.equal(failed.status, 404);
    assert.equal(failed.error?.code, 'NoSuchEntityException');
  });

  it('a call whose event a durable subscriber cannot take is answered InternalFailure, 500, never as done', async () => {
    let failing = true;
    server.events.subscribe({
      name: 'full-disk',
      durable: true,
      receive: () => {
        if (failing) throw new Error('SQLITE_FULL: database or disk is full');
      },
    });
    const sts = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
    try {
      await assert.rejects(sts.send(new GetCallerIdentityCommand({})), (error: any) => {
        assert.equal(error.name, 'InternalFailure');
        assert.equal(error.$metadata.httpStatusCode, 500);
        return true;
      });
      failing = false;
      await sts.send(new GetCallerIdentityCommand({}));
    } finally {
      failing = false;
      sts.destroy();
    }
  });
});

describe('EventBus', () => {
  const quiet = new Logger('error', () => {});

  it("rejects publish when a durable subscriber fails, and only logs a background subscriber's failure", async () => {
    const bus = new EventBus(quiet);
    bus.subscribe({ name: 'metrics', durable: false, receive: () => Promise.reject(new Error('not needed')) });
    const event = { requestId: 'r-1' } as CallEvent;
    await bus.publish(event);
    bus.subscribe({ name: 'cloudtrail', durable: true, receive: () => Promise.reject(new Error('disk full')) });
    await assert.rejects(bus.publish(event), EventNotDelivered);
  });
});
