// One API call as it happened: who called what, with which input, what came back, and
// how it was authorized. The pipeline publishes one for every call that reached a
// service (allowed, failed or denied); CloudTrail, Config, detectors and metrics are
// built from these.
import type { Principal } from '../auth/principal.ts';
import type { Decision } from '../policy/index.ts';

export interface CallAuthorization {
  action: string;
  resource: string;
  decision: Decision;
  /** False when --iam-mode soft let a denied call through. */
  enforced: boolean;
}

export interface CallEvent {
  requestId: string;
  eventTime: Date;
  /** Bulwark's model name ('iam', 'kms', ...). */
  service: string;
  /** e.g. 'iam.amazonaws.com'. */
  eventSource: string;
  /** Absent when the request named no operation the model has. */
  operation?: string;
  region: string;
  /** Absent when authentication failed before the caller was known. */
  principal?: Principal;
  accessKeyId?: string;
  /** The caller's credentials were temporary (a session token came with them). */
  sessionCredentials: boolean;
  /** Those temporary credentials were issued after an MFA check (GetSessionToken with a code, a console sign-in with MFA). */
  mfaAuthenticated?: boolean;
  sourceIp?: string;
  userAgent?: string;
  /** The operation's input as parsed (typed values); absent when it could not be parsed. */
  input?: Record<string, unknown>;
  /** The handler's output; absent on errors. */
  output?: unknown;
  error?: { code: string; message: string };
  status: number;
  authorization: CallAuthorization[];
  /** Set for a console sign-in (signin.amazonaws.com's ConsoleLogin), which is no API call. */
  consoleSignIn?: ConsoleSignIn;
}

export interface ConsoleSignIn {
  /** The account signed in to (or tried), also when the user named does not exist. */
  accountId: string;
  success: boolean;
  mfaUsed: boolean;
  /** The page the sign-in led to (CloudTrail's additionalEventData.LoginTo). */
  loginTo: string;
}
