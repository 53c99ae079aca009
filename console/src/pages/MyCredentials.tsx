// The signed-in principal's own security credentials (AWS's "Security credentials"
// page): an IAM user changes its password and manages its own access keys and MFA; the
// root user assigns its MFA device and manages (deletes) its access keys.
import { ChangePasswordCommand } from '@aws-sdk/client-iam';
import { useState, type FormEvent } from 'react';
import { useAws } from '../aws.ts';
import { ErrorNote, Field, Notice, Page, Panel } from '../components/ui.tsx';
import { useAction } from '../hooks.ts';
import { displayName } from '../session.ts';
import { MfaDevices } from './UserCredentials.tsx';
import { AccessKeys } from './UserDetail.tsx';

export function MyCredentials() {
  const { session } = useAws();
  const { identity } = session;
  const self = identity.type === 'Root' ? undefined : identity.userName;
  return (
    <Page title="My security credentials">
      <p className="muted">
        Signed in as {displayName(identity)} (<code>{identity.arn}</code>).
      </p>
      {identity.type === 'IAMUser' && <ChangeOwnPassword />}
      <MfaDevices userName={self} />
      <AccessKeys userName={self} />
    </Page>
  );
}

function ChangeOwnPassword() {
  const { clients } = useAws();
  const [oldPassword, setOldPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(false);
    const changed = await action.run(async () => {
      if (newPassword !== confirm) throw new Error('The new passwords do not match.');
      await clients.iam.send(new ChangePasswordCommand({ OldPassword: oldPassword, NewPassword: newPassword }));
    });
    if (changed) {
      setOldPassword('');
      setNewPassword('');
      setConfirm('');
      setDone(true);
    }
  }

  return (
    <Panel title="Console password">
      {done && <Notice>Your password is changed.</Notice>}
      <form className="inline-form" onSubmit={submit}>
        <Field label="Current password" type="password" value={oldPassword} onChange={setOldPassword} required autoComplete="current-password" />
        <Field label="New password" type="password" value={newPassword} onChange={setNewPassword} required autoComplete="new-password" />
        <Field label="Confirm new password" type="password" value={confirm} onChange={setConfirm} required autoComplete="new-password" />
        <button type="submit" disabled={action.busy}>
          Change password
        </button>
      </form>
      <ErrorNote error={action.error} />
    </Panel>
  );
}
