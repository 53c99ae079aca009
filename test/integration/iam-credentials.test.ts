// IAM credentials end to end: the AWS SDK for JavaScript v3, boto3 and the AWS CLI
// against a real Bulwark server. An access key made through IAM signs real requests;
// MFA codes are computed here from the seed the server returned; SSH keys and
// certificates are made by ssh-keygen and openssl.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  ChangePasswordCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountPasswordPolicyCommand,
  GetLoginProfileCommand,
  IAMClient,
  IAMServiceException,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListVirtualMFADevicesCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import type { RunningServer } from '../../src/server/server.ts';
import { base32Decode, hotp } from '../../src/services/iam/credentials/totp.ts';
import { assertError, failure } from '../helpers/errors.ts';
import { awsEnv, DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';
import { selfSigned, sshKey } from '../services/iam/credentials/keys.ts';


const run = promisify(execFile);

/** The TOTP code `offset` steps from now (the test server's clock is the machine's). */
function codeAt(seed: Buffer, offset: number): string {
  return hotp(seed, Math.floor(Date.now() / 30_000) + offset);
}

describe('IAM credentials with the real clients', () => {
  let server: RunningServer;
  let iam: IAMClient;
  const clients: { destroy(): void }[] = [];
  const sts = (credentials: { accessKeyId: string; secretAccessKey: string }) => {
    const client = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    clients.push(client);
    return client;
  };
  const iamAs = (credentials: { accessKeyId: string; secretAccessKey: string }) => {
    const client = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    clients.push(client);
    return client;
  };

  before(async () => {
    server = await startTestServer();
    iam = iamAs(DUMMY_CREDENTIALS);
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await server.close();
  });

  describe('AWS SDK for JavaScript v3', () => {
    it('an access key made by CreateAccessKey signs requests as its user until it is made Inactive', async () => {
      const { User } = await iam.send(new CreateUserCommand({ UserName: 'key-user' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'key-user' }));
      assert.match(AccessKey!.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
      const credentials = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };

      const identity = await sts(credentials).send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Arn, User!.Arn);
      assert.equal(identity.UserId, User!.UserId);

      const wrongSecret = await failure(
        sts({ ...credentials, secretAccessKey: 'x'.repeat(40) }).send(new GetCallerIdentityCommand({})),
        STSServiceException,
      );
      assertError(wrongSecret, 'SignatureDoesNotMatch', 403);

      await iam.send(new UpdateAccessKeyCommand({ UserName: 'key-user', AccessKeyId: credentials.accessKeyId, Status: 'Inactive' }));
      const inactive = await failure(sts(credentials).send(new GetCallerIdentityCommand({})), STSServiceException);
      assertError(inactive, 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.');

      // The successful call above was recorded as the key's last use (in the background).
      let lastUsed = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: credentials.accessKeyId }));
      for (let i = 0; i < 20 && lastUsed.AccessKeyLastUsed?.ServiceName === 'N/A'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        lastUsed = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: credentials.accessKeyId }));
      }
      assert.equal(lastUsed.UserName, 'key-user');
      assert.equal(lastUsed.AccessKeyLastUsed?.ServiceName, 'sts');
      assert.equal(lastUsed.AccessKeyLastUsed?.Region, 'us-east-1');
      assert.ok(lastUsed.AccessKeyLastUsed?.LastUsedDate instanceof Date);
    });

    it('two keys per user, a third is LimitExceeded (409); DeleteAccessKey frees the slot', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'quota-user' }));
      const first = await iam.send(new CreateAccessKeyCommand({ UserName: 'quota-user' }));
      await iam.send(new CreateAccessKeyCommand({ UserName: 'quota-user' }));
      const third = await failure(iam.send(new CreateAccessKeyCommand({ UserName: 'quota-user' })), IAMServiceException);
      assertError(third, 'LimitExceededException', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');
      const never = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: first.AccessKey!.AccessKeyId! }));
      assert.deepEqual([never.AccessKeyLastUsed?.ServiceName, never.AccessKeyLastUsed?.Region], ['N/A', 'N/A']);
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'quota-user', AccessKeyId: first.AccessKey!.AccessKeyId! }));
      const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: 'quota-user' }));
      assert.equal(AccessKeyMetadata?.length, 1);
      const gone = await failure(
        iam.send(new DeleteAccessKeyCommand({ UserName: 'quota-user', AccessKeyId: first.AccessKey!.AccessKeyId! })),
        IAMServiceException,
      );
      assertError(gone, 'NoSuchEntityException', 404, `The Access Key with id ${first.AccessKey!.AccessKeyId} cannot be found.`);
    });

    it('virtual MFA: create, enable with two consecutive codes, refuse bad codes, deactivate, delete', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'mfa-user' }));
      const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'mfa-user-phone' }));
      const serial = VirtualMFADevice!.SerialNumber!;
      assert.equal(serial, `arn:aws:iam::${TEST_ACCOUNT}:mfa/mfa-user-phone`);
      assert.deepEqual(Buffer.from(VirtualMFADevice!.QRCodePNG!).subarray(1, 4).toString(), 'PNG');
      const seed = base32Decode(Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('ascii'));

      const bad = await failure(
        iam.send(new EnableMFADeviceCommand({ UserName: 'mfa-user', SerialNumber: serial, AuthenticationCode1: codeAt(seed, 0), AuthenticationCode2: codeAt(seed, -1) })),
        IAMServiceException,
      );
      assertError(bad, 'InvalidAuthenticationCodeException', 403, 'Authentication code for device is not valid.');

      await iam.send(
        new EnableMFADeviceCommand({ UserName: 'mfa-user', SerialNumber: serial, AuthenticationCode1: codeAt(seed, -1), AuthenticationCode2: codeAt(seed, 0) }),
      );
      const { MFADevices } = await iam.send(new ListMFADevicesCommand({ UserName: 'mfa-user' }));
      assert.deepEqual(MFADevices?.map((d) => d.SerialNumber), [serial]);
      const assigned = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }));
      assert.equal(assigned.VirtualMFADevices?.find((d) => d.SerialNumber === serial)?.User?.UserName, 'mfa-user');

      const conflict = await failure(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })), IAMServiceException);
      assertError(conflict, 'DeleteConflictException', 409, 'MFA VirtualDevice in use. Must deactivate first.');
      await iam.send(new DeactivateMFADeviceCommand({ UserName: 'mfa-user', SerialNumber: serial }));
      await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
    });

    it('password policy and console passwords: NoSuchEntity, PasswordPolicyViolation, ChangePassword by the user', async () => {
      const none = await failure(iam.send(new GetAccountPasswordPolicyCommand({})), IAMServiceException);
      assertError(none, 'NoSuchEntityException', 404, `The Password Policy with domain name ${TEST_ACCOUNT} cannot be found.`);
      await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, RequireNumbers: true, PasswordReusePrevention: 1 }));
      const { PasswordPolicy } = await iam.send(new GetAccountPasswordPolicyCommand({}));
      assert.equal(PasswordPolicy?.MinimumPasswordLength, 12);
      assert.equal(PasswordPolicy?.PasswordReusePrevention, 1);

      await iam.send(new CreateUserCommand({ UserName: 'console-user' }));
      const weak = await failure(iam.send(new CreateLoginProfileCommand({ UserName: 'console-user', Password: 'short1' })), IAMServiceException);
      assertError(weak, 'PasswordPolicyViolationException', 400, 'Password should have a minimum length of 12');
      await iam.send(new CreateLoginProfileCommand({ UserName: 'console-user', Password: 'first-password-1', PasswordResetRequired: true }));

      // The user changes its own password, signing with its own key (allowed by its policy).
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'console-user',
          PolicyName: 'change-own-password',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'iam:ChangePassword', Resource: `arn:aws:iam::${TEST_ACCOUNT}:user/console-user` }],
          }),
        }),
      );
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'console-user' }));
      const asUser = iamAs({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
      const wrongOld = await failure(asUser.send(new ChangePasswordCommand({ OldPassword: 'not-it-000000', NewPassword: 'second-password-2' })), IAMServiceException);
      assertError(wrongOld, 'InvalidUserTypeException', 400, 'The old password was incorrect.');
      const reused = await failure(asUser.send(new ChangePasswordCommand({ OldPassword: 'first-password-1', NewPassword: 'first-password-1' })), IAMServiceException);
      assertError(reused, 'PasswordPolicyViolationException', 400);
      await asUser.send(new ChangePasswordCommand({ OldPassword: 'first-password-1', NewPassword: 'second-password-2' }));
      const { LoginProfile } = await iam.send(new GetLoginProfileCommand({ UserName: 'console-user' }));
      assert.equal(LoginProfile?.PasswordResetRequired, false);
    });
  });

  describe('AWS CLI', () => {
    function aws(...args: string[]) {
      return run('aws', ['--endpoint-url', server.url, '--output', 'json', 'iam', ...args], { env: awsEnv() });
    }
    const rejectsWith = (code: string) => (error: { stderr: string }) => {
      assert.match(error.stderr, new RegExp(`\\(${code}\\)`));
      return true;
    };

    it('SSH public keys: upload (fingerprint as ssh-keygen), get as PEM, duplicate, deactivate, delete', async () => {
      await aws('create-user', '--user-name', 'cli-ssh');
      const key = sshKey('rsa', 2048);
      const uploaded = JSON.parse((await aws('upload-ssh-public-key', '--user-name', 'cli-ssh', '--ssh-public-key-body', key.openSsh)).stdout);
      assert.equal(uploaded.SSHPublicKey.Fingerprint, key.md5);
      const id = uploaded.SSHPublicKey.SSHPublicKeyId;
      const pem = JSON.parse((await aws('get-ssh-public-key', '--user-name', 'cli-ssh', '--ssh-public-key-id', id, '--encoding', 'PEM')).stdout);
      assert.equal(pem.SSHPublicKey.SSHPublicKeyBody.trim(), key.pem!.trim());
      await assert.rejects(aws('upload-ssh-public-key', '--user-name', 'cli-ssh', '--ssh-public-key-body', key.openSsh), rejectsWith('DuplicateSSHPublicKey'));
      await assert.rejects(aws('upload-ssh-public-key', '--user-name', 'cli-ssh', '--ssh-public-key-body', 'ssh-dss AAAA'), rejectsWith('UnrecognizedPublicKeyEncoding'));
      await aws('update-ssh-public-key', '--user-name', 'cli-ssh', '--ssh-public-key-id', id, '--status', 'Inactive');
      const listed = JSON.parse((await aws('list-ssh-public-keys', '--user-name', 'cli-ssh')).stdout);
      assert.deepEqual(listed.SSHPublicKeys.map((k: { Status: string }) => k.Status), ['Inactive']);
      await assert.rejects(aws('delete-user', '--user-name', 'cli-ssh'), rejectsWith('DeleteConflict'));
      await aws('delete-ssh-public-key', '--user-name', 'cli-ssh', '--ssh-public-key-id', id);
      await aws('delete-user', '--user-name', 'cli-ssh');
    });

    it('signing certificates and service-specific credentials', async () => {
      await aws('create-user', '--user-name', 'cli-certs');
      const { cert } = selfSigned('cli-signing');
      const uploaded = JSON.parse((await aws('upload-signing-certificate', '--user-name', 'cli-certs', '--certificate-body', cert)).stdout);
      assert.equal(uploaded.Certificate.Status, 'Active');
      await assert.rejects(aws('upload-signing-certificate', '--user-name', 'cli-certs', '--certificate-body', cert), rejectsWith('DuplicateCertificate'));
      await assert.rejects(aws('upload-signing-certificate', '--user-name', 'cli-certs', '--certificate-body', 'junk'), rejectsWith('MalformedCertificate'));
      await aws('delete-signing-certificate', '--user-name', 'cli-certs', '--certificate-id', uploaded.Certificate.CertificateId);

      const credential = JSON.parse(
        (await aws('create-service-specific-credential', '--user-name', 'cli-certs', '--service-name', 'codecommit.amazonaws.com')).stdout,
      ).ServiceSpecificCredential;
      assert.equal(credential.ServiceUserName, `cli-certs-at-${TEST_ACCOUNT}`);
      assert.ok(credential.ServicePassword.length >= 40);
      await assert.rejects(
        aws('create-service-specific-credential', '--user-name', 'cli-certs', '--service-name', 'ec2.amazonaws.com'),
        rejectsWith('NotSupportedService'),
      );
      const listed = JSON.parse((await aws('list-service-specific-credentials', '--user-name', 'cli-certs')).stdout);
      assert.equal(listed.ServiceSpecificCredentials.length, 1);
      await aws('delete-service-specific-credential', '--user-name', 'cli-certs', '--service-specific-credential-id', credential.ServiceSpecificCredentialId);
    });
  });

  describe('boto3', () => {
    it('server certificates: upload with chain, KeyPairMismatch, rename, list, tags, delete', async () => {
      const site = selfSigned('boto.example.com');
      const other = selfSigned('other.example.com');
      const script = `
import sys, json, boto3
from botocore.exceptions import ClientError
url, cert, key, other_key, chain = sys.argv[1:6]
iam = boto3.client('iam', endpoint_url=url)
out = {}
try:
    iam.upload_server_certificate(ServerCertificateName='boto-site', CertificateBody=cert, PrivateKey=other_key)
except ClientError as e:
    out['mismatch'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
up = iam.upload_server_certificate(ServerCertificateName='boto-site', Path='/elb/', CertificateBody=cert, PrivateKey=key, CertificateChain=chain)
out['arn'] = up['ServerCertificateMetadata']['Arn']
out['expiration'] = up['ServerCertificateMetadata']['Expiration'].isoformat()
iam.update_server_certificate(ServerCertificateName='boto-site', NewServerCertificateName='boto-renamed')
iam.tag_server_certificate(ServerCertificateName='boto-renamed', Tags=[{'Key': 'env', 'Value': 'test'}])
got = iam.get_server_certificate(ServerCertificateName='boto-renamed')['ServerCertificate']
out['chain'] = got['CertificateChain'] == chain
out['tags'] = iam.list_server_certificate_tags(ServerCertificateName='boto-renamed')['Tags']
out['listed'] = [m['ServerCertificateName'] for m in iam.list_server_certificates(PathPrefix='/elb/')['ServerCertificateMetadataList']]
iam.delete_server_certificate(ServerCertificateName='boto-renamed')
try:
    iam.get_server_certificate(ServerCertificateName='boto-renamed')
except ClientError as e:
    out['gone'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(out))
`;
      const { stdout } = await run('python3', ['-c', script, server.url, site.cert, site.key, other.key, other.cert], { env: awsEnv() });
      const out = JSON.parse(stdout);
      assert.deepEqual(out.mismatch, ['KeyPairMismatch', 400]);
      assert.equal(out.arn, `arn:aws:iam::${TEST_ACCOUNT}:server-certificate/elb/boto-site`);
      assert.ok(out.expiration.length > 0);
      assert.equal(out.chain, true);
      assert.deepEqual(out.tags, [{ Key: 'env', Value: 'test' }]);
      assert.deepEqual(out.listed, ['boto-renamed']);
      assert.deepEqual(out.gone, ['NoSuchEntity', 404]);
    });
  });
});
