// Shared by the KMS crypto tests: key material generated once per spec and process,
// and python3's `cryptography` package as an independent implementation when present.

import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyMaterial, type KeyMaterial, type KeySpec } from '../../../../src/services/kms/crypto/index.ts';

const materials = new Map<string, Promise<KeyMaterial>>();

/** One material per key spec (and label) for the whole test file: RSA generation is slow. */
export function materialFor(keySpec: KeySpec, label = ''): Promise<KeyMaterial> {
  const key = `${keySpec}/${label}`;
  let material = materials.get(key);
  if (!material) {
    material = generateKeyMaterial(keySpec);
    materials.set(key, material);
  }
  return material;
}

export const pythonCryptography: boolean =
  spawnSync('python3', ['-c', 'import cryptography'], { stdio: 'ignore' }).status === 0;

/** Runs a python3 script with JSON on stdin (byte strings as hex) and returns its JSON output. */
export function runPython<T>(script: string, input: unknown): T {
  const output = execFileSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  return JSON.parse(output) as T;
}
