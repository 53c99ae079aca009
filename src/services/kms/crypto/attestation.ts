// Nitro attestation documents (the Recipient parameter): a COSE_Sign1 structure
// (RFC 9052) signed with ES384 by a certificate that chains, through the document's
// CA bundle, to a trusted root (AWS's Nitro Enclaves root, or roots Bulwark is told to
// trust). Its payload holds the enclave's measurements (PCRs) and the public key KMS
// encrypts responses to. `readAttestation` only parses (for policy condition keys);
// `verifyAttestation` also checks the signature, the chain and its validity.
import { createPublicKey, verify as nodeVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { encodeCbor } from '../../../protocol/cbor.ts';
import { decodeCbor, type CborValue } from './cbor.ts';
import { kmsError } from './errors.ts';

export interface Attestation {
  /** PCR index → measurement (Nitro Enclaves: `pcrs`). */
  pcrs: Map<number, Buffer>;
  /** NitroTPM documents: `nitrotpm_pcrs`. */
  nitroTpmPcrs: Map<number, Buffer>;
  /** DER SubjectPublicKeyInfo of the recipient's key, if the document has one. */
  publicKey?: Buffer;
  certificate: Buffer;
  /** Root first, as the document lists it. */
  caBundle: Buffer[];
  signed: { protectedHeader: Buffer; payload: Buffer; signature: Buffer };
}

const COSE_SIGN1_TAG = 18;
const COSE_ALG = 1;
const ES384 = -35;

export function invalidAttestation(reason: string): Error {
  return kmsError('ValidationException', `The attestation document in the Recipient parameter is not valid: ${reason}.`);
}

function field(map: Map<CborValue, CborValue>, name: string): CborValue {
  return map.get(name);
}

function bytesField(map: Map<CborValue, CborValue>, name: string): Buffer {
  const value = field(map, name);
  if (!Buffer.isBuffer(value)) throw invalidAttestation(`${name} is missing`);
  return value;
}

function pcrMap(value: CborValue): Map<number, Buffer> {
  const pcrs = new Map<number, Buffer>();
  if (!(value instanceof Map)) return pcrs;
  for (const [index, measurement] of value) {
    if (typeof index === 'number' && Buffer.isBuffer(measurement)) pcrs.set(index, measurement);
  }
  return pcrs;
}

/** Parses a document without trusting it. */
export function readAttestation(document: Uint8Array): Attestation {
  let cose = decodeCbor(document);
  if (cose && typeof cose === 'object' && 'tag' in cose && cose.tag === COSE_SIGN1_TAG) cose = cose.value;
  if (!Array.isArray(cose) || cose.length !== 4) throw invalidAttestation('it is not a COSE_Sign1 structure');
  const [protectedHeader, , payload, signature] = cose;
  if (!Buffer.isBuffer(protectedHeader) || !Buffer.isBuffer(payload) || !Buffer.isBuffer(signature)) {
    throw invalidAttestation('it is not a COSE_Sign1 structure');
  }
  const body = decodeCbor(payload);
  if (!(body instanceof Map)) throw invalidAttestation('its payload is not a map');
  const caBundle = field(body, 'cabundle');
  const publicKey = field(body, 'public_key');
  if (!Array.isArray(caBundle) || !caBundle.every(Buffer.isBuffer) || caBundle.length === 0) throw invalidAttestation('cabundle is missing');
  return {
    pcrs: pcrMap(field(body, 'pcrs')),
    nitroTpmPcrs: pcrMap(field(body, 'nitrotpm_pcrs')),
    ...(Buffer.isBuffer(publicKey) ? { publicKey } : {}),
    certificate: bytesField(body, 'certificate'),
    caBundle: caBundle as Buffer[],
    signed: { protectedHeader, payload, signature },
  };
}

function certificate(der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch {
    throw invalidAttestation('a certificate cannot be read');
  }
}

/** The root, through each CA of the bundle, to the signing certificate: each signed by the one before, all valid now. */
function verifyChain(attestation: Attestation, trustedRoots: readonly X509Certificate[], now: Date): X509Certificate {
  const chain = [...attestation.caBundle, attestation.certificate].map(certificate);
  const root = chain[0]!;
  if (!trustedRoots.some((trusted) => trusted.fingerprint256 === root.fingerprint256)) {
    throw invalidAttestation('its certificate chain does not end at a trusted root');
  }
  chain.forEach((cert, i) => {
    const issuer = chain[Math.max(i - 1, 0)]!;
    if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) throw invalidAttestation('its certificate chain is broken');
    if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) throw invalidAttestation('a certificate of its chain is not valid now');
  });
  return chain.at(-1)!;
}

function verifySignature(attestation: Attestation, signer: KeyObject): void {
  const { protectedHeader, payload, signature } = attestation.signed;
  const header = protectedHeader.length > 0 ? decodeCbor(protectedHeader) : undefined;
  if (!(header instanceof Map) || header.get(COSE_ALG) !== ES384) throw invalidAttestation('it is not signed with ES384');
  const toBeSigned = encodeCbor(['Signature1', protectedHeader, Buffer.alloc(0), payload]);
  if (!nodeVerify('sha384', toBeSigned, { key: signer, dsaEncoding: 'ieee-p1363' }, signature)) {
    throw invalidAttestation('its signature does not verify');
  }
}

/** A document signed by a chain to a trusted root, valid now, with a public key: the key it names. */
export function verifyAttestation(document: Uint8Array, trustedRoots: readonly X509Certificate[], now: Date): { attestation: Attestation; recipientKey: KeyObject } {
  const attestation = readAttestation(document);
  const signer = verifyChain(attestation, trustedRoots, now);
  verifySignature(attestation, signer.publicKey);
  if (!attestation.publicKey) throw invalidAttestation('it has no public_key');
  let recipientKey: KeyObject;
  try {
    recipientKey = createPublicKey({ key: attestation.publicKey, format: 'der', type: 'spki' });
  } catch {
    throw invalidAttestation('its public_key is not a DER public key');
  }
  if (recipientKey.asymmetricKeyType !== 'rsa' || (recipientKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw invalidAttestation('its public_key is not an RSA key of at least 2048 bits');
  }
  return { attestation, recipientKey };
}
