// A user's sign-in credentials: the console password (login profile) and MFA devices,
// assigned with the QR code an authenticator app scans and two consecutive codes.
import {
  CreateLoginProfileCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteLoginProfileCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetLoginProfileCommand,
  ListMFADevicesCommand,
  UpdateLoginProfileCommand,
  type VirtualMFADevice,
} from '@aws-sdk/client-iam';
import { useEffect, useState, type FormEvent } from 'react';
import { useAws } from '../aws.ts';
import { Checkbox, ConfirmButton, ErrorNote, Field, formatTime, Panel } from '../components/ui.tsx';
import { useAction, useChange, useLoad } from '../hooks.ts';
import { enableRootMfa } from '../signin-api.ts';

export function ConsolePassword({ userName }: { userName: string }) {
  const { clients } = useAws();
  const profile = useLoad(async () => {
    try {
      return (await clients.iam.send(new GetLoginProfileCommand({ UserName: userName }))).LoginProfile ?? null;
    } catch (error) {
      if ((error as Error).name === 'NoSuchEntityException') return null;
      throw error;
    }
  }, [clients, userName]);
  const [password, setPassword] = useState('');
  const [resetRequired, setResetRequired] = useState(true);
  const action = useChange(profile);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = { UserName: userName, Password: password, PasswordResetRequired: resetRequired };
    const saved = await action.change(() =>
      profile.data ? clients.iam.send(new UpdateLoginProfileCommand(input)) : clients.iam.send(new CreateLoginProfileCommand(input)),
    );
    if (saved) setPassword('');
  }

  return (
    <Panel title="Console password">
      <ErrorNote error={profile.error ?? action.error} />
      {profile.data !== undefined && (
        <p>
          {profile.data
            ? `Console access enabled since ${formatTime(profile.data.CreateDate)}${profile.data.PasswordResetRequired ? '; a new password is required at next sign-in' : ''}.`
            : 'No console password: the user cannot sign in to the console.'}
        </p>
      )}
      <form className="inline-form" onSubmit={submit}>
        <Field label={profile.data ? 'New console password' : 'Console password'} type="password" value={password} onChange={setPassword} required autoComplete="new-password" />
        <Checkbox label="Require a new password at next sign-in" checked={resetRequired} onChange={setResetRequired} />
        <button type="submit" disabled={action.busy}>
          {profile.data ? 'Set password' : 'Enable console access'}
        </button>
        {profile.data && (
          <ConfirmButton
            label="Disable console access"
            onConfirm={() => action.change(() => clients.iam.send(new DeleteLoginProfileCommand({ UserName: userName })))}
          />
        )}
      </form>
    </Panel>
  );
}

/** MFA devices of a user, or of the signed-in root user when `userName` is undefined. */
export function MfaDevices({ userName }: { userName: string | undefined }) {
  const { clients } = useAws();
  const devices = useLoad(async () => (await clients.iam.send(new ListMFADevicesCommand({ UserName: userName }))).MFADevices ?? [], [clients, userName]);
  const [assigning, setAssigning] = useState(false);
  const action = useChange(devices);

  async function remove(serialNumber: string) {
    await action.change(async () => {
      await clients.iam.send(new DeactivateMFADeviceCommand({ UserName: userName, SerialNumber: serialNumber }));
      await clients.iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serialNumber }));
    });
  }

  return (
    <Panel title="Multi-factor authentication (MFA)">
      <ErrorNote error={devices.error ?? action.error} />
      {devices.data && devices.data.length === 0 && <p className="muted">No MFA device.</p>}
      {devices.data && devices.data.length > 0 && (
        <ul className="plain">
          {devices.data.map((device) => (
            <li key={device.SerialNumber}>
              <code>{device.SerialNumber}</code> enabled {formatTime(device.EnableDate)}{' '}
              <ConfirmButton label="Remove MFA device" onConfirm={() => remove(device.SerialNumber!)} />
            </li>
          ))}
        </ul>
      )}
      {assigning ? (
        <AssignMfa
          userName={userName}
          onDone={() => {
            setAssigning(false);
            devices.reload();
          }}
        />
      ) : (
        <button type="button" onClick={() => setAssigning(true)}>
          Assign virtual MFA device
        </button>
      )}
    </Panel>
  );
}

function AssignMfa({ userName, onDone }: { userName: string | undefined; onDone: () => void }) {
  const { clients, session } = useAws();
  const owner = userName ?? 'the root user';
  const [device, setDevice] = useState<VirtualMFADevice>();
  const [qrUrl, setQrUrl] = useState<string>();
  const [code1, setCode1] = useState('');
  const [code2, setCode2] = useState('');
  const action = useAction();

  useEffect(() => {
    if (!device?.QRCodePNG) return;
    const url = URL.createObjectURL(new Blob([device.QRCodePNG as BlobPart], { type: 'image/png' }));
    setQrUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [device]);

  async function create() {
    await action.run(async () => {
      const answer = await clients.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${userName ?? 'root'}-${Date.now().toString(36)}` }));
      setDevice(answer.VirtualMFADevice);
    });
  }

  async function enable(event: FormEvent) {
    event.preventDefault();
    const enabled = await action.run(() =>
      userName === undefined
        ? enableRootMfa(session, device!.SerialNumber!, code1, code2)
        : clients.iam.send(new EnableMFADeviceCommand({ UserName: userName, SerialNumber: device!.SerialNumber, AuthenticationCode1: code1, AuthenticationCode2: code2 })),
    );
    if (enabled) onDone();
  }

  if (!device) {
    return (
      <p>
        <button type="button" onClick={create} disabled={action.busy}>
          Create the device and show its QR code
        </button>
        <ErrorNote error={action.error} />
      </p>
    );
  }
  return (
    <form className="mfa-assign" onSubmit={enable}>
      <p>Scan this QR code with an authenticator app, then type two consecutive codes.</p>
      {qrUrl && <img src={qrUrl} alt={`QR code of the virtual MFA device for ${owner}`} width={200} height={200} />}
      <p className="muted">
        Or enter the key by hand: <code>{new TextDecoder().decode(device.Base32StringSeed)}</code>
      </p>
      <Field label="MFA code 1" value={code1} onChange={setCode1} required inputMode="numeric" pattern="[0-9]{6}" />
      <Field label="MFA code 2" value={code2} onChange={setCode2} required inputMode="numeric" pattern="[0-9]{6}" />
      <button type="submit" className="primary" disabled={action.busy}>
        Assign MFA
      </button>
      <ErrorNote error={action.error} />
    </form>
  );
}
