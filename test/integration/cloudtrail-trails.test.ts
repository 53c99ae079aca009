// The rest of the trail API with the real clients: ListTrails and ListTags pages
// (NextToken), trail event configuration (aggregation), ListPublicKeys' ranges, and
// LookupEvents forgetting events older than 90 days on Bulwark's clock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddTagsCommand,
  CloudTrailClient,
  CloudTrailServiceException,
  CreateTrailCommand,
  GetEventConfigurationCommand,
  ListInsightsMetricDataCommand,
  ListPublicKeysCommand,
  ListTagsCommand,
  ListTrailsCommand,
  LookupEventsCommand,
  paginateListTrails,
  PutEventConfigurationCommand,
  PutInsightSelectorsCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import type { RunningServer } from '../../src/server/server.ts';
import { failure as anyFailure } from '../helpers/errors.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

const failure = (promise: Promise<unknown>) => anyFailure(promise, CloudTrailServiceException);
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'ap-south-1', 'ap-northeast-1', 'ap-southeast-1'];

describe('CloudTrail trail API', () => {
  let server: RunningServer;
  const clients = new Map<string, CloudTrailClient>();
  const trailIn = (region: string) => {
    if (!clients.has(region)) clients.set(region, new CloudTrailClient({ endpoint: server.url, region, credentials: DUMMY_CREDENTIALS }));
    return clients.get(region)!;
  };
  const trail = () => trailIn('us-east-1');
  const arnOf = (region: string, name: string) => `arn:aws:cloudtrail:${region}:${TEST_ACCOUNT}:trail/${name}`;

  before(async () => {
    server = await startTestServer({ cloudTrailRecording: true });
    // 55 trails: five in each of eleven regions (AWS's limit is five per region).
    for (const region of REGIONS) {
      for (let i = 0; i < 5; i++) {
        await trailIn(region).send(new CreateTrailCommand({ Name: `trail-${region}-${i}`, S3BucketName: 'paging-bucket' }));
      }
    }
  });
  after(async () => {
    for (const client of clients.values()) client.destroy();
    await server.close();
  });

  it('ListTrails answers every trail of the account, from every region, in pages of 50 with NextToken', async () => {
    const first = await trail().send(new ListTrailsCommand({}));
    assert.equal(first.Trails!.length, 50);
    assert.ok(first.NextToken);
    const second = await trail().send(new ListTrailsCommand({ NextToken: first.NextToken }));
    assert.equal(second.Trails!.length, 5);
    assert.equal(second.NextToken, undefined);
    const all = [...first.Trails!, ...second.Trails!];
    assert.equal(new Set(all.map((t) => t.TrailARN)).size, 55);
    const sample = all.find((t) => t.Name === 'trail-eu-west-3-2')!;
    assert.deepEqual(sample, { Name: 'trail-eu-west-3-2', HomeRegion: 'eu-west-3', TrailARN: arnOf('eu-west-3', 'trail-eu-west-3-2') });

    const paged = [];
    for await (const page of paginateListTrails({ client: trail() }, {})) paged.push(...page.Trails!);
    assert.equal(paged.length, 55);
  });

  it('ListTrails rejects a token it did not hand out: InvalidTokenException', async () => {
    const error = await failure(trail().send(new ListTrailsCommand({ NextToken: 'bm90LWEtdG9rZW4=' })));
    assert.equal(error.name, 'InvalidTokenException');
  });

  it('ListTags answers the tags of up to 20 trails, 10 per page, and rejects 21 ARNs', async () => {
    const region = 'us-east-1';
    for (let i = 0; i < 5; i++) {
      await trail().send(new AddTagsCommand({ ResourceId: arnOf(region, `trail-${region}-${i}`), TagsList: [{ Key: 'index', Value: String(i) }] }));
    }
    // Shadow trails are not taggable from here, so list the same five trails several times over.
    const ids = Array.from({ length: 12 }, (_, i) => arnOf(region, `trail-${region}-${i % 5}`));
    const first = await trail().send(new ListTagsCommand({ ResourceIdList: ids }));
    assert.equal(first.ResourceTagList!.length, 10);
    assert.deepEqual(first.ResourceTagList![3], { ResourceId: ids[3], TagsList: [{ Key: 'index', Value: '3' }] });
    const second = await trail().send(new ListTagsCommand({ ResourceIdList: ids, NextToken: first.NextToken }));
    assert.equal(second.ResourceTagList!.length, 2);
    assert.equal(second.NextToken, undefined);
    assert.equal(second.ResourceTagList![1].ResourceId, ids[11]);

    const otherList = await failure(trail().send(new ListTagsCommand({ ResourceIdList: ids.slice(1), NextToken: first.NextToken })));
    assert.equal(otherList.name, 'InvalidTokenException', 'a token belongs to its own list of ARNs');
    const tooMany = await failure(trail().send(new ListTagsCommand({ ResourceIdList: Array.from({ length: 21 }, () => ids[0]) })));
    assert.equal(tooMany.name, 'InvalidParameterException');
  });

  it("Put/GetEventConfiguration keep a trail's aggregation configuration; event data store settings are refused for trails", async () => {
    const name = 'trail-us-east-1-0';
    const empty = await trail().send(new GetEventConfigurationCommand({ TrailName: name }));
    assert.equal(empty.TrailARN, arnOf('us-east-1', name));
    assert.equal(empty.AggregationConfigurations, undefined);

    const aggregation = [{ EventCategory: 'Data' as const, Templates: ['API_ACTIVITY' as const, 'USER_ACTIONS' as const] }];
    const put = await trail().send(new PutEventConfigurationCommand({ TrailName: name, AggregationConfigurations: aggregation }));
    assert.deepEqual(put.AggregationConfigurations, aggregation);
    const got = await trail().send(new GetEventConfigurationCommand({ TrailName: arnOf('us-east-1', name) }));
    assert.deepEqual(got.AggregationConfigurations, aggregation);

    const maxSize = await failure(trail().send(new PutEventConfigurationCommand({ TrailName: name, MaxEventSize: 'Large' })));
    assert.equal(maxSize.name, 'InvalidParameterCombinationException');
    const unknown = await failure(trail().send(new GetEventConfigurationCommand({ TrailName: 'no-such-trail' })));
    assert.equal(unknown.name, 'TrailNotFoundException');
    const notHome = await failure(trailIn('us-east-2').send(new PutEventConfigurationCommand({ TrailName: arnOf('us-east-1', name), AggregationConfigurations: aggregation })));
    assert.equal(notHome.name, 'TrailNotFoundException', 'a single-region trail is not visible from another region');
  });

  it("ListPublicKeys answers the region's current key by default, each region its own, and rejects a reversed range", async () => {
    const [east] = (await trail().send(new ListPublicKeysCommand({}))).PublicKeyList!;
    assert.match(east.Fingerprint!, /^[0-9a-f]{32}$/);
    assert.ok(east.ValidityStartTime! <= new Date() && new Date() < east.ValidityEndTime!);
    assert.ok(east.Value!.length > 200, 'a DER-encoded 2048-bit RSA public key');
    const again = (await trail().send(new ListPublicKeysCommand({}))).PublicKeyList!;
    assert.deepEqual(again.map((k) => k.Fingerprint), [east.Fingerprint], 'the same key until it expires');
    const [west] = (await trailIn('us-west-2').send(new ListPublicKeysCommand({}))).PublicKeyList!;
    assert.notEqual(west.Fingerprint, east.Fingerprint);
    const before = await trail().send(new ListPublicKeysCommand({ StartTime: new Date('2001-01-01'), EndTime: new Date('2001-01-02') }));
    assert.deepEqual(before.PublicKeyList, []);
    const reversed = await failure(trail().send(new ListPublicKeysCommand({ StartTime: new Date(), EndTime: new Date('2001-01-01') })));
    assert.equal(reversed.name, 'InvalidTimeRangeException');
  });

  it('ListInsightsMetricData counts write calls (ApiCallRateInsight) and failures by error code (ApiErrorRateInsight), once Insights is on', async () => {
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    const metrics = (extra: Partial<ConstructorParameters<typeof ListInsightsMetricDataCommand>[0]> = {}) =>
      trail().send(new ListInsightsMetricDataCommand({ EventSource: 'iam.amazonaws.com', EventName: 'CreateUser', InsightType: 'ApiCallRateInsight', ...extra }));
    try {
      await iam.send(new CreateUserCommand({ UserName: 'insightful-1' }));
      assert.deepEqual((await metrics()).Values, [], 'no trail has Insights: no data points');
      await trail().send(
        new PutInsightSelectorsCommand({ TrailName: 'trail-us-east-1-1', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }] }),
      );
      await iam.send(new CreateUserCommand({ UserName: 'insightful-2' }));
      for (let i = 0; i < 2; i++) await failure(iam.send(new CreateUserCommand({ UserName: 'insightful-2' }))).catch(() => undefined);
    } finally {
      iam.destroy();
    }
    const calls = await metrics();
    assert.equal(calls.InsightType, 'ApiCallRateInsight');
    assert.equal(calls.Values!.reduce((a, b) => a + b, 0), 4, 'every CreateUser, failed ones too');
    assert.ok(calls.Timestamps!.every((t) => t.getTime() % 3600_000 === 0), 'hourly data points by default');
    const errors = await metrics({ InsightType: 'ApiErrorRateInsight', ErrorCode: 'EntityAlreadyExistsException' });
    assert.equal(errors.Values!.reduce((a, b) => a + b, 0), 2);
    assert.equal(errors.ErrorCode, 'EntityAlreadyExistsException');

    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const minutes = await metrics({ Period: 60, DataType: 'FillWithZeros', StartTime: tenMinutesAgo });
    assert.ok(minutes.Values!.length >= 10 && minutes.Values!.length <= 11);
    assert.equal(minutes.Values!.reduce((a, b) => a + b, 0), 4);
    const first = await metrics({ Period: 60, DataType: 'FillWithZeros', StartTime: tenMinutesAgo, MaxResults: 4 });
    assert.equal(first.Values!.length, 4);
    const rest = await metrics({ Period: 60, DataType: 'FillWithZeros', StartTime: tenMinutesAgo, MaxResults: 4, NextToken: first.NextToken });
    assert.equal(rest.Timestamps![0].getTime(), first.Timestamps![3].getTime() + 60_000);

    assert.equal((await failure(metrics({ Period: 120 }))).name, 'InvalidParameterException');
    assert.equal((await failure(metrics({ InsightType: 'ApiErrorRateInsight' }))).name, 'InvalidParameterException');
  });

  it('LookupEvents no longer answers events older than 90 days on Bulwark\'s clock', async () => {
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    try {
      await iam.send(new CreateUserCommand({ UserName: 'ninety-days' }));
    } finally {
      iam.destroy();
    }
    const lookup = () =>
      trail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: `arn:aws:iam::${TEST_ACCOUNT}:user/ninety-days` }] }));
    assert.equal((await lookup()).Events!.length, 1);
    const advance = (days: number) =>
      fetch(`${server.url}/_bulwark/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: days * 86400 }) });
    await advance(89);
    assert.equal((await lookup()).Events!.length, 1, 'still there after 89 days');
    await advance(1.01);
    assert.equal((await lookup()).Events!.length, 0, 'gone after 90');
  });
});
