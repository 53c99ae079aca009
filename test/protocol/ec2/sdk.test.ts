// The AWS SDK for JavaScript v3 EC2 client talks to the ec2 codec as it talks to EC2.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeSecurityGroupsCommand, EC2Client, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { ec2Codec } from '../../../src/protocol/ec2.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import { loadModel } from '../../../src/protocol/model.ts';
import { CREDENTIALS, REGION } from '../query/client-env.ts';
import { startCodecServer, type CodecServer } from '../query/codec-server.ts';

const group = {
  GroupId: 'sg-1',
  GroupName: 'web',
  Description: 'web & api',
  OwnerId: '123456789012',
  VpcId: 'vpc-1',
  IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
  IpPermissionsEgress: [],
  Tags: [{ Key: 'Name', Value: 'web' }],
};

describe('the AWS SDK for JS v3 EC2 client against the ec2 codec', () => {
  let server: CodecServer;
  let ec2: EC2Client;
  before(async () => {
    server = await startCodecServer(ec2Codec, loadModel('ec2'), (operation) => {
      if (operation === 'DescribeSecurityGroups') return { SecurityGroups: [group] };
      throw new AwsError('InvalidGroup.NotFound', "The security group 'sg-9' does not exist");
    });
    ec2 = new EC2Client({ endpoint: server.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    ec2.destroy();
    await server.stop();
  });

  it('DescribeSecurityGroups: Filters arrive typed and the groups come back whole', async () => {
    const result = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-1', 'vpc-2'] }] }));
    assert.deepEqual(server.calls.at(-1), { operation: 'DescribeSecurityGroups', input: { Filters: [{ Name: 'vpc-id', Values: ['vpc-1', 'vpc-2'] }] } });
    assert.deepEqual(result.SecurityGroups, [group]);
    assert.equal(result.$metadata.requestId, `req-${server.calls.length}`);
  });

  it('an EC2 error surfaces with its dotted code, message and status', async () => {
    await assert.rejects(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: 'sg-9' })), (error: unknown) => {
      const e = error as { name: string; message: string; $metadata: { httpStatusCode: number } };
      assert.equal(e.name, 'InvalidGroup.NotFound');
      assert.equal(e.message, "The security group 'sg-9' does not exist");
      assert.equal(e.$metadata.httpStatusCode, 400);
      return true;
    });
  });
});
