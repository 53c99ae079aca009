// The signed-in session: temporary credentials and who they belong to. Kept in
// sessionStorage (this tab only, gone when it closes), never in a cookie or a URL.
import type { SignedInIdentity, SignedInSession } from '../../src/server/console-signin-wire.ts';

export type Identity = SignedInIdentity;
export type Session = SignedInSession;

const KEY = 'bulwark.console.session';

export function loadSession(): Session | undefined {
  const text = sessionStorage.getItem(KEY);
  if (!text) return undefined;
  try {
    const session = JSON.parse(text) as Session;
    if (Date.parse(session.credentials.expiration) > Date.now()) return session;
  } catch {
    // not ours, or damaged: sign in again
  }
  sessionStorage.removeItem(KEY);
  return undefined;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** How the signed-in principal is shown: "alice @ 123456789012" or "root @ 123456789012". */
export function displayName(identity: Identity): string {
  return `${identity.type === 'Root' ? 'root' : identity.userName} @ ${identity.accountId}`;
}
