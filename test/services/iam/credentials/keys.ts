// Real keys and certificates for the tests, made by ssh-keygen and openssl (both on
// the machine), so the parsing under test is checked against independent tools.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function inTempDir<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-credentials-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface SshKey {
  openSsh: string;
  /** The same key as a PEM (SPKI) public key (ssh-keygen exports RSA and ECDSA keys only). */
  pem: string | undefined;
  /** ssh-keygen's MD5 fingerprint, without its "MD5:" prefix. */
  md5: string;
}

export function sshKey(type: 'rsa' | 'ed25519' | 'ecdsa', bits?: number): SshKey {
  return inTempDir((dir) => {
    const file = join(dir, 'key');
    execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-C', 'test@bulwark', '-f', file]);
    const openSsh = readFileSync(`${file}.pub`, 'utf8').trim();
    const pem = type === 'ed25519' ? undefined : execFileSync('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', `${file}.pub`], { encoding: 'utf8' });
    const listing = execFileSync('ssh-keygen', ['-l', '-E', 'md5', '-f', `${file}.pub`], { encoding: 'utf8' });
    return { openSsh, pem, md5: /MD5:([0-9a-f:]+)/.exec(listing)![1] };
  });
}

export interface Certificate {
  cert: string;
  key: string;
}

/** A self-signed certificate valid from now for `days`, with its private key. */
export function selfSigned(name: string, days = 365, keyType: 'rsa' | 'ec' = 'rsa'): Certificate {
  const newKey = keyType === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  return inTempDir((dir) => {
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', ...newKey, '-nodes', '-keyout', keyFile, '-out', certFile, '-days', String(days), '-subj', `/CN=${name}`], {
      stdio: 'ignore',
    });
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  });
}
