// What a service provides to the server: its model, the handlers of the operations it
// implements, and which of them may be called without credentials. Parsing, signature
// checks, validation and serialization happen before and after, in the server.
import type { Principal } from '../auth/principal.ts';
import type { Clock } from '../lib/clock.ts';
import type { ModelName } from '../protocol/model-names.ts';
import type { Store } from '../store/store.ts';
import type { AccessDeclaration } from './authorization.ts';
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../lib/log.ts';

export interface RequestContext {
  requestId: string;
  /** The caller; anonymous only for operations a service lists as such. */
  principal: Principal;
  /** The access key id the request was signed with, if any. */
  accessKeyId: string | undefined;
  /** The region from the request's credential scope, else Bulwark's default region. */
  region: string;
  /** Bulwark's time when the request arrived. */
  now: Date;
  clock: Clock;
  store: Store;
  /** Bulwark's default account (the one an unknown access key acts in). */
  defaultAccountId: string;
  /** The client's IP address (aws:SourceIp). */
  sourceIp: string | undefined;
}

// Handlers receive input already validated against the model; the generated types in
// src/protocol/types/ describe it, and each service narrows this signature with them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OperationHandler = (input: any, context: RequestContext) => unknown | Promise<unknown>;

export interface ServiceDefinition {
  model: ModelName;
  handlers: Record<string, OperationHandler>;
  /** For every operation with a handler: what it needs to be allowed (see authorization.ts). */
  access: Record<string, AccessDeclaration>;
  /** Operations AWS answers without a signature (e.g. sts:AssumeRoleWithWebIdentity). */
  anonymousOperations?: ReadonlySet<string>;
  /** Called once when the server starts: subscribe to call events, start timers. */
  start?(runtime: ServiceRuntime): void | Promise<void>;
  /** Called once when the server stops, before the store closes. */
  stop?(): void | Promise<void>;
}

/** What a service may use outside a request. */
export interface ServiceRuntime {
  store: Store;
  clock: Clock;
  events: EventBus;
  logger: Logger;
  defaultAccountId: string;
  defaultRegion: string;
  dataDir: string;
  /** Whether CloudTrail records every call (--cloudtrail-recording). */
  cloudTrailRecording: boolean;
  /** How often logging trails deliver, in ms (--cloudtrail-delivery-ms). */
  cloudTrailDeliveryMs: number;
  /** Extra Nitro Enclaves attestation roots for KMS, a PEM file (--kms-attestation-roots). */
  kmsAttestationRoots?: string;
}
