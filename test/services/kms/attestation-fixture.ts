// The enclave's side of the Recipient parameter, for the tests: a certificate chain
// made by openssl (a P-384 root and a signing certificate under it), attestation
// documents as the Nitro Security Module lays them out (COSE_Sign1 over a CBOR map,
// ES384), written with this file's own small CBOR encoder, and opening a
// CiphertextForRecipient with openssl cms. The KMS side under test is not used here.
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Cbor = number | string | Buffer | Cbor[] | Map<number | string, Cbor> | null;

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  if (n < 0x100000000) {
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = (major << 5) | 27;
  b.writeBigUInt64BE(BigInt(n), 1);
  return b;
}

export function cbor(value: Cbor): Buffer {
  if (value === null) return Buffer.from([0xf6]);
  if (typeof value === 'number') return value < 0 ? head(1, -1 - value) : head(0, value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

function inTempDir<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-attestation-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Chain {
  rootPem: string;
  rootDer: Buffer;
  leafDer: Buffer;
  leafKey: KeyObject;
}

const P384 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp384r1', '-nodes'];

/** A root CA and a signing certificate under it, valid for `days` from now. */
export function makeChain(days = 2): Chain {
  return inTempDir((dir) => {
    const file = (name: string) => join(dir, name);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
    openssl('req', '-x509', ...P384, '-keyout', file('root.key'), '-out', file('root.pem'), '-days', String(days), '-sha384',
      '-subj', '/CN=test.nitro-enclaves', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
    openssl('req', ...P384, '-keyout', file('leaf.key'), '-out', file('leaf.csr'), '-subj', '/CN=test-enclave');
    openssl('x509', '-req', '-in', file('leaf.csr'), '-CA', file('root.pem'), '-CAkey', file('root.key'), '-CAcreateserial',
      '-out', file('leaf.pem'), '-days', String(days), '-sha384');
    const toDer = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const rootPem = readFileSync(file('root.pem'), 'utf8');
    return {
      rootPem,
      rootDer: toDer(rootPem),
      leafDer: toDer(readFileSync(file('leaf.pem'), 'utf8')),
      leafKey: createPrivateKey(readFileSync(file('leaf.key'))),
    };
  });
}

export interface Enclave {
  publicKeyDer: Buffer;
  privateKey: KeyObject;
  /** PCR0: the image's SHA-384 measurement. */
  pcr0: Buffer;
}

export function makeEnclave(image = 'enclave image'): Enclave {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { publicKeyDer: publicKey.export({ type: 'spki', format: 'der' }), privateKey, pcr0: createHash('sha384').update(image).digest() };
}

/** A signed attestation document; `tamper` changes the payload after signing. */
export function attestationDocument(chain: Chain, enclave: Enclave, options: { tamper?: boolean; withoutPublicKey?: boolean } = {}): Buffer {
  const payload = cbor(new Map<string, Cbor>([
    ['module_id', 'i-0123456789abcdef0-enc0123456789abcdef'],
    ['digest', 'SHA384'],
    ['timestamp', Date.now()],
    ['pcrs', new Map<number, Cbor>([[0, enclave.pcr0], [1, Buffer.alloc(48, 1)], [2, Buffer.alloc(48, 2)]])],
    ['certificate', chain.leafDer],
    ['cabundle', [chain.rootDer]],
    ['public_key', options.withoutPublicKey ? null : enclave.publicKeyDer],
    ['user_data', null],
    ['nonce', null],
  ]));
  const protectedHeader = cbor(new Map([[1, -35]]));
  const toBeSigned = cbor(['Signature1', protectedHeader, Buffer.alloc(0), payload]);
  const signature = sign('sha384', toBeSigned, { key: chain.leafKey, dsaEncoding: 'ieee-p1363' });
  const signedPayload = options.tamper ? Buffer.from(payload.toString('latin1').replace('SHA384', 'SHA385'), 'latin1') : payload;
  return cbor([protectedHeader, new Map(), signedPayload, signature]);
}

/** What the enclave reads from CiphertextForRecipient, decrypted by openssl cms with its private key. */
export function openForEnclave(enclave: Enclave, ciphertextForRecipient: Uint8Array): Buffer {
  return inTempDir((dir) => {
    writeFileSync(join(dir, 'key.pem'), enclave.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'cms.der'), ciphertextForRecipient);
    return execFileSync('openssl', ['cms', '-decrypt', '-inform', 'DER', '-in', join(dir, 'cms.der'), '-inkey', join(dir, 'key.pem')]);
  });
}
