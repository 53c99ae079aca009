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
import { collectPages, useAws } from '../aws.ts';
import { DataTable, Listing, type Column } from '../components/DataTable.tsx';
import { ConfirmButton, ErrorNote, Field, formatTime, Page, Panel, Select } from '../components/ui.tsx';
import { href, useAction, useChange, useLoad } from '../hooks.ts';

const SPECS: { value: string; label: string; usage: KeyUsageType }[] = [
  { value: 'SYMMETRIC_DEFAULT', label: 'Symmetric (encrypt and decrypt)', usage: 'ENCRYPT_DECRYPT' },
  { value: 'RSA_2048', label: 'RSA 2048 (sign and verify)', usage: 'SIGN_VERIFY' },
  { value: 'ECC_NIST_P256', label: 'ECC P-256 (sign and verify)', usage: 'SIGN_VERIFY' },
  { value: 'HMAC_256', label: 'HMAC 256 (generate and verify MAC)', usage: 'GENERATE_VERIFY_MAC' },
];

interface KeyRow {
  metadata: KeyMetadata;
  aliases: string[];
}

const KEY_COLUMNS: Column<KeyRow>[] = [
  {
    header: 'Key ID',
    cell: ({ metadata: key }) => (
      <>
        <a href={href('kms', key.KeyId!)}>
          <code>{key.KeyId}</code>
        </a>
        {key.Description && <div className="muted">{key.Description}</div>}
      </>
    ),
  },
  { header: 'Aliases', cell: ({ aliases }) => aliases.join(', ') || '—' },
  { header: 'Spec', cell: ({ metadata }) => metadata.KeySpec },
  {
    header: 'State',
    cell: ({ metadata: key }) => (
      <>
        {key.KeyState}
        {key.DeletionDate && <div className="muted">deleted {formatTime(key.DeletionDate)}</div>}
      </>
    ),
  },
  { header: 'Manager', cell: ({ metadata }) => metadata.KeyManager },
  { header: 'Created', cell: ({ metadata }) => formatTime(metadata.CreationDate) },
];

export function KmsKeys() {
  const { clients } = useAws();
  const keys = useLoad(async () => {
    const aliases = new Map<string, string[]>();
    for (const alias of await collectPages(paginateListAliases({ client: clients.kms }, {}), (page) => page.Aliases)) {
      if (alias.TargetKeyId) aliases.set(alias.TargetKeyId, [...(aliases.get(alias.TargetKeyId) ?? []), alias.AliasName!]);
    }
    const rows: KeyRow[] = [];
    for (const key of await collectPages(paginateListKeys({ client: clients.kms }, {}), (page) => page.Keys)) {
      const { KeyMetadata } = await clients.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
      rows.push({ metadata: KeyMetadata!, aliases: aliases.get(key.KeyId!) ?? [] });
    }
    return rows;
  }, [clients]);
  const action = useChange(keys);

  return (
    <Page title="KMS keys">
      <CreateKey onCreated={keys.reload} />
      <Panel title="Keys">
        <ErrorNote error={action.error} />
        <Listing state={keys} what="keys" empty="No keys in this region.">
          {(rows) => (
            <DataTable
              rows={rows}
              rowKey={(row) => row.metadata.KeyId!}
              columns={KEY_COLUMNS}
              actions={({ metadata: key }) =>
                key.KeyManager === 'CUSTOMER' && (
                  <>
                    {key.KeyState === 'Enabled' && (
                      <button type="button" onClick={() => action.change(() => clients.kms.send(new DisableKeyCommand({ KeyId: key.KeyId })))}>
                        Disable
                      </button>
                    )}
                    {key.KeyState === 'Disabled' && (
                      <button type="button" onClick={() => action.change(() => clients.kms.send(new EnableKeyCommand({ KeyId: key.KeyId })))}>
                        Enable
                      </button>
                    )}
                    {key.KeyState === 'PendingDeletion' ? (
                      <button type="button" onClick={() => action.change(() => clients.kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId })))}>
                        Cancel deletion
                      </button>
                    ) : (
                      <ConfirmButton
                        label="Schedule deletion (30 days)"
                        onConfirm={() => action.change(() => clients.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 30 })))}
                      />
                    )}
                  </>
                )
              }
            />
          )}
        </Listing>
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
