// GenerateMac / VerifyMac with HMAC keys. Each HMAC key spec serves exactly one MAC
// algorithm. VerifyMac answers a boolean: the handler raises KMSInvalidMacException.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { kmsError } from './errors.ts';
import { secretKeyOf, type KeyMaterial } from './key-material.ts';
import { requirePlaintextSize } from './symmetric.ts';
import { KEY_SPECS, MAC_ALGORITHMS, type MacAlgorithm } from './specs.ts';

function requireMacAlgorithm(material: KeyMaterial, algorithm: MacAlgorithm): void {
  if (!MAC_ALGORITHMS[algorithm]) throw kmsError('ValidationException', `MacAlgorithm ${String(algorithm)} is not valid.`);
  if (!KEY_SPECS[material.keySpec].macAlgorithms.includes(algorithm)) {
    throw kmsError('InvalidKeyUsageException', `The MAC algorithm ${algorithm} is not compatible with a key of KeySpec ${material.keySpec}.`);
  }
}

export function generateMac(material: KeyMaterial, algorithm: MacAlgorithm, message: Uint8Array): Buffer {
  requireMacAlgorithm(material, algorithm);
  requirePlaintextSize(message);
  return createHmac(MAC_ALGORITHMS[algorithm].hash, secretKeyOf(material)).update(message).digest();
}

export function verifyMac(material: KeyMaterial, algorithm: MacAlgorithm, message: Uint8Array, mac: Uint8Array): boolean {
  const expected = generateMac(material, algorithm, message);
  return mac.length === expected.length && timingSafeEqual(expected, mac);
}
