// SSH public keys (for CodeCommit): UploadSSHPublicKey, GetSSHPublicKey,
// UpdateSSHPublicKey, DeleteSSHPublicKey, ListSSHPublicKeys. A key is accepted in
// OpenSSH form ("ssh-rsa AAAA... comment"; ssh-ed25519 and ecdsa-sha2-nistp* too) or
// as a PEM public key, checked for real with node:crypto, and kept in both forms so
// GetSSHPublicKey can answer in either encoding. Its fingerprint is what AWS reports:
// the MD5 of the OpenSSH wire blob, as colon-separated hex.
import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.ts';
import type { Operations, SSHPublicKey, SSHPublicKeyMetadata } from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import { ID_PREFIX, newUniqueId, noSuchEntity } from '../common.ts';
import { listAll, listPage, load } from '../identities/shared.ts';
import { CREDENTIAL_STORE, type SshPublicKeyRecord } from '../records.ts';
import { ownedKey, ownerOf, ownerPrefix, quotaExceeded, CREDENTIAL_QUOTAS } from './shared.ts';

const KEYS = CREDENTIAL_STORE.sshPublicKeys;

/** AWS's floor for RSA keys. */
const MIN_RSA_BITS = 2048;

const invalidKey = () =>
  new AwsError('InvalidPublicKeyException', 'The request was rejected because the public key is malformed or otherwise invalid.');
const unrecognizedEncoding = () =>
  new AwsError(
    'UnrecognizedPublicKeyEncodingException',
    'The request was rejected because the public key encoding format is unsupported or unrecognized.',
  );
const duplicateKey = () =>
  new AwsError(
    'DuplicateSSHPublicKeyException',
    'The request was rejected because the SSH public key is already associated with the specified IAM user.',
  );
const keyNotFound = (id: string) => noSuchEntity(`The Public Key with id ${id} cannot be found.`);

/** The elliptic curves OpenSSH names, with their JWK names. */
const CURVES = { nistp256: 'P-256', nistp384: 'P-384', nistp521: 'P-521' } as const;
type SshCurve = keyof typeof CURVES;
const curveOfJwk = (crv: string) => (Object.keys(CURVES) as SshCurve[]).find((name) => CURVES[name] === crv);

// ---- the SSH wire format (RFC 4251): length-prefixed strings and mpints ----

function sshString(bytes: Uint8Array | string): Buffer {
  const body = typeof bytes === 'string' ? Buffer.from(bytes, 'ascii') : Buffer.from(bytes);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

/** An unsigned big-endian integer as an SSH mpint: no leading zeros, a 0x00 if the top bit is set. */
function sshMpint(unsigned: Buffer): Buffer {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const trimmed = unsigned.subarray(start);
  return sshString(trimmed[0] & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed);
}

/** Reads the wire blob's fields; throws InvalidPublicKey when it is truncated or has trailing bytes. */
function readFields(blob: Buffer, count: number): Buffer[] {
  const fields: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > blob.length) throw invalidKey();
    const length = blob.readUInt32BE(offset);
    offset += 4;
    if (offset + length > blob.length) throw invalidKey();
    fields.push(blob.subarray(offset, offset + length));
    offset += length;
  }
  if (offset !== blob.length) throw invalidKey();
  return fields;
}

const b64url = (bytes: Buffer) => {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start).toString('base64url');
};

/** The public key a wire blob holds, as a node:crypto KeyObject (which checks it). */
function keyFromWire(type: string, blob: Buffer): KeyObject {
  const fieldCount = type === 'ssh-rsa' ? 3 : type === 'ssh-ed25519' ? 2 : 3;
  const fields = readFields(blob, fieldCount);
  if (fields[0].toString('ascii') !== type) throw invalidKey();
  let jwk: JsonWebKey;
  if (type === 'ssh-rsa') {
    jwk = { kty: 'RSA', e: b64url(fields[1]), n: b64url(fields[2]) };
  } else if (type === 'ssh-ed25519') {
    if (fields[1].length !== 32) throw invalidKey();
    jwk = { kty: 'OKP', crv: 'Ed25519', x: fields[1].toString('base64url') };
  } else {
    const curve = type.slice('ecdsa-sha2-'.length) as SshCurve;
    const point = fields[2];
    if (fields[1].toString('ascii') !== curve || point[0] !== 0x04 || point.length % 2 !== 1) throw invalidKey();
    const half = (point.length - 1) / 2;
    jwk = {
      kty: 'EC',
      crv: CURVES[curve],
      x: point.subarray(1, 1 + half).toString('base64url'),
      y: point.subarray(1 + half).toString('base64url'),
    };
  }
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    throw invalidKey();
  }
}

/** The OpenSSH type name and wire blob of a public key; UnrecognizedPublicKeyEncoding for other key types. */
function wireOf(key: KeyObject): { type: string; blob: Buffer } {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty === 'RSA') {
    const blob = Buffer.concat([sshString('ssh-rsa'), sshMpint(Buffer.from(jwk.e!, 'base64url')), sshMpint(Buffer.from(jwk.n!, 'base64url'))]);
    return { type: 'ssh-rsa', blob };
  }
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    return { type: 'ssh-ed25519', blob: Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.from(jwk.x!, 'base64url'))]) };
  }
  const curve = jwk.kty === 'EC' ? curveOfJwk(jwk.crv!) : undefined;
  if (curve) {
    const point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    const type = `ecdsa-sha2-${curve}`;
    return { type, blob: Buffer.concat([sshString(type), sshString(curve), sshString(point)]) };
  }
  throw unrecognizedEncoding();
}

export interface ParsedSshKey {
  openSsh: string;
  pem: string;
  /** MD5 of the wire blob, colon-separated hex (as AWS reports it). */
  fingerprint: string;
}

const OPENSSH_LINE = /^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521))\s+([A-Za-z0-9+/]+={0,2})(?:\s+.*)?$/s;

/** Parses an uploaded SSH public key body (OpenSSH or PEM); AWS's errors when it is not a usable key. */
export function parseSshPublicKey(body: string): ParsedSshKey {
  const text = body.trim();
  let key: KeyObject;
  if (text.startsWith('-----BEGIN')) {
    if (!/^-----BEGIN (RSA )?PUBLIC KEY-----/.test(text)) throw unrecognizedEncoding();
    try {
      key = createPublicKey(text);
    } catch {
      throw invalidKey();
    }
  } else {
    const line = OPENSSH_LINE.exec(text);
    if (!line) throw unrecognizedEncoding();
    key = keyFromWire(line[1], Buffer.from(line[2], 'base64'));
  }
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) throw invalidKey();
  const { type, blob } = wireOf(key);
  const md5 = createHash('md5').update(blob).digest('hex');
  return {
    openSsh: `${type} ${blob.toString('base64')}`,
    pem: key.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: md5.match(/../g)!.join(':'),
  };
}

function metadata(record: SshPublicKeyRecord): SSHPublicKeyMetadata {
  return { UserName: record.userName, SSHPublicKeyId: record.sshPublicKeyId, Status: record.status, UploadDate: new Date(record.uploadDate) };
}

function full(record: SshPublicKeyRecord, encoding: 'SSH' | 'PEM'): SSHPublicKey {
  return { ...metadata(record), Fingerprint: record.fingerprint, SSHPublicKeyBody: encoding === 'PEM' ? record.pem : record.openSsh };
}

async function loadKey(docs: Documents, accountId: string, userName: string, id: string): Promise<SshPublicKeyRecord> {
  const user = await load(docs, 'user', accountId, userName);
  const record = await docs.get<SshPublicKeyRecord>(KEYS, ownedKey(accountId, user.userName, id));
  if (!record) throw keyNotFound(id);
  return record;
}

export const sshKeyHandlers: Handlers<Operations> = {
  async UploadSSHPublicKey(input, context) {
    const accountId = context.principal.accountId;
    const parsed = parseSshPublicKey(input.SSHPublicKeyBody);
    const record = await context.store.transaction(async (tx) => {
      const user = await load(tx, 'user', accountId, input.UserName);
      const existing = await listAll<SshPublicKeyRecord>(tx, KEYS, ownerPrefix(accountId, user.userName));
      if (existing.some(({ value }) => value.fingerprint === parsed.fingerprint)) throw duplicateKey();
      if (existing.length >= CREDENTIAL_QUOTAS.SSHPublicKeysPerUser) throw quotaExceeded('SSHPublicKeysPerUser');
      const created: SshPublicKeyRecord = {
        accountId,
        userName: user.userName,
        sshPublicKeyId: newUniqueId(ID_PREFIX.sshPublicKey, 16),
        ...parsed,
        status: 'Active',
        uploadDate: context.now.toISOString(),
      };
      await tx.put(KEYS, ownedKey(accountId, user.userName, created.sshPublicKeyId), created);
      return created;
    });
    return { SSHPublicKey: full(record, 'SSH') };
  },

  async GetSSHPublicKey(input, context) {
    const record = await loadKey(context.store, context.principal.accountId, input.UserName, input.SSHPublicKeyId);
    return { SSHPublicKey: full(record, input.Encoding) };
  },

  async UpdateSSHPublicKey(input, context) {
    await context.store.transaction(async (tx) => {
      const record = await loadKey(tx, context.principal.accountId, input.UserName, input.SSHPublicKeyId);
      await tx.put(KEYS, ownedKey(record.accountId, record.userName, record.sshPublicKeyId), { ...record, status: input.Status });
    });
  },

  async DeleteSSHPublicKey(input, context) {
    await context.store.transaction(async (tx) => {
      const record = await loadKey(tx, context.principal.accountId, input.UserName, input.SSHPublicKeyId);
      await tx.delete(KEYS, ownedKey(record.accountId, record.userName, record.sshPublicKeyId));
    });
  },

  async ListSSHPublicKeys(input, context) {
    const owner = await ownerOf(context.store, context, input.UserName);
    const page = await listPage<SshPublicKeyRecord>(context.store, KEYS, ownerPrefix(owner.accountId, owner.userName), input);
    return { SSHPublicKeys: page.items.map(metadata), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
};
