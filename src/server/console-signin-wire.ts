// The JSON of the console's sign-in endpoint, the one contract between the server
// (console-signin.ts) and the browser console (console/src/signin-api.ts, session.ts).
// Types only and no imports, so the console's own build can read it.

export interface SignInRequest {
  account: string;
  /** Absent with `root`. */
  userName?: string;
  root?: boolean;
  password: string;
  mfaCode?: string;
  newPassword?: string;
}

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
}

export interface SignedInIdentity {
  type: 'Root' | 'IAMUser';
  accountId: string;
  arn: string;
  userName?: string;
}

/** What a successful sign-in answers (with status 'SignedIn'), and what the console keeps. */
export interface SignedInSession {
  credentials: SessionCredentials;
  identity: SignedInIdentity;
  region: string;
  mfaUsed: boolean;
}
