// AWS managed keys through the AWS SDK: predefined alias/aws/* aliases exist before
// their keys, a key is created on first use of its alias, and its AWS key policy lets
// the account use it only through the service and read its metadata: everything else
// is denied, as in AWS.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateAliasCommand, CreateKeyCommand, DeleteAliasCommand, DescribeKeyCommand, DisableKeyCommand, EnableKeyRotationCommand,
  EncryptCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, ListAliasesCommand, ListKeysCommand,
  PutKeyPolicyCommand, ScheduleKeyDeletionCommand, TagResourceCommand, UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { rejectsWith } from '../helpers/errors.ts';
import { TEST_ACCOUNT, TEST_REGION } from '../helpers/server.ts';
import { kmsServer } from './kms-server.ts';

describe('AWS managed keys (alias/aws/*)', () => {
  const bulwark = kmsServer();

  async function alias(name: string) {
    const { Aliases } = await bulwark.kms.send(new ListAliasesCommand({}));
    return Aliases!.find((a) => a.AliasName === name);
  }

  it('ListAliases shows the predefined AWS aliases before their keys exist, without a TargetKeyId', async () => {
    const s3 = await alias('alias/aws/s3');
    assert.deepEqual(s3, { AliasName: 'alias/aws/s3', AliasArn: `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:alias/aws/s3` });
    assert.ok(await alias('alias/aws/secretsmanager'));
    assert.ok(await alias('alias/aws/ebs'));
  });

  it('DescribeKey of a predefined alias creates its AWS managed key once; ListAliases and ListKeys then show it', async () => {
    const { KeyMetadata } = await bulwark.kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }));
    assert.equal(KeyMetadata!.KeyManager, 'AWS');
    assert.equal(KeyMetadata!.KeyState, 'Enabled');
    assert.equal(KeyMetadata!.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.match(KeyMetadata!.Description!, /S3/);
    const again = await bulwark.kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:alias/aws/s3` }));
    assert.equal(again.KeyMetadata!.KeyId, KeyMetadata!.KeyId);
    assert.equal((await alias('alias/aws/s3'))!.TargetKeyId, KeyMetadata!.KeyId);
    const { Keys } = await bulwark.kms.send(new ListKeysCommand({ Limit: 1000 }));
    assert.ok(Keys!.some((k) => k.KeyId === KeyMetadata!.KeyId));
  });

  it('its key policy allows use only through the service by the account, and metadata directly; rotation is on, yearly', async () => {
    const { Policy } = await bulwark.kms.send(new GetKeyPolicyCommand({ KeyId: 'alias/aws/secretsmanager' }));
    const [through, metadata] = JSON.parse(Policy!).Statement;
    assert.deepEqual(through.Principal, { AWS: '*' });
    assert.deepEqual(through.Condition, {
      StringEquals: { 'kms:ViaService': `secretsmanager.${TEST_REGION}.amazonaws.com`, 'kms:CallerAccount': TEST_ACCOUNT },
    });
    assert.deepEqual(metadata.Principal, { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` });
    assert.deepEqual(metadata.Action, ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant']);
    const rotation = await bulwark.kms.send(new GetKeyRotationStatusCommand({ KeyId: 'alias/aws/secretsmanager' }));
    assert.equal(rotation.KeyRotationEnabled, true);
    assert.equal(rotation.RotationPeriodInDays, 365);
  });

  it('the account cannot use it directly, disable, delete, tag, re-policy or rotate it: AccessDeniedException', async () => {
    const keyId = (await bulwark.kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/ebs' }))).KeyMetadata!.KeyId!;
    const denied = [
      new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('direct') }),
      new DisableKeyCommand({ KeyId: keyId }),
      new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }),
      new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'k', TagValue: 'v' }] }),
      new PutKeyPolicyCommand({ KeyId: keyId, Policy: '{"Version":"2012-10-17","Statement":[]}', BypassPolicyLockoutSafetyCheck: true }),
      new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }),
      new CreateAliasCommand({ AliasName: 'alias/mine-for-ebs', TargetKeyId: keyId }),
    ];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    for (const command of denied) await assert.rejects(bulwark.kms.send(command as any), rejectsWith('AccessDeniedException'));
    assert.equal((await bulwark.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState, 'Enabled');
  });

  it('callers cannot create, point or delete alias/aws/ aliases: NotAuthorizedException', async () => {
    const own = (await bulwark.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await assert.rejects(bulwark.kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: own })), rejectsWith('NotAuthorizedException'));
    await assert.rejects(bulwark.kms.send(new UpdateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: own })), rejectsWith('NotAuthorizedException'));
    await assert.rejects(bulwark.kms.send(new DeleteAliasCommand({ AliasName: 'alias/aws/lambda' })), rejectsWith('NotAuthorizedException'));
    // Refusing DeleteAlias did not create the key behind alias/aws/lambda.
    assert.equal((await alias('alias/aws/lambda'))!.TargetKeyId, undefined);
  });

  it('an alias/aws/ name that is not predefined, or another account\'s, is not found: NotFoundException', async () => {
    await assert.rejects(bulwark.kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/not-a-service' })), rejectsWith('NotFoundException'));
    await assert.rejects(
      bulwark.kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:${TEST_REGION}:111122223333:alias/aws/s3` })),
      rejectsWith('NotFoundException'),
    );
  });
});
