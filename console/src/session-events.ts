// When the server stops honouring the session's credentials (they expired, or the
// session was signed out elsewhere), every page's call fails the same way: the console
// then forgets the session and shows the sign-in page again.
const ENDED = 'bulwark:session-ended';
const ENDED_ERRORS = new Set(['ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException']);

/** Says the session ended when `error` is AWS's answer to dead credentials. */
export function noteSessionError(error: unknown): void {
  if (error instanceof Error && ENDED_ERRORS.has(error.name)) window.dispatchEvent(new Event(ENDED));
}

export function onSessionEnded(listener: () => void): () => void {
  window.addEventListener(ENDED, listener);
  return () => window.removeEventListener(ENDED, listener);
}
