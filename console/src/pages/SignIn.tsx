// Sign-in: account id or alias, IAM user name (or the root user) and password; then
// the MFA code when the user has a device; then a new password when the old one has
// expired or must be reset.
import { useState, type FormEvent } from 'react';
import { Checkbox, ErrorNote, Field, Notice } from '../components/ui.tsx';
import type { Session } from '../session.ts';
import { signIn } from '../signin-api.ts';

type Step = 'password' | 'mfa' | 'new-password';

export function SignIn({ onSignedIn, notice }: { onSignedIn: (session: Session) => void; notice?: string }) {
  const [account, setAccount] = useState('');
  const [root, setRoot] = useState(false);
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [mfaCode, setMfaCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmPassword, setConfirmPassword] = useState('');
  const [step, setStep] = useState<Step>('password');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (step === 'new-password' && newPassword !== confirmPassword) {
      setError('The new passwords do not match.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await signIn({
        account: account.trim(),
        ...(root ? { root: true } : { userName: userName.trim() }),
        password,
        ...(step !== 'password' && mfaCode ? { mfaCode } : {}),
        ...(step === 'new-password' ? { newPassword } : {}),
      });
      switch (outcome.status) {
        case 'SignedIn':
          onSignedIn(outcome.session);
          return;
        case 'MfaRequired':
          setStep('mfa');
          return;
        case 'PasswordChangeRequired':
          setStep('new-password');
          return;
        case 'Failed':
          // A refused new password is chosen again; any other failure starts over (a code is used once).
          setError(outcome.message);
          if (outcome.refusedNewPassword) return;
          setMfaCode('');
          if (step === 'mfa') return;
          setPassword('');
          setStep('password');
          return;
      }
    } catch (failure) {
      setError(`Could not reach Bulwark: ${(failure as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form className="signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Bulwark</h1>
        {notice && !error && <Notice>{notice}</Notice>}
        <ErrorNote error={error} />
        {step === 'password' && (
          <>
            <Field label="Account ID or alias" value={account} onChange={setAccount} required autoFocus autoComplete="organization" />
            <Checkbox label="Sign in as the root user" checked={root} onChange={setRoot} />
            {!root && <Field label="IAM user name" value={userName} onChange={setUserName} required autoComplete="username" />}
            <Field label="Password" type="password" value={password} onChange={setPassword} required autoComplete="current-password" />
          </>
        )}
        {step !== 'password' && (
          <p className="muted">
            {root ? 'root' : userName} @ {account}
          </p>
        )}
        {(step === 'mfa' || (step === 'new-password' && mfaCode)) && (
          <Field
            label="MFA code"
            value={mfaCode}
            onChange={setMfaCode}
            required
            autoFocus
            inputMode="numeric"
            pattern="[0-9]{6}"
            autoComplete="one-time-code"
            hint="The 6-digit code your authenticator app shows now."
          />
        )}
        {step === 'new-password' && (
          <>
            <Notice>Your password has expired or must be reset. Choose a new one to continue.</Notice>
            <Field label="New password" type="password" value={newPassword} onChange={setNewPassword} required autoFocus autoComplete="new-password" />
            <Field label="Confirm new password" type="password" value={confirmPassword} onChange={setConfirmPassword} required autoComplete="new-password" />
          </>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : step === 'new-password' ? 'Change password and sign in' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
