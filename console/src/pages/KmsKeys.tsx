// KMS keys of the session's region: the list with aliases, state and spec; create a
// key; enable, disable, schedule deletion (7–30 days) and cancel it.
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  paginateListAliases,
  paginateListKeys,
  ScheduleKeyDeletionCommand,
  type KeyMetadata,
  type KeySpec,
  type KeyUsageType,
} from '@aws-sdk/client-kms';
import { useState, type FormEvent } from 'react';
import { useAws } from '../aws.ts';
import { ConfirmButton, ErrorNote, Field, formatTime, Loading, Page, Panel, Select } from '../components/ui.tsx';
import { useAction, useLoad } from '../hooks.ts';

const SPECS: { value: string; label: string; usage: KeyUsageType }[] = [
  { value: 'SYMMETRIC_DEFAULT', label: 'Symmetric (encrypt and decrypt)', usage: 'ENCRYPT_DECRYPT' },
  { value: 'RSA_2048', label: 'RSA 2048 (sign and verify)', usage: 'SIGN_VERIFY' },
  { value: 'ECC_NIST_P256', label: 'ECC P-256 (sign and verify)', usage: 'SIGN_VERIFY' },
  { value: 'HMAC_256', label: 'HMAC 256 (generate and verify MAC)', usage: 'GENERATE_VERIFY_MAC' },
];

export function KmsKeys() {
  const { clients } = useAws();
  const keys = useLoad(async () => {
    const aliases = new Map<string, string[]>();
    for await (const page of paginateListAliases({ client: clients.kms }, {})) {
      for (const alias of page.Aliases ?? []) if (alias.TargetKeyId) aliases.set(alias.TargetKeyId, [...(aliases.get(alias.TargetKeyId) ?? []), alias.AliasName!]);
    }
    const all: { metadata: KeyMetadata; aliases: string[] }[] = [];
    for await (const page of paginateListKeys({ client: clients.kms }, {})) {
      for (const key of page.Keys ?? []) {
        const { KeyMetadata } = await clients.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
        all.push({ metadata: KeyMetadata!, aliases: aliases.get(key.KeyId!) ?? [] });
      }
    }
    return all;
  }, [clients]);
  const action = useAction();
  const change = async (work: () => Promise<unknown>) => {
    if (await action.run(work)) keys.reload();
  };

  return (
    <Page title="KMS keys">
      <CreateKey onCreated={keys.reload} />
      <Panel title="Keys">
        <ErrorNote error={keys.error ?? action.error} />
        {keys.loading && !keys.data && <Loading what="keys" />}
        {keys.data && keys.data.length === 0 && <p className="muted">No keys in this region.</p>}
        {keys.data && keys.data.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">Key ID</th>
                <th scope="col">Aliases</th>
                <th scope="col">Spec</th>
                <th scope="col">State</th>
                <th scope="col">Manager</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map(({ metadata: key, aliases }) => (
                <tr key={key.KeyId}>
                  <td>
                    <code>{key.KeyId}</code>
                    {key.Description && <div className="muted">{key.Description}</div>}
                  </td>
                  <td>{aliases.join(', ') || '—'}</td>
                  <td>{key.KeySpec}</td>
                  <td>
                    {key.KeyState}
                    {key.DeletionDate && <div className="muted">deleted {formatTime(key.DeletionDate)}</div>}
                  </td>
                  <td>{key.KeyManager}</td>
                  <td>{formatTime(key.CreationDate)}</td>
                  <td className="actions">
                    {key.KeyManager === 'CUSTOMER' && key.KeyState === 'Enabled' && (
                      <button type="button" onClick={() => change(() => clients.kms.send(new DisableKeyCommand({ KeyId: key.KeyId })))}>
                        Disable
                      </button>
                    )}
                    {key.KeyManager === 'CUSTOMER' && key.KeyState === 'Disabled' && (
                      <button type="button" onClick={() => change(() => clients.kms.send(new EnableKeyCommand({ KeyId: key.KeyId })))}>
                        Enable
                      </button>
                    )}
                    {key.KeyManager === 'CUSTOMER' && key.KeyState === 'PendingDeletion' && (
                      <button type="button" onClick={() => change(() => clients.kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId })))}>
                        Cancel deletion
                      </button>
                    )}
                    {key.KeyManager === 'CUSTOMER' && key.KeyState !== 'PendingDeletion' && (
                      <ConfirmButton
                        label="Schedule deletion (30 days)"
                        onConfirm={() => change(() => clients.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 30 })))}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </Page>
  );
}

function CreateKey({ onCreated }: { onCreated: () => void }) {
  const { clients } = useAws();
  const [spec, setSpec] = useState(SPECS[0].value);
  const [description, setDescription] = useState('');
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const chosen = SPECS.find((s) => s.value === spec)!;
    const created = await action.run(() =>
      clients.kms.send(new CreateKeyCommand({ KeySpec: chosen.value as KeySpec, KeyUsage: chosen.usage, ...(description.trim() ? { Description: description.trim() } : {}) })),
    );
    if (created) {
      setDescription('');
      onCreated();
    }
  }

  return (
    <Panel title="Create key">
      <form className="inline-form" onSubmit={submit}>
        <Select label="Key spec" value={spec} onChange={setSpec} options={SPECS} />
        <Field label="Description (optional)" value={description} onChange={setDescription} />
        <button type="submit" className="primary" disabled={action.busy}>
          Create key
        </button>
      </form>
      <ErrorNote error={action.error} />
    </Panel>
  );
}
