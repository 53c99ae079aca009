// Virtual MFA devices: CreateVirtualMFADevice, EnableMFADevice, ResyncMFADevice,
// DeactivateMFADevice, DeleteVirtualMFADevice, ListMFADevices, ListVirtualMFADevices,
// GetMFADevice and device tags; and verifyTotp for STS and the console sign-in.
//
// A device is created unassigned with a random 20-byte seed, shown once as Base32 and
// as a QR code. EnableMFADevice assigns it to a user (or the root user) only when two
// consecutive codes prove the authenticator holds the seed; the device's clock drift
// learned then (and by ResyncMFADevice) centres later checks.
import { randomBytes } from 'node:crypto';
import { toBuffer as qrCodePng } from 'qrcode';
import { AwsError } from '../../../protocol/errors.ts';
import type { MFADevice, Operations, User, VirtualMFADevice } from '../../../protocol/types/iam.ts';
import type { Documents, Store } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { alreadyExists, deleteConflict, iamArn, noSuchEntity } from '../common.ts';
import { load, listAll, listPage, loadEach } from '../identities/shared.ts';
import { userShape } from '../identities/shapes.ts';
import { checkRequestTags, removeTags, tagPage } from '../identities/tags.ts';
import { COLLECTIONS, CREDENTIAL_STORE, entityKey, ROOT_USER_NAME, type MfaDeviceRecord, type RootUserRecord, type UserRecord } from '../records.ts';
import { ownerOf, quotaExceeded, CREDENTIAL_QUOTAS, type Owner } from './shared.ts';
import { mergeCredentialTags } from './tags.ts';
import { base32Decode, base32Encode, findCode, findConsecutiveCodes, timeStep } from './totp.ts';

const DEVICES = CREDENTIAL_STORE.mfaDevices;

/** The issuer authenticator apps show for AWS accounts. */
const ISSUER = 'Amazon Web Services';

/**
 * How far (in 30-second steps) codes may be from Bulwark's clock: a little for
 * EnableMFADevice and sign-in (a code typed just before the step turned), much more
 * for ResyncMFADevice, whose purpose is to catch up with a drifted device.
 */
const WINDOW = { enable: 2, verify: 1, resync: 20 } as const;

const SERIAL = /^arn:aws[\w-]*:iam::(\d{12}):mfa(\/(?:[^/]+\/)*)([\w+=,.@-]+)$/;

const messages = {
  noDevice: (serial: string) => `VirtualMFADevice with serial number ${serial} doesn't exist.`,
  notEnabledFor: (serial: string, userName: string) => `MFA Device with serial number ${serial} is not enabled for user ${userName}.`,
  inUse: 'MFA Device is already in use.',
  deleteAssigned: 'MFA VirtualDevice in use. Must deactivate first.',
  duplicate: 'MFADevice entity at the same path and name already exists.',
  badCode: 'Authentication code for device is not valid.',
};

const deviceKey = (accountId: string, name: string) => entityKey(accountId, name);

/** The device a serial number names in the caller's account, or NoSuchEntity. */
async function loadDevice(docs: Documents, accountId: string, serialNumber: string): Promise<MfaDeviceRecord> {
  const parts = SERIAL.exec(serialNumber);
  const device = parts && parts[1] === accountId ? await docs.get<MfaDeviceRecord>(DEVICES, deviceKey(accountId, parts[3])) : undefined;
  if (!device || device.serialNumber !== serialNumber) throw noSuchEntity(messages.noDevice(serialNumber));
  return device;
}

const assignedTo = (device: MfaDeviceRecord, userName: string) => device.userName?.toLowerCase() === userName.toLowerCase();

/** The device, which must be enabled for this owner. */
async function loadAssigned(docs: Documents, owner: Owner, serialNumber: string): Promise<MfaDeviceRecord> {
  const device = await loadDevice(docs, owner.accountId, serialNumber);
  if (!assignedTo(device, owner.userName)) {
    const name = owner.userName === ROOT_USER_NAME ? owner.accountId : owner.userName;
    throw noSuchEntity(messages.notEnabledFor(serialNumber, name));
  }
  return device;
}

const saveDevice = (docs: Documents, device: MfaDeviceRecord) => docs.put(DEVICES, deviceKey(device.accountId, device.name), device);

function invalidCode(): AwsError {
  return new AwsError('InvalidAuthenticationCodeException', messages.badCode);
}

/** The otpauth:// URI authenticator apps read from the QR code (Google's Key Uri Format). */
export function otpauthUri(deviceName: string, accountId: string, seed: string): string {
  const label = `${encodeURIComponent(ISSUER)}:${encodeURIComponent(`${deviceName}@${accountId}`)}`;
  return `otpauth://totp/${label}?secret=${seed}&issuer=${encodeURIComponent(ISSUER)}`;
}

/** Assigns a device to its owner when the two codes are consecutive codes of its seed. */
async function enable(docs: Documents, owner: Owner, serialNumber: string, code1: string, code2: string, now: Date): Promise<void> {
  const device = await loadDevice(docs, owner.accountId, serialNumber);
  if (device.userName !== undefined) throw alreadyExists(messages.inUse);
  const devices = await listAll<MfaDeviceRecord>(docs, DEVICES, `${owner.accountId}/`);
  if (devices.filter(({ value }) => assignedTo(value, owner.userName)).length >= CREDENTIAL_QUOTAS.MFADevicesPerUser) {
    throw quotaExceeded('MFADevicesPerUser');
  }
  const current = timeStep(now);
  const first = findConsecutiveCodes(base32Decode(device.seed), code1, code2, current, WINDOW.enable);
  if (first === undefined) throw invalidCode();
  await saveDevice(docs, {
    ...device,
    userName: owner.userName,
    enableDate: now.toISOString(),
    driftSteps: first + 1 - current,
    lastUsedStep: first + 1,
  });
}

/** The User structure of a device's assignee (the root user's is its ARN and account id). */
async function assigneeShape(docs: Documents, device: MfaDeviceRecord): Promise<User | undefined> {
  if (device.userName === undefined) return undefined;
  if (device.userName === ROOT_USER_NAME) {
    const root = await docs.get<RootUserRecord>(COLLECTIONS.rootUsers, device.accountId);
    return {
      Arn: `arn:aws:iam::${device.accountId}:root`,
      UserId: device.accountId,
      CreateDate: new Date(root?.createDate ?? device.createDate),
    } as User;
  }
  const user = await docs.get<UserRecord>(COLLECTIONS.users, entityKey(device.accountId, device.userName));
  return user ? userShape(user, 'listed') : undefined;
}

function mfaDeviceShape(device: MfaDeviceRecord): MFADevice {
  return {
    ...(device.userName !== ROOT_USER_NAME ? { UserName: device.userName } : {}),
    SerialNumber: device.serialNumber,
    EnableDate: new Date(device.enableDate!),
  } as MFADevice;
}

async function changeTags(context: RequestContext, serialNumber: string, change: (tags: MfaDeviceRecord['tags']) => MfaDeviceRecord['tags']) {
  await context.store.transaction(async (tx) => {
    const device = await loadDevice(tx, context.principal.accountId, serialNumber);
    await saveDevice(tx, { ...device, tags: change(device.tags) });
  });
}

export const mfaHandlers: Handlers<Operations> = {
  async CreateVirtualMFADevice(input, context) {
    const accountId = context.principal.accountId;
    const path = input.Path ?? '/';
    const tags = (input.Tags ?? []).map(({ Key, Value }) => ({ Key, Value }));
    checkRequestTags(tags);
    const seed = base32Encode(randomBytes(20));
    const device: MfaDeviceRecord = {
      accountId,
      name: input.VirtualMFADeviceName,
      path,
      serialNumber: iamArn(accountId, 'mfa', path, input.VirtualMFADeviceName),
      seed,
      createDate: context.now.toISOString(),
      tags,
      driftSteps: 0,
    };
    if (!(await context.store.insert(DEVICES, deviceKey(accountId, device.name), device))) throw alreadyExists(messages.duplicate);
    const qr = await qrCodePng(otpauthUri(device.name, accountId, seed));
    return {
      VirtualMFADevice: {
        SerialNumber: device.serialNumber,
        // The blob holds the Base32 text itself (clients show it base64-decoded).
        Base32StringSeed: Buffer.from(seed, 'ascii'),
        QRCodePNG: qr,
        ...(tags.length > 0 ? { Tags: tags } : {}),
      },
    };
  },

  async EnableMFADevice(input, context) {
    await context.store.transaction(async (tx) => {
      const owner = await ownerOf(tx, context, input.UserName);
      await enable(tx, owner, input.SerialNumber, input.AuthenticationCode1, input.AuthenticationCode2, context.now);
    });
  },

  async ResyncMFADevice(input, context) {
    await context.store.transaction(async (tx) => {
      const owner = await ownerOf(tx, context, input.UserName);
      const device = await loadAssigned(tx, owner, input.SerialNumber);
      const current = timeStep(context.now);
      const first = findConsecutiveCodes(base32Decode(device.seed), input.AuthenticationCode1, input.AuthenticationCode2, current, WINDOW.resync);
      if (first === undefined) throw invalidCode();
      await saveDevice(tx, { ...device, driftSteps: first + 1 - current, lastUsedStep: first + 1 });
    });
  },

  async DeactivateMFADevice(input, context) {
    await context.store.transaction(async (tx) => {
      const owner = await ownerOf(tx, context, input.UserName);
      const device = await loadAssigned(tx, owner, input.SerialNumber);
      const { userName: _user, enableDate: _enabled, lastUsedStep: _last, ...unassigned } = device;
      await saveDevice(tx, { ...unassigned, driftSteps: 0 });
    });
  },

  async DeleteVirtualMFADevice(input, context) {
    await context.store.transaction(async (tx) => {
      const device = await loadDevice(tx, context.principal.accountId, input.SerialNumber);
      if (device.userName !== undefined) throw deleteConflict(messages.deleteAssigned);
      await tx.delete(DEVICES, deviceKey(device.accountId, device.name));
    });
  },

  async ListMFADevices(input, context) {
    const owner = await ownerOf(context.store, context, input.UserName);
    const page = await listPage<MfaDeviceRecord>(context.store, DEVICES, `${owner.accountId}/`, input, (device) =>
      assignedTo(device, owner.userName),
    );
    return { MFADevices: page.items.map(mfaDeviceShape), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  async ListVirtualMFADevices(input, context) {
    const status = input.AssignmentStatus ?? 'Any';
    const keep = (device: MfaDeviceRecord) =>
      status === 'Any' || (status === 'Assigned') === (device.userName !== undefined);
    const page = await listPage<MfaDeviceRecord>(context.store, DEVICES, `${context.principal.accountId}/`, input, keep);
    const devices = await loadEach(page.items, async (device): Promise<VirtualMFADevice> => {
      const user = await assigneeShape(context.store, device);
      return {
        SerialNumber: device.serialNumber,
        ...(user ? { User: user } : {}),
        ...(device.enableDate ? { EnableDate: new Date(device.enableDate) } : {}),
        ...(device.tags.length > 0 ? { Tags: device.tags } : {}),
      };
    });
    return { VirtualMFADevices: devices, IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  async GetMFADevice(input, context) {
    const accountId = context.principal.accountId;
    const device =
      input.UserName !== undefined
        ? await loadAssigned(context.store, { accountId, userName: (await load(context.store, 'user', accountId, input.UserName)).userName }, input.SerialNumber)
        : await loadDevice(context.store, accountId, input.SerialNumber);
    return {
      ...(device.userName !== undefined && device.userName !== ROOT_USER_NAME ? { UserName: device.userName } : {}),
      SerialNumber: device.serialNumber,
      ...(device.enableDate ? { EnableDate: new Date(device.enableDate) } : {}),
    };
  },

  async TagMFADevice(input, context) {
    await changeTags(context, input.SerialNumber, (tags) => mergeCredentialTags(tags, input.Tags, 'MFADevice'));
  },

  async UntagMFADevice(input, context) {
    await changeTags(context, input.SerialNumber, (tags) => removeTags(tags, input.TagKeys));
  },

  async ListMFADeviceTags(input, context) {
    const device = await loadDevice(context.store, context.principal.accountId, input.SerialNumber);
    return tagPage(device.tags, input);
  },
};

/**
 * Enables a virtual MFA device for the account's root user (the console's "assign MFA"
 * for root: EnableMFADevice's UserName is required, so the API cannot name root).
 */
export async function enableRootMfaDevice(store: Store, accountId: string, serialNumber: string, code1: string, code2: string, now: Date): Promise<void> {
  await store.transaction((tx) => enable(tx, { accountId, userName: ROOT_USER_NAME }, serialNumber, code1, code2, now));
}

/**
 * For STS (GetSessionToken, AssumeRole with SerialNumber/TokenCode) and the console
 * sign-in: whether `code` is the current code of the MFA device enabled for the user
 * (ROOT_USER_NAME for root). A code is accepted once: the step it belongs to is
 * remembered, so replaying it (or an earlier one) fails.
 */
export async function verifyTotp(
  store: Store,
  accountId: string,
  userName: string,
  serialNumber: string,
  code: string,
  now: Date,
): Promise<boolean> {
  if (!/^\d{6}$/.test(code)) return false;
  return store.transaction(async (tx) => {
    let device: MfaDeviceRecord;
    try {
      device = await loadAssigned(tx, { accountId, userName }, serialNumber);
    } catch (error) {
      if (error instanceof AwsError) return false;
      throw error;
    }
    const step = findCode(base32Decode(device.seed), code, timeStep(now) + device.driftSteps, WINDOW.verify);
    if (step === undefined || (device.lastUsedStep !== undefined && step <= device.lastUsedStep)) return false;
    await saveDevice(tx, { ...device, lastUsedStep: step });
    return true;
  });
}

// ---- for DeleteUser and UpdateUser (registered in ./index.ts) ----

export async function userHasMfaDevices(docs: Documents, accountId: string, userName: string): Promise<boolean> {
  const devices = await listAll<MfaDeviceRecord>(docs, DEVICES, `${accountId}/`);
  return devices.some(({ value }) => assignedTo(value, userName));
}

export async function moveMfaDevices(docs: Documents, accountId: string, oldName: string, newName: string): Promise<void> {
  for (const { value } of await listAll<MfaDeviceRecord>(docs, DEVICES, `${accountId}/`)) {
    if (assignedTo(value, oldName)) await saveDevice(docs, { ...value, userName: newName });
  }
}
