// SSH public keys at the handler level, with keys made by ssh-keygen: the fingerprint
// must be the MD5 one ssh-keygen prints, for OpenSSH and PEM uploads alike.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsError, iam } from './context.ts';
import { sshKey } from './keys.ts';

describe('UploadSSHPublicKey', () => {
  for (const type of ['rsa', 'ed25519', 'ecdsa'] as const) {
    it(`accepts an OpenSSH ${type} key with ssh-keygen's MD5 fingerprint`, async () => {
      const api = await iam();
      await api.user('alice');
      const key = sshKey(type);
      const { SSHPublicKey } = await api.call('UploadSSHPublicKey', { UserName: 'alice', SSHPublicKeyBody: key.openSsh });
      assert.equal(SSHPublicKey?.Fingerprint, key.md5);
      assert.match(SSHPublicKey!.SSHPublicKeyId, /^APKA[A-Z2-7]{16}$/);
      assert.equal(SSHPublicKey?.Status, 'Active');
      assert.equal(SSHPublicKey?.UserName, 'alice');
    });
  }

  for (const type of ['rsa', 'ecdsa'] as const) {
    it(`accepts a ${type} key as PEM and answers GetSSHPublicKey in either encoding`, async () => {
      const api = await iam();
      await api.user('alice');
      const key = sshKey(type);
      const { SSHPublicKey } = await api.call('UploadSSHPublicKey', { UserName: 'alice', SSHPublicKeyBody: key.pem! });
      assert.equal(SSHPublicKey?.Fingerprint, key.md5);
      const id = SSHPublicKey!.SSHPublicKeyId;
      const ssh = await api.call('GetSSHPublicKey', { UserName: 'alice', SSHPublicKeyId: id, Encoding: 'SSH' });
      assert.equal(ssh.SSHPublicKey?.SSHPublicKeyBody, key.openSsh.split(' ').slice(0, 2).join(' '));
      const pem = await api.call('GetSSHPublicKey', { UserName: 'alice', SSHPublicKeyId: id, Encoding: 'PEM' });
      assert.equal(pem.SSHPublicKey?.SSHPublicKeyBody.trim(), key.pem!.trim());
    });
  }

  it('refuses the same key twice for a user: DuplicateSSHPublicKey', async () => {
    const api = await iam();
    await api.user('alice');
    const key = sshKey('ed25519');
    await api.call('UploadSSHPublicKey', { UserName: 'alice', SSHPublicKeyBody: key.openSsh });
    await assert.rejects(api.call('UploadSSHPublicKey', { UserName: 'alice', SSHPublicKeyBody: key.openSsh }), awsError('DuplicateSSHPublicKeyException'));
  });

  it('refuses an RSA key under 2048 bits and a corrupted key: InvalidPublicKey', async () => {
    const api = await iam();
    await api.user('alice');
    const short = sshKey('rsa', 1024);
    await assert.rejects(api.call('UploadSSHPublicKey', { UserName: 'alice', SSHPublicKeyBody: short.openSsh }), awsError('InvalidPublicKeyException'));
    const [type, blob] = sshKey('ed25519').openSsh.split(' ');
    const corrupted = `${type} ${blob.slice(0, -8)}AAAAAAA=`;
    await assert.rejects(api.call('UploadSSHPublicKey', { UserName: 'alice', SSHPublicKeyBody: corrupted }), awsError('InvalidPublicKeyException'));
  });

  it('refuses other formats: UnrecognizedPublicKeyEncoding', async () => {
    const api = await iam();
    await api.user('alice');
    for (const body of ['ssh-dss AAAAB3NzaC1kc3MAAACBAP8=', 'not a key at all', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----']) {
      await assert.rejects(api.call('UploadSSHPublicKey', { UserName: 'alice', SSHPublicKeyBody: body }), awsError('UnrecognizedPublicKeyEncodingException'), body);
    }
  });

  it('at most five per user: LimitExceeded "Cannot exceed quota for SSHPublicKeysPerUser: 5"', async () => {
    const api = await iam();
    await api.user('alice');
    for (let i = 0; i < 5; i++) await api.call('UploadSSHPublicKey', { UserName: 'alice', SSHPublicKeyBody: sshKey('ed25519').openSsh });
    await assert.rejects(
      api.call('UploadSSHPublicKey', { UserName: 'alice', SSHPublicKeyBody: sshKey('ed25519').openSsh }),
      awsError('LimitExceededException', 'Cannot exceed quota for SSHPublicKeysPerUser: 5'),
    );
  });
});

describe('UpdateSSHPublicKey, DeleteSSHPublicKey, ListSSHPublicKeys', () => {
  it('walks a key through Inactive, listing and deletion; DeleteUser waits for it', async () => {
    const api = await iam();
    const alice = await api.user('alice');
    const { SSHPublicKey } = await api.call('UploadSSHPublicKey', { UserName: 'alice', SSHPublicKeyBody: sshKey('ed25519').openSsh });
    const id = SSHPublicKey!.SSHPublicKeyId;
    await api.call('UpdateSSHPublicKey', { UserName: 'alice', SSHPublicKeyId: id, Status: 'Inactive' });
    const listed = await api.call('ListSSHPublicKeys', {}, alice);
    assert.deepEqual(listed.SSHPublicKeys, [{ UserName: 'alice', SSHPublicKeyId: id, Status: 'Inactive', UploadDate: api.now() }]);
    await assert.rejects(api.call('DeleteUser', { UserName: 'alice' }), awsError('DeleteConflictException'));
    await api.call('DeleteSSHPublicKey', { UserName: 'alice', SSHPublicKeyId: id });
    await assert.rejects(
      api.call('GetSSHPublicKey', { UserName: 'alice', SSHPublicKeyId: id, Encoding: 'SSH' }),
      awsError('NoSuchEntityException', `The Public Key with id ${id} cannot be found.`),
    );
    await api.call('DeleteUser', { UserName: 'alice' });
  });
});
