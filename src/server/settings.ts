// The settings a Bulwark server runs with. Each is a `bulwark start` flag and a
// BULWARK_* environment variable (src/cli/options.ts); health shows those in force.
import type { LogLevel } from '../lib/log.ts';
import type { IamMode } from './authorize.ts';

export type AuthMode = 'permissive' | 'strict';

export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  /** `sqlite:PATH` or `memory:`. */
  store: string;
  region: string;
  accountId: string;
  auth: AuthMode;
  /** enforce: denials are errors; soft: denials are logged and let through; off: no authorization. */
  iamMode: IamMode;
  /** Record every call as a CloudTrail event (LookupEvents, trail delivery). */
  cloudTrailRecording: boolean;
  /** How often logging trails deliver their log files, in milliseconds. */
  cloudTrailDeliveryMs: number;
  /** A PEM file of extra roots KMS trusts for Nitro Enclaves attestation documents (AWS's root is built in). */
  kmsAttestationRoots?: string;
  logLevel: LogLevel;
}
