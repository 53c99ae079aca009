// The codecs are on every request's path: parsing and serializing a small IAM call must
// cost microseconds (Bulwark's target is >= 5,000 requests/s in all; the codecs alone
// measure ~60,000/s here, the floor leaves room for a busy shared machine).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ec2Codec } from '../../../src/protocol/ec2.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import { loadModel } from '../../../src/protocol/model.ts';
import { queryCodec } from '../../../src/protocol/query.ts';
import { formPost } from './support.ts';

const ROUNDS = 20_000;

/** Requests per second of `round`, after a warm-up. */
function rate(round: (i: number) => void): number {
  for (let i = 0; i < 500; i++) round(i);
  const started = performance.now();
  for (let i = 0; i < ROUNDS; i++) round(i);
  return ROUNDS / ((performance.now() - started) / 1000);
}

describe('query and ec2 codec speed', () => {
  it('IAM CreateUser with tags: parse + serialize at over 10,000 per second', () => {
    const iam = loadModel('iam');
    const body = 'Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Feng%2F&Tags.member.1.Key=team&Tags.member.1.Value=red&Tags.member.2.Key=env&Tags.member.2.Value=dev';
    const perSecond = rate((i) => {
      const request = formPost(body);
      const operation = queryCodec.operationOf(iam, request);
      const input = queryCodec.parse(iam, operation, request);
      const user = { Path: '/eng/', UserName: input.UserName, UserId: 'AIDA', Arn: 'arn:aws:iam::123456789012:user/eng/alice', CreateDate: new Date(), Tags: input.Tags };
      queryCodec.serialize(iam, operation, { User: user }, { requestId: `r${i}` });
    });
    assert.ok(perSecond > 10_000, `${Math.round(perSecond)}/s`);
  });

  it('EC2 DescribeSecurityGroups with filters and an error answer at over 10,000 per second', () => {
    const ec2 = loadModel('ec2');
    const body = 'Action=DescribeSecurityGroups&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1&GroupId.1=sg-1';
    const perSecond = rate((i) => {
      const request = formPost(body);
      const operation = ec2Codec.operationOf(ec2, request);
      ec2Codec.parse(ec2, operation, request);
      ec2Codec.serializeError(ec2, new AwsError('InvalidGroup.NotFound', 'no such group'), { requestId: `r${i}` });
    });
    assert.ok(perSecond > 10_000, `${Math.round(perSecond)}/s`);
  });
});
