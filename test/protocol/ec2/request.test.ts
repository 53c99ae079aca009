// How the ec2 protocol reads a request: EC2's own naming rules and error messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ec2Codec } from '../../../src/protocol/ec2.ts';
import { loadModel } from '../../../src/protocol/model.ts';
import { assertAwsError, formPost } from '../query/support.ts';

const ec2 = loadModel('ec2');

function parse(operation: string, body: string): Record<string, unknown> {
  return ec2Codec.parse(ec2, ec2.operations[operation], formPost(`Action=${operation}&Version=2016-11-15&${body}`));
}

describe('ec2 protocol: requests', () => {
  it('an unknown Action is InvalidAction: "The action X is not valid for this web service."', () => {
    assertAwsError(
      () => ec2Codec.operationOf(ec2, formPost('Action=LaunchRocket&Version=2016-11-15')),
      'InvalidAction',
      400,
      /^The action LaunchRocket is not valid for this web service\.$/,
    );
  });

  it('a request without Action is MissingAction, 400', () => {
    assertAwsError(() => ec2Codec.operationOf(ec2, formPost('Version=2016-11-15')), 'MissingAction', 400);
  });

  it('prefers queryName over locationName (RunInstances NetworkInterface.N.PrivateIpAddresses.N)', () => {
    const input = parse(
      'RunInstances',
      'ImageId=ami-1&MinCount=1&MaxCount=1&NetworkInterface.1.DeviceIndex=0&NetworkInterface.1.PrivateIpAddresses.1.PrivateIpAddress=10.0.0.5' +
        '&NetworkInterface.1.PrivateIpAddresses.1.Primary=true',
    );
    assert.deepEqual(input.NetworkInterfaces, [{ DeviceIndex: 0, PrivateIpAddresses: [{ PrivateIpAddress: '10.0.0.5', Primary: true }] }]);
  });

  it('EC2 lists are Name.N only: the query form Name.member.N is InvalidQueryParameter', () => {
    assertAwsError(() => parse('DescribeSecurityGroups', 'GroupId.member.1=sg-1'), 'InvalidQueryParameter', 400, /GroupId\.member/);
  });

  it('MaxResults=abc is InvalidParameterValue, 400, naming MaxResults', () => {
    assertAwsError(() => parse('DescribeSecurityGroups', 'MaxResults=abc'), 'InvalidParameterValue', 400, /abc.*MaxResults/);
  });

  it('DryRun=maybe is InvalidParameterValue, 400, naming DryRun', () => {
    assertAwsError(() => parse('DescribeSecurityGroups', 'DryRun=maybe'), 'InvalidParameterValue', 400, /DryRun/);
  });

  it('a filter value index beyond 10000 is InvalidQueryParameter, 400', () => {
    assertAwsError(() => parse('DescribeSecurityGroups', 'Filter.1.Name=vpc-id&Filter.1.Value.10001=v'), 'InvalidQueryParameter', 400, /Filter\.1\.Value\.10001/);
  });

  it('the codec names its protocol and error codes', () => {
    assert.equal(ec2Codec.protocol, 'ec2');
    assert.equal(ec2Codec.validationErrorCode(ec2), 'InvalidParameterValue');
    assert.equal(ec2Codec.unknownOperationCode, 'InvalidAction');
  });
});
