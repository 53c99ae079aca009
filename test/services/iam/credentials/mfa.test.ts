// Virtual MFA devices at the handler level. Codes are computed here, from the seed
// CreateVirtualMFADevice returned, with the RFC-tested TOTP code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base32Decode, enableRootMfaDevice, hotp, verifyTotp } from '../../../../src/services/iam/credentials/index.ts';
import { timeStep } from '../../../../src/services/iam/credentials/totp.ts';
import { ROOT_USER_NAME } from '../../../../src/services/iam/records.ts';
import { ACCOUNT, awsError, iam, type Iam } from './context.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A device and a way to compute its codes: offset 0 is the code at the test clock's time. */
async function device(api: Iam, name = 'phone', path?: string) {
  const { VirtualMFADevice } = await api.call('CreateVirtualMFADevice', { VirtualMFADeviceName: name, ...(path ? { Path: path } : {}) });
  const seed = base32Decode(Buffer.from(VirtualMFADevice.Base32StringSeed!).toString('ascii'));
  const code = (offset: number) => hotp(seed, timeStep(api.now()) + offset);
  return { serial: VirtualMFADevice.SerialNumber, code, created: VirtualMFADevice };
}

describe('CreateVirtualMFADevice', () => {
  it('returns the serial ARN, a 20-byte Base32 seed and a real PNG QR code', async () => {
    const api = await iam();
    const { serial, created } = await device(api, 'phone', '/team/');
    assert.equal(serial, `arn:aws:iam::${ACCOUNT}:mfa/team/phone`);
    const seedText = Buffer.from(created.Base32StringSeed!).toString('ascii');
    assert.match(seedText, /^[A-Z2-7]{32}$/);
    assert.equal(base32Decode(seedText).length, 20);
    assert.deepEqual(Buffer.from(created.QRCodePNG!).subarray(0, 8), PNG_SIGNATURE);
  });

  it('two devices never share a seed', async () => {
    const api = await iam();
    const a = await device(api, 'a');
    const b = await device(api, 'b');
    assert.notDeepEqual(a.created.Base32StringSeed, b.created.Base32StringSeed);
  });

  it('a second device with the same name: EntityAlreadyExists', async () => {
    const api = await iam();
    await device(api, 'phone');
    await assert.rejects(
      api.call('CreateVirtualMFADevice', { VirtualMFADeviceName: 'phone' }),
      awsError('EntityAlreadyExistsException', 'MFADevice entity at the same path and name already exists.'),
    );
  });
});

describe('EnableMFADevice', () => {
  it('accepts two consecutive codes and assigns the device to the user', async () => {
    const api = await iam();
    await api.user('alice');
    const { serial, code } = await device(api);
    await api.call('EnableMFADevice', { UserName: 'alice', SerialNumber: serial, AuthenticationCode1: code(-1), AuthenticationCode2: code(0) });
    const { MFADevices } = await api.call('ListMFADevices', { UserName: 'alice' });
    assert.deepEqual(MFADevices, [{ UserName: 'alice', SerialNumber: serial, EnableDate: api.now() }]);
    const got = await api.call('GetMFADevice', { SerialNumber: serial, UserName: 'alice' });
    assert.equal(got.UserName, 'alice');
  });

  const wrong: [string, (code: (offset: number) => string) => [string, string]][] = [
    ['codes in the wrong order', (code) => [code(0), code(-1)]],
    ['the same code twice', (code) => [code(0), code(0)]],
    ['codes from ten minutes ago', (code) => [code(-20), code(-19)]],
    ['made-up codes', () => ['123456', '654321']],
  ];
  for (const [what, codes] of wrong) {
    it(`refuses ${what}: InvalidAuthenticationCode`, async () => {
      const api = await iam();
      await api.user('alice');
      const { serial, code } = await device(api);
      const [AuthenticationCode1, AuthenticationCode2] = codes(code);
      await assert.rejects(
        api.call('EnableMFADevice', { UserName: 'alice', SerialNumber: serial, AuthenticationCode1, AuthenticationCode2 }),
        awsError('InvalidAuthenticationCodeException', 'Authentication code for device is not valid.'),
      );
    });
  }

  it('a device already enabled: EntityAlreadyExists; an unknown one: NoSuchEntity', async () => {
    const api = await iam();
    await api.user('alice');
    await api.user('bob');
    const { serial, code } = await device(api);
    await api.call('EnableMFADevice', { UserName: 'alice', SerialNumber: serial, AuthenticationCode1: code(-1), AuthenticationCode2: code(0) });
    await assert.rejects(
      api.call('EnableMFADevice', { UserName: 'bob', SerialNumber: serial, AuthenticationCode1: code(0), AuthenticationCode2: code(1) }),
      awsError('EntityAlreadyExistsException', 'MFA Device is already in use.'),
    );
    const unknown = `arn:aws:iam::${ACCOUNT}:mfa/nothing`;
    await assert.rejects(
      api.call('EnableMFADevice', { UserName: 'bob', SerialNumber: unknown, AuthenticationCode1: '111111', AuthenticationCode2: '222222' }),
      awsError('NoSuchEntityException', `VirtualMFADevice with serial number ${unknown} doesn't exist.`),
    );
  });
});

describe('verifyTotp (for STS and the console sign-in)', () => {
  it('accepts the current code once, refuses a replay and a code of another device', async () => {
    const api = await iam();
    await api.user('alice');
    const phone = await device(api, 'phone');
    const other = await device(api, 'other');
    await api.call('EnableMFADevice', { UserName: 'alice', SerialNumber: phone.serial, AuthenticationCode1: phone.code(-1), AuthenticationCode2: phone.code(0) });
    // The code used by EnableMFADevice was spent: the next step's code is needed.
    assert.equal(await verifyTotp(api.store, ACCOUNT, 'alice', phone.serial, phone.code(0), api.now()), false);
    api.advance(30_000);
    assert.equal(await verifyTotp(api.store, ACCOUNT, 'alice', phone.serial, other.code(0), api.now()), false);
    assert.equal(await verifyTotp(api.store, ACCOUNT, 'alice', phone.serial, phone.code(0), api.now()), true);
    assert.equal(await verifyTotp(api.store, ACCOUNT, 'alice', phone.serial, phone.code(0), api.now()), false);
    assert.equal(await verifyTotp(api.store, ACCOUNT, 'bob', phone.serial, phone.code(1), api.now()), false);
  });

  it('ResyncMFADevice catches up with a device whose clock runs five minutes fast', async () => {
    const api = await iam();
    await api.user('alice');
    const { serial, code } = await device(api);
    await api.call('EnableMFADevice', { UserName: 'alice', SerialNumber: serial, AuthenticationCode1: code(-1), AuthenticationCode2: code(0) });
    api.advance(30_000);
    assert.equal(await verifyTotp(api.store, ACCOUNT, 'alice', serial, code(10), api.now()), false);
    await api.call('ResyncMFADevice', { UserName: 'alice', SerialNumber: serial, AuthenticationCode1: code(10), AuthenticationCode2: code(11) });
    api.advance(30_000);
    assert.equal(await verifyTotp(api.store, ACCOUNT, 'alice', serial, code(11), api.now()), true);
    await assert.rejects(
      api.call('ResyncMFADevice', { UserName: 'alice', SerialNumber: serial, AuthenticationCode1: '000000', AuthenticationCode2: '000001' }),
      awsError('InvalidAuthenticationCodeException'),
    );
  });

  it('the root user can have a virtual MFA device too', async () => {
    const api = await iam();
    const { serial, code } = await device(api, 'root-phone');
    await enableRootMfaDevice(api.store, ACCOUNT, serial, code(-1), code(0), api.now());
    const { MFADevices } = await api.call('ListMFADevices', {});
    assert.deepEqual(MFADevices.map((d) => d.SerialNumber), [serial]);
    api.advance(30_000);
    assert.equal(await verifyTotp(api.store, ACCOUNT, ROOT_USER_NAME, serial, code(0), api.now()), true);
    const { VirtualMFADevices } = await api.call('ListVirtualMFADevices', { AssignmentStatus: 'Assigned' });
    assert.equal(VirtualMFADevices[0].User?.Arn, `arn:aws:iam::${ACCOUNT}:root`);
  });
});

describe('DeactivateMFADevice, DeleteVirtualMFADevice, ListVirtualMFADevices', () => {
  it('lists by assignment status, refuses to delete an assigned device, deletes it once deactivated', async () => {
    const api = await iam();
    await api.user('alice');
    const used = await device(api, 'used');
    const spare = await device(api, 'spare');
    await api.call('EnableMFADevice', { UserName: 'alice', SerialNumber: used.serial, AuthenticationCode1: used.code(-1), AuthenticationCode2: used.code(0) });

    const serials = async (AssignmentStatus?: 'Assigned' | 'Unassigned' | 'Any') =>
      (await api.call('ListVirtualMFADevices', AssignmentStatus ? { AssignmentStatus } : {})).VirtualMFADevices.map((d) => d.SerialNumber);
    assert.deepEqual(await serials('Assigned'), [used.serial]);
    assert.deepEqual(await serials('Unassigned'), [spare.serial]);
    assert.deepEqual((await serials()).sort(), [spare.serial, used.serial].sort());
    const assigned = (await api.call('ListVirtualMFADevices', { AssignmentStatus: 'Assigned' })).VirtualMFADevices[0];
    assert.equal(assigned.User?.UserName, 'alice');
    assert.deepEqual(assigned.EnableDate, api.now());
    assert.equal(assigned.Base32StringSeed, undefined);

    await assert.rejects(
      api.call('DeleteVirtualMFADevice', { SerialNumber: used.serial }),
      awsError('DeleteConflictException', 'MFA VirtualDevice in use. Must deactivate first.'),
    );
    await assert.rejects(
      api.call('DeleteUser', { UserName: 'alice' }),
      awsError('DeleteConflictException', 'Cannot delete entity, must delete MFA device first.'),
    );
    await api.call('DeactivateMFADevice', { UserName: 'alice', SerialNumber: used.serial });
    assert.deepEqual((await api.call('ListMFADevices', { UserName: 'alice' })).MFADevices, []);
    await api.call('DeleteVirtualMFADevice', { SerialNumber: used.serial });
    await assert.rejects(api.call('GetMFADevice', { SerialNumber: used.serial }), awsError('NoSuchEntityException'));
    await api.call('DeleteUser', { UserName: 'alice' });
  });

  it('DeactivateMFADevice for a user the device is not enabled for: NoSuchEntity', async () => {
    const api = await iam();
    await api.user('alice');
    const { serial } = await device(api);
    await assert.rejects(api.call('DeactivateMFADevice', { UserName: 'alice', SerialNumber: serial }), awsError('NoSuchEntityException'));
  });

  it('ListVirtualMFADevices pages with MaxItems and Marker', async () => {
    const api = await iam();
    for (const name of ['a', 'b', 'c']) await device(api, name);
    const first = await api.call('ListVirtualMFADevices', { MaxItems: 2 });
    assert.equal(first.VirtualMFADevices.length, 2);
    assert.equal(first.IsTruncated, true);
    const second = await api.call('ListVirtualMFADevices', { MaxItems: 2, Marker: first.Marker });
    assert.equal(second.VirtualMFADevices.length, 1);
    assert.equal(second.IsTruncated, false);
  });
});

describe('MFA device tags', () => {
  it('tags on create and later, untag, list; an unknown device: NoSuchEntity', async () => {
    const api = await iam();
    const { VirtualMFADevice } = await api.call('CreateVirtualMFADevice', { VirtualMFADeviceName: 'phone', Tags: [{ Key: 'team', Value: 'a' }] });
    const SerialNumber = VirtualMFADevice.SerialNumber;
    assert.deepEqual(VirtualMFADevice.Tags, [{ Key: 'team', Value: 'a' }]);
    await api.call('TagMFADevice', { SerialNumber, Tags: [{ Key: 'TEAM', Value: 'b' }, { Key: 'env', Value: 'dev' }] });
    assert.deepEqual((await api.call('ListMFADeviceTags', { SerialNumber })).Tags, [{ Key: 'TEAM', Value: 'b' }, { Key: 'env', Value: 'dev' }]);
    await api.call('UntagMFADevice', { SerialNumber, TagKeys: ['team'] });
    assert.deepEqual((await api.call('ListMFADeviceTags', { SerialNumber })).Tags, [{ Key: 'env', Value: 'dev' }]);
    await assert.rejects(
      api.call('ListMFADeviceTags', { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/none` }),
      awsError('NoSuchEntityException'),
    );
  });
});
