// What boto3, the AWS CLI and the AWS SDK for JS v3 really send to EC2 (captured by
// test/protocol/query/capture-fixtures.ts) parses into exactly the client's input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ec2Codec } from '../../../src/protocol/ec2.ts';
import { loadModel } from '../../../src/protocol/model.ts';
import { loadFixtures } from '../query/support.ts';

const fixtures = loadFixtures('ec2');
const model = loadModel('ec2');

describe('ec2 requests captured from the real clients', () => {
  it('covers boto3, the AWS CLI and the JS SDK', () => {
    assert.deepEqual(new Set(fixtures.map((f) => f.client)), new Set(['boto3', 'cli', 'js']));
  });

  for (const fixture of fixtures) {
    it(`${fixture.client} ${fixture.operation} (${fixture.file}) parses to the client's input`, () => {
      const operation = ec2Codec.operationOf(model, fixture.request);
      assert.equal(operation.name, fixture.operation);
      assert.deepEqual(ec2Codec.parse(model, operation, fixture.request), fixture.expected);
    });
  }

  it('EC2 names members by capitalized locationName and numbers lists without `member`', () => {
    const fixture = fixtures.find((f) => f.file === 'ec2-authorize-security-group-ingress.boto3.json');
    assert.ok(fixture);
    const body = fixture.request.body.toString();
    assert.match(body, /IpPermissions\.1\.Groups\.1\.GroupId=/); // UserIdGroupPairs has locationName "groups"
    assert.doesNotMatch(body, /\.member\./);
  });
});
