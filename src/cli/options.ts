// `bulwark start` options: each is a flag and a BULWARK_* environment variable, the
// flag winning. One table drives parsing, validation and --help.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogLevel } from '../lib/log.ts';
import type { IamMode } from '../server/authorize.ts';
import type { AuthMode, Settings } from '../server/settings.ts';

interface OptionSpec {
  flag: string;
  env: string;
  help: string;
  /** Turns the raw text into the setting, or throws with a message naming the problem. */
  read(text: string): unknown;
}

export class UsageError extends Error {}

const AUTH_MODES: readonly AuthMode[] = ['permissive', 'strict'];
const IAM_MODES: readonly IamMode[] = ['enforce', 'soft', 'off'];

function oneOf<T extends string>(name: string, allowed: readonly T[]) {
  return (text: string): T => {
    if (!(allowed as readonly string[]).includes(text)) {
      throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got '${text}')`);
    }
    return text as T;
  };
}

function port(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new UsageError(`--port must be a number from 0 to 65535 (got '${text}')`);
  return n;
}

function accountId(text: string): string {
  if (!/^\d{12}$/.test(text)) throw new UsageError(`--account-id must be 12 digits (got '${text}')`);
  return text;
}

function region(text: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(text)) throw new UsageError(`--region must look like us-east-1 (got '${text}')`);
  return text;
}

function positiveInteger(flag: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value <= 0) throw new UsageError(`--${flag} must be a positive whole number (got '${text}')`);
    return value;
  };
}

function storeUrl(text: string): string {
  if (text === 'memory:' || /^sqlite:.+/.test(text) || /^postgres(ql)?:\/\/./.test(text)) return text;
  throw new UsageError(`--store must be sqlite:PATH or memory:, or a postgres://USER:PASSWORD@HOST/DATABASE URL (got '${text}')`);
}

const SPECS: Record<keyof Settings, OptionSpec> = {
  port: { flag: 'port', env: 'BULWARK_PORT', help: 'port to listen on (default 4566)', read: port },
  host: {
    flag: 'host',
    env: 'BULWARK_HOST',
    help: 'interface to listen on (default 127.0.0.1; 0.0.0.0 exposes Bulwark to the network)',
    read: (t) => t,
  },
  dataDir: { flag: 'data-dir', env: 'BULWARK_DATA_DIR', help: 'state directory (default ./.bulwark)', read: (t) => resolve(t) },
  store: {
    flag: 'store',
    env: 'BULWARK_STORE',
    help: 'sqlite:PATH, memory: or postgres://USER:PASSWORD@HOST/DATABASE (default sqlite:DATA_DIR/bulwark.db)',
    read: storeUrl,
  },
  region: { flag: 'region', env: 'BULWARK_REGION', help: 'default region (default us-east-1)', read: region },
  accountId: {
    flag: 'account-id',
    env: 'BULWARK_ACCOUNT_ID',
    help: 'default account id (default 123456789012)',
    read: accountId,
  },
  auth: {
    flag: 'auth',
    env: 'BULWARK_AUTH',
    help: 'permissive: unknown access keys act as the root user; strict: they are rejected (default permissive)',
    read: oneOf('auth', AUTH_MODES),
  },
  iamMode: {
    flag: 'iam-mode',
    env: 'BULWARK_IAM_MODE',
    help: 'enforce: IAM denials are errors; soft: they are logged and let through; off: no authorization (default enforce)',
    read: oneOf('iam-mode', IAM_MODES),
  },
  cloudTrailRecording: {
    flag: 'cloudtrail-recording',
    env: 'BULWARK_CLOUDTRAIL_RECORDING',
    help: 'on: every call becomes a CloudTrail event (LookupEvents, trails); off: no call is recorded (default on)',
    read: (text) => oneOf('cloudtrail-recording', ['on', 'off'] as const)(text) === 'on',
  },
  cloudTrailDeliveryMs: {
    flag: 'cloudtrail-delivery-ms',
    env: 'BULWARK_CLOUDTRAIL_DELIVERY_MS',
    help: 'how often logging trails deliver log files, in milliseconds (default 5000)',
    read: positiveInteger('cloudtrail-delivery-ms'),
  },
  kmsAttestationRoots: {
    flag: 'kms-attestation-roots',
    env: 'BULWARK_KMS_ATTESTATION_ROOTS',
    help: "a PEM file of roots KMS trusts for Nitro Enclaves attestation documents besides AWS's (default none)",
    read: (t) => resolve(t),
  },
  logLevel: {
    flag: 'log-level',
    env: 'BULWARK_LOG_LEVEL',
    help: `one of ${LOG_LEVELS.join(', ')} (default info)`,
    read: oneOf<LogLevel>('log-level', LOG_LEVELS),
  },
};

const DEFAULTS = {
  port: 4566,
  host: '127.0.0.1',
  dataDir: resolve('.bulwark'),
  region: 'us-east-1',
  accountId: '123456789012',
  auth: 'permissive',
  iamMode: 'enforce',
  cloudTrailRecording: true,
  cloudTrailDeliveryMs: 5000,
  logLevel: 'info',
} as const;

/** Settings from flags, then BULWARK_* variables, then defaults. Throws UsageError. */
export function readSettings(args: string[], env: NodeJS.ProcessEnv): Settings {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: Object.fromEntries(Object.values(SPECS).map((s) => [s.flag, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values: Partial<Record<keyof Settings, unknown>> = {};
  for (const [key, spec] of Object.entries(SPECS) as [keyof Settings, OptionSpec][]) {
    const text = (parsed.values[spec.flag] as string | undefined) ?? env[spec.env];
    if (text !== undefined && text !== '') values[key] = spec.read(text);
  }
  const dataDir = (values.dataDir as string | undefined) ?? DEFAULTS.dataDir;
  return {
    ...DEFAULTS,
    ...values,
    dataDir,
    store: (values.store as string | undefined) ?? `sqlite:${join(dataDir, 'bulwark.db')}`,
  } as Settings;
}

export function optionsHelp(): string {
  return Object.values(SPECS)
    .map((s) => `  --${s.flag.padEnd(12)} ${s.env.padEnd(19)} ${s.help}`)
    .join('\n');
}
