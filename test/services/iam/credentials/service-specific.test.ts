// Service-specific credentials at the handler level: generated names and passwords,
// the per-service quota, reset, status, listing and deletion.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCOUNT, awsError, iam } from './context.ts';

describe('CreateServiceSpecificCredential', () => {
  it('CodeCommit: "<user>-at-<account>" and a generated password, shown once', async () => {
    const api = await iam();
    await api.user('alice');
    const { ServiceSpecificCredential: created } = await api.call('CreateServiceSpecificCredential', {
      UserName: 'alice',
      ServiceName: 'codecommit.amazonaws.com',
    });
    assert.equal(created?.ServiceUserName, `alice-at-${ACCOUNT}`);
    assert.match(created!.ServicePassword!, /^[A-Za-z0-9+/]{43}=$/);
    assert.match(created!.ServiceSpecificCredentialId, /^ACCA[A-Z2-7]{17}$/);
    assert.equal(created?.Status, 'Active');
    const { ServiceSpecificCredentials } = await api.call('ListServiceSpecificCredentials', { UserName: 'alice' });
    assert.equal(ServiceSpecificCredentials?.length, 1);
    assert.equal('ServicePassword' in ServiceSpecificCredentials![0], false);
  });

  it('Bedrock: an API key alias and secret that expire after CredentialAgeDays', async () => {
    const api = await iam();
    await api.user('alice');
    const { ServiceSpecificCredential: created } = await api.call('CreateServiceSpecificCredential', {
      UserName: 'alice',
      ServiceName: 'bedrock.amazonaws.com',
      CredentialAgeDays: 30,
    });
    assert.match(created!.ServiceCredentialAlias!, new RegExp(`^BedrockAPIKey-[a-z0-9]{4}-at-${ACCOUNT}$`));
    assert.match(created!.ServiceCredentialSecret!, /^ABSK/);
    assert.deepEqual(created?.ExpirationDate, new Date(api.now().getTime() + 30 * 86_400_000));
  });

  it('an unsupported service: ServiceNotSupported', async () => {
    const api = await iam();
    await api.user('alice');
    await assert.rejects(
      api.call('CreateServiceSpecificCredential', { UserName: 'alice', ServiceName: 's3.amazonaws.com' }),
      awsError('ServiceNotSupportedException', 'No such service s3.amazonaws.com is supported for Service-Specific Credentials'),
    );
  });

  it('at most two per service per user: LimitExceeded; another service still works', async () => {
    const api = await iam();
    await api.user('alice');
    const create = (ServiceName: string) => api.call('CreateServiceSpecificCredential', { UserName: 'alice', ServiceName });
    await create('codecommit.amazonaws.com');
    await create('codecommit.amazonaws.com');
    await assert.rejects(
      create('codecommit.amazonaws.com'),
      awsError('LimitExceededException', 'Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2'),
    );
    await create('cassandra.amazonaws.com');
    const keyspaces = await api.call('ListServiceSpecificCredentials', { UserName: 'alice', ServiceName: 'cassandra.amazonaws.com' });
    assert.equal(keyspaces.ServiceSpecificCredentials?.length, 1);
  });
});

describe('Reset, Update, Delete, List', () => {
  it('walks a credential through reset, Inactive and deletion; DeleteUser waits for it', async () => {
    const api = await iam();
    await api.user('alice');
    await api.user('bob');
    const { ServiceSpecificCredential: created } = await api.call('CreateServiceSpecificCredential', {
      UserName: 'alice',
      ServiceName: 'codecommit.amazonaws.com',
    });
    await api.call('CreateServiceSpecificCredential', { UserName: 'bob', ServiceName: 'codecommit.amazonaws.com' });
    const id = created!.ServiceSpecificCredentialId;
    const { ServiceSpecificCredential: reset } = await api.call('ResetServiceSpecificCredential', { UserName: 'alice', ServiceSpecificCredentialId: id });
    assert.notEqual(reset?.ServicePassword, created?.ServicePassword);
    assert.equal(reset?.ServiceUserName, created?.ServiceUserName);
    await api.call('UpdateServiceSpecificCredential', { UserName: 'alice', ServiceSpecificCredentialId: id, Status: 'Inactive' });
    const everyone = await api.call('ListServiceSpecificCredentials', { AllUsers: true });
    assert.deepEqual(everyone.ServiceSpecificCredentials?.map((c) => [c.UserName, c.Status]).sort(), [['alice', 'Inactive'], ['bob', 'Active']]);
    await assert.rejects(api.call('DeleteUser', { UserName: 'alice' }), awsError('DeleteConflictException'));
    await api.call('DeleteServiceSpecificCredential', { UserName: 'alice', ServiceSpecificCredentialId: id });
    await assert.rejects(
      api.call('ResetServiceSpecificCredential', { UserName: 'alice', ServiceSpecificCredentialId: id }),
      awsError('NoSuchEntityException'),
    );
    await api.call('DeleteUser', { UserName: 'alice' });
  });
});
