// KMS symmetric Encrypt and Decrypt over HTTP, on a real `bulwark start` process:
//   throughput  signed kms:Encrypt and kms:Decrypt of 1 KiB (with an encryption
//               context), alternating, 50 connections                 target >= 3,000 calls/s
//   latency     p99 of the same                                       target < 20 ms
// Each request is authenticated, authorized against the key policy and encrypted or
// decrypted with AES-256-GCM, so this is the full path a client's call takes.
import type { Agent } from 'node:http';
import { CreateKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { Benchmark, BenchResult } from './run.ts';
import { percentile, ROOT_KEY, send, startRootKeyServer, type Credentials, type SignedRequest } from './support.ts';

const CONNECTIONS = 50;
const DURATION_MS = 5_000;
const WARMUP_MS = 1_000;
const PLAINTEXT = Buffer.alloc(1024, 7);
const ENCRYPTION_CONTEXT = { purpose: 'bench' };

/** An awsJson1_1 KMS request, signed once. */
async function signedKmsJson(port: number, credentials: Credentials, operation: string, input: object): Promise<SignedRequest> {
  const body = JSON.stringify(input);
  const signer = new SignatureV4({ service: 'kms', region: 'us-east-1', credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
    path: '/',
    headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}` },
    body,
  });
  return { headers: signed.headers, body };
}

/** Like support.ts's `load`, but each connection alternates between `calls` (Encrypt, Decrypt, ...). */
async function alternatingLoad(agent: Agent, port: number, calls: SignedRequest[], connections: number, durationMs: number) {
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + durationMs;
  const worker = async (first: number) => {
    for (let i = first; performance.now() < deadline; i++) {
      const t0 = performance.now();
      const status = await send(agent, port, calls[i % calls.length]!);
      latencies.push(performance.now() - t0);
      if (status !== 200) failures++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, (_, n) => worker(n)));
  return { latencies, failures, seconds: (performance.now() - started) / 1000 };
}

async function run(): Promise<BenchResult[]> {
  const server = await startRootKeyServer(CONNECTIONS);
  const { bulwark, agent } = server;
  try {
    const client = new KMSClient({ endpoint: `http://127.0.0.1:${bulwark.port}`, region: 'us-east-1', credentials: ROOT_KEY });
    const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: PLAINTEXT, EncryptionContext: ENCRYPTION_CONTEXT }));
    client.destroy();
    const calls = [
      await signedKmsJson(bulwark.port, ROOT_KEY, 'Encrypt', { KeyId: keyId, Plaintext: PLAINTEXT.toString('base64'), EncryptionContext: ENCRYPTION_CONTEXT }),
      await signedKmsJson(bulwark.port, ROOT_KEY, 'Decrypt', {
        KeyId: keyId,
        CiphertextBlob: Buffer.from(CiphertextBlob!).toString('base64'),
        EncryptionContext: ENCRYPTION_CONTEXT,
      }),
    ];
    await alternatingLoad(agent, bulwark.port, calls, CONNECTIONS, WARMUP_MS);
    const { latencies, failures, seconds } = await alternatingLoad(agent, bulwark.port, calls, CONNECTIONS, DURATION_MS);
    if (failures > 0) throw new Error(`${failures} requests failed`);
    latencies.sort((a, b) => a - b);
    const p99 = percentile(latencies, 0.99);
    console.error(`kms: Encrypt+Decrypt latency p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`);
    return [
      { bench: 'kms.encrypt_decrypt.throughput', value: Math.round(latencies.length / seconds), unit: 'calls/s', target: 3000 },
      { bench: 'kms.encrypt_decrypt.p99', value: Math.round(p99 * 100) / 100, unit: 'ms', target: 20 },
    ];
  } finally {
    await server.stop();
  }
}

const benchmark: Benchmark = { run };
export default benchmark;
