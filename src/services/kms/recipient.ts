// The Recipient parameter (Nitro Enclaves, NitroTPM): Decrypt, GenerateDataKey,
// GenerateDataKeyPair, GenerateRandom and DeriveSharedSecret then return the secret
// only as CiphertextForRecipient, encrypted to the public key of a verified
// attestation document, and never in plaintext. Documents must chain to AWS's Nitro
// Enclaves root, or to a root in the PEM file named by --kms-attestation-roots
// (BULWARK_KMS_ATTESTATION_ROOTS; for attestation documents made outside AWS, e.g. by tests). The document's
// measurements are the kms:RecipientAttestation:* condition keys.
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { ContextValue } from '../../policy/index.ts';
import { AwsError } from '../../protocol/errors.ts';
import type { RecipientInfo } from '../../protocol/types/kms.ts';
import type { Store } from '../../store/store.ts';
import { readAttestation, verifyAttestation, type Attestation } from './crypto/attestation.ts';
import { envelopeForRecipient } from './crypto/cms.ts';

/** AWS_NitroEnclaves_Root-G1 (SHA-256 fingerprint 64:1A:03:21:…:8F:79:BB:5B), published by AWS. */
const AWS_NITRO_ENCLAVES_ROOT = new X509Certificate(`-----BEGIN CERTIFICATE-----
MIICETCCAZagAwIBAgIRAPkxdWgbkK/hHUbMtOTn+FYwCgYIKoZIzj0EAwMwSTEL
MAkGA1UEBhMCVVMxDzANBgNVBAoMBkFtYXpvbjEMMAoGA1UECwwDQVdTMRswGQYD
VQQDDBJhd3Mubml0cm8tZW5jbGF2ZXMwHhcNMTkxMDI4MTMyODA1WhcNNDkxMDI4
MTQyODA1WjBJMQswCQYDVQQGEwJVUzEPMA0GA1UECgwGQW1hem9uMQwwCgYDVQQL
DANBV1MxGzAZBgNVBAMMEmF3cy5uaXRyby1lbmNsYXZlczB2MBAGByqGSM49AgEG
BSuBBAAiA2IABPwCVOumCMHzaHDimtqQvkY4MpJzbolL//Zy2YlES1BR5TSksfbb
48C8WBoyt7F2Bw7eEtaaP+ohG2bnUs990d0JX28TcPQXCEPZ3BABIeTPYwEoCWZE
h8l5YoQwTcU/9KNCMEAwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHQ4EFgQUkCW1DdkF
R+eWw5b6cp3PmanfS5YwDgYDVR0PAQH/BAQDAgGGMAoGCCqGSM49BAMDA2kAMGYC
MQCjfy+Rocm9Xue4YnwWmNJVA44fA0P5W2OpYow9OYCVRaEevL8uO1XYru5xtMPW
rfMCMQCi85sWBbJwKKXdS6BptQFuZbT73o/gBh1qUxl/nNr12UO8Yfwr6wPLb+6N
IwLz3/Y=
-----END CERTIFICATE-----`);

/** The PEM file of extra roots (--kms-attestation-roots) of each running server, found by its store. */
const configuredRoots = new WeakMap<Store, string>();

/** Called when the server starts (tests may run several servers in one process). */
export function configureAttestationRoots(store: Store, path: string | undefined): void {
  if (path) configuredRoots.set(store, path);
  else configuredRoots.delete(store);
}

/** AWS's root, and those of the configured PEM file (read on each use: it is rare). */
function trustedRoots(store: Store): X509Certificate[] {
  const path = configuredRoots.get(store);
  if (!path) return [AWS_NITRO_ENCLAVES_ROOT];
  try {
    const pems = readFileSync(path, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    return [AWS_NITRO_ENCLAVES_ROOT, ...pems.map((pem) => new X509Certificate(pem))];
  } catch (error) {
    // Bulwark's configuration, not the caller's request, is at fault.
    throw new AwsError('KMSInternalException', `--kms-attestation-roots (${path}) cannot be read as PEM certificates: ${(error as Error).message}`, { status: 500, senderFault: false });
  }
}

export function awsNitroRootFingerprint(): string {
  return AWS_NITRO_ENCLAVES_ROOT.fingerprint256;
}

/** The secret, encrypted for the recipient the verified document names (CiphertextForRecipient). */
export function sealForRecipient(store: Store, recipient: RecipientInfo, plaintext: Uint8Array, now: Date): Buffer {
  const { recipientKey } = verifyAttestation(recipient.AttestationDocument ?? Buffer.alloc(0), trustedRoots(store), now);
  return envelopeForRecipient(recipientKey, plaintext);
}

function measurementKeys(attestation: Attestation): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = {};
  const pcr0 = attestation.pcrs.get(0);
  if (pcr0) keys['kms:RecipientAttestation:ImageSha384'] = pcr0.toString('hex');
  for (const [index, value] of attestation.pcrs) keys[`kms:RecipientAttestation:PCR${index}`] = value.toString('hex');
  for (const [index, value] of attestation.nitroTpmPcrs) keys[`kms:RecipientAttestation:NitroTPMPCR${index}`] = value.toString('hex');
  return keys;
}

/**
 * The kms:RecipientAttestation:* condition keys of a request's Recipient. The document is
 * only read here; the operation verifies it before answering, so a forged measurement
 * that passes a policy still gets nothing.
 */
export function recipientConditionKeys(recipient: unknown): Record<string, ContextValue> {
  const document = (recipient as RecipientInfo | undefined)?.AttestationDocument;
  if (!(document instanceof Uint8Array)) return {};
  try {
    return measurementKeys(readAttestation(document));
  } catch {
    return {};
  }
}
