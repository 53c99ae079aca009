// X.509 for IAM's certificates, parsed for real with node:crypto: a PEM body must be a
// certificate, a server certificate's private key must match it, and each certificate
// of a chain must parse. Messages are AWS's.
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.ts';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function malformedCertificate(message = 'Unable to parse certificate. Please ensure the certificate is in PEM format.'): AwsError {
  return new AwsError('MalformedCertificateException', message);
}

export interface ParsedCertificate {
  certificate: X509Certificate;
  /** SHA-256 of the DER: the same certificate uploaded twice has the same one. */
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
}

/** The one certificate a PEM body holds; MalformedCertificate when it holds none or garbage. */
export function parseCertificate(body: string, message?: string): ParsedCertificate {
  const blocks = body.match(PEM_CERTIFICATE);
  if (!blocks || blocks.length !== 1) throw malformedCertificate(message);
  try {
    const certificate = new X509Certificate(blocks[0]);
    return {
      certificate,
      fingerprint: createHash('sha256').update(certificate.raw).digest('hex'),
      notBefore: new Date(certificate.validFrom),
      notAfter: new Date(certificate.validTo),
    };
  } catch {
    throw malformedCertificate(message);
  }
}

/** Every certificate of a chain must parse (AWS checks the chain's format, not its trust). */
export function parseChain(chain: string): void {
  const message = 'Unable to parse certificate chain. Please ensure the certificate chain is in PEM format.';
  const blocks = chain.match(PEM_CERTIFICATE);
  if (!blocks) throw malformedCertificate(message);
  for (const block of blocks) parseCertificate(block, message);
}

export function parsePrivateKey(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw malformedCertificate('Unable to parse private key. Please ensure the private key is in PEM format.');
  }
}

/** KeyPairMismatch unless the private key is the certificate's. */
export function checkKeyPair(certificate: X509Certificate, privateKey: KeyObject): void {
  let matches = false;
  try {
    matches = certificate.checkPrivateKey(privateKey);
  } catch {
    matches = false;
  }
  if (!matches) {
    throw new AwsError(
      'KeyPairMismatchException',
      'The request was rejected because the public key certificate and the private key do not match.',
    );
  }
}
