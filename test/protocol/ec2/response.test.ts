// EC2 responses and errors as EC2 writes them, checked for form and through botocore's
// ec2 parser for meaning.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ec2Codec } from '../../../src/protocol/ec2.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import { loadModel } from '../../../src/protocol/model.ts';
import { parseWithBotocore, type BotocoreResult } from '../query/botocore.ts';
import { plain } from '../query/support.ts';

const ec2 = loadModel('ec2');
const context = { requestId: 'req-ec2' };

const securityGroups = {
  SecurityGroups: [
    {
      GroupId: 'sg-0123456789abcdef0',
      GroupName: 'web',
      Description: 'web <tier> & co',
      OwnerId: '123456789012',
      VpcId: 'vpc-11111111',
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https' }],
          Ipv6Ranges: [],
          UserIdGroupPairs: [{ GroupId: 'sg-0fedcba9876543210', UserId: '123456789012' }],
          PrefixListIds: [],
        },
      ],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      Tags: [{ Key: 'Name', Value: 'web' }],
    },
  ],
  NextToken: 'tok',
};

const cases = [
  { title: 'DescribeSecurityGroups: <item> lists, locationName elements, nested rules', operation: 'DescribeSecurityGroups', value: securityGroups },
  {
    title: 'AuthorizeSecurityGroupIngress: a boolean Return and the created rules',
    operation: 'AuthorizeSecurityGroupIngress',
    value: {
      Return: true,
      SecurityGroupRules: [{ SecurityGroupRuleId: 'sgr-1', GroupId: 'sg-1', IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '10.0.0.0/8' }],
    },
  },
  {
    title: 'DescribeVpcs: timestamps-free nested lists of CIDR associations',
    operation: 'DescribeVpcs',
    value: { Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', IsDefault: true, State: 'available', CidrBlockAssociationSet: [{ AssociationId: 'a-1', CidrBlock: '10.0.0.0/16', CidrBlockState: { State: 'associated' } }] }] },
  },
  {
    title: 'DescribeFlowLogs: a timestamp, sent with milliseconds as EC2 does',
    operation: 'DescribeFlowLogs',
    value: { FlowLogs: [{ FlowLogId: 'fl-1', CreationTime: new Date('2025-01-02T03:04:05Z'), MaxAggregationInterval: 600 }] },
  },
];

describe('ec2 protocol: responses', () => {
  it('writes <OpResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId> then the members, no result wrapper', () => {
    const response = ec2Codec.serialize(ec2, ec2.operations.DeleteSecurityGroup, { Return: true, GroupId: 'sg-1' }, context);
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'], /^text\/xml/);
    assert.equal(response.headers['x-amzn-requestid'], 'req-ec2');
    assert.equal(
      String(response.body).replace(/^<\?xml[^>]*>\n/, ''),
      '<DeleteSecurityGroupResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-ec2</requestId>' +
        '<return>true</return><groupId>sg-1</groupId></DeleteSecurityGroupResponse>',
    );
  });

  it('names elements by locationName and lists items <item>', () => {
    const body = String(ec2Codec.serialize(ec2, ec2.operations.DescribeSecurityGroups, securityGroups, context).body);
    assert.match(body, /<securityGroupInfo><item><groupId>sg-0123456789abcdef0<\/groupId>/);
    assert.match(body, /<groupDescription>web &lt;tier&gt; &amp; co<\/groupDescription>/);
    assert.match(body, /<tagSet><item><key>Name<\/key><value>web<\/value><\/item><\/tagSet>/);
  });

  it('writes timestamps with milliseconds: 2025-01-02T03:04:05.000Z', () => {
    const body = String(ec2Codec.serialize(ec2, ec2.operations.DescribeFlowLogs, cases[3].value, context).body);
    assert.match(body, /<creationTime>2025-01-02T03:04:05.000Z<\/creationTime>/);
  });

  it('writes errors as <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/>', () => {
    const response = ec2Codec.serializeError(ec2, new AwsError('InvalidGroup.NotFound', "The security group 'sg-1' does not exist"), context);
    assert.equal(response.status, 400);
    assert.equal(
      String(response.body).replace(/^<\?xml[^>]*>\n/, ''),
      "<Response><Errors><Error><Code>InvalidGroup.NotFound</Code><Message>The security group &apos;sg-1&apos; does not exist</Message>" +
        '</Error></Errors><RequestID>req-ec2</RequestID></Response>',
    );
  });
});

describe('ec2 protocol: botocore reads our responses as EC2\'s', () => {
  let results: BotocoreResult[];
  const errors = [
    { error: new AwsError('InvalidGroup.NotFound', "The security group 'sg-1' does not exist"), status: 400 },
    { error: new AwsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', { status: 403 }), status: 403 },
    { error: new AwsError('InternalError', 'An internal error has occurred'), status: 500 },
  ];
  before(async () => {
    results = await parseWithBotocore([
      ...cases.map((c) => ({ protocol: 'ec2' as const, service: 'ec2', operation: c.operation, response: ec2Codec.serialize(ec2, ec2.operations[c.operation], c.value, context) })),
      ...errors.map((e) => ({ protocol: 'ec2' as const, service: 'ec2', operation: 'DescribeSecurityGroups', response: ec2Codec.serializeError(ec2, e.error, context) })),
    ]);
  });

  cases.forEach((c, i) => {
    it(c.title, () => {
      assert.deepEqual(results[i], { ...(plain(c.value) as object), ResponseMetadata: { RequestId: 'req-ec2' } });
    });
  });

  errors.forEach((e, i) => {
    it(`errors: ${e.error.code} reads back as Error.Code ${e.error.code}, HTTP ${e.status}`, () => {
      const parsed = results[cases.length + i] as { Error: { Code: string; Message: string }; ResponseMetadata: unknown };
      assert.equal(ec2Codec.serializeError(ec2, e.error, context).status, e.status);
      assert.deepEqual(parsed.Error, { Code: e.error.code, Message: e.error.message });
      assert.deepEqual(parsed.ResponseMetadata, { RequestId: 'req-ec2' });
    });
  });
});
