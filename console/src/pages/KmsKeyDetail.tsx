// One KMS key: its metadata, key policy (edited as JSON; KMS checks it on save),
// aliases (create, delete) and automatic rotation of symmetric keys.
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import { useEffect, useState, type FormEvent } from 'react';
import { useAws } from '../aws.ts';
import { prettyJson } from '../components/EntityPolicies.tsx';
import { PolicyEditor } from '../components/PolicyEditor.tsx';
import { ConfirmButton, ErrorNote, Field, formatTime, Page, Panel } from '../components/ui.tsx';
import { href, useChange, useLoad } from '../hooks.ts';

export function KmsKeyDetail({ keyId }: { keyId: string }) {
  const { clients } = useAws();
  const key = useLoad(async () => {
    const { KeyMetadata } = await clients.kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    const [policy, aliases, rotation] = await Promise.all([
      clients.kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' })),
      clients.kms.send(new ListAliasesCommand({ KeyId: keyId })),
      KeyMetadata?.KeySpec === 'SYMMETRIC_DEFAULT' ? clients.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId })) : undefined,
    ]);
    return { metadata: KeyMetadata!, policy: prettyJson(policy.Policy ?? ''), aliases: aliases.Aliases ?? [], rotation };
  }, [clients, keyId]);
  const [policy, setPolicy] = useState('');
  const [alias, setAlias] = useState('alias/');
  const action = useChange(key);
  useEffect(() => {
    if (key.data) setPolicy(key.data.policy);
  }, [key.data]);
  const change = (work: () => Promise<unknown>, clear?: () => void) => async (event?: FormEvent) => {
    event?.preventDefault();
    if (await action.change(work)) clear?.();
  };

  const metadata = key.data?.metadata;
  return (
    <Page title={`KMS key ${keyId}`} actions={<a href={href('kms')}>All keys</a>}>
      <ErrorNote error={key.error ?? action.error} />
      {metadata && (
        <dl className="facts">
          <dt>ARN</dt>
          <dd>
            <code>{metadata.Arn}</code>
          </dd>
          <dt>Spec and usage</dt>
          <dd>
            {metadata.KeySpec}, {metadata.KeyUsage}
          </dd>
          <dt>State</dt>
          <dd>{metadata.KeyState}</dd>
          <dt>Created</dt>
          <dd>{formatTime(metadata.CreationDate)}</dd>
          {metadata.Description && (
            <>
              <dt>Description</dt>
              <dd>{metadata.Description}</dd>
            </>
          )}
        </dl>
      )}
      {key.data && (
        <>
          <Panel title="Aliases">
            <ul className="plain">
              {key.data.aliases.map((a) => (
                <li key={a.AliasName} className="row">
                  <code>{a.AliasName}</code>
                  <ConfirmButton label={`Delete ${a.AliasName}`} onConfirm={change(() => clients.kms.send(new DeleteAliasCommand({ AliasName: a.AliasName })))} />
                </li>
              ))}
            </ul>
            <form className="inline-form" onSubmit={change(() => clients.kms.send(new CreateAliasCommand({ AliasName: alias.trim(), TargetKeyId: keyId })), () => setAlias('alias/'))}>
              <Field label="New alias" value={alias} onChange={setAlias} required />
              <button type="submit" disabled={action.busy}>
                Create alias
              </button>
            </form>
          </Panel>
          {key.data.rotation && (
            <Panel title="Automatic rotation">
              <p>
                {key.data.rotation.KeyRotationEnabled
                  ? `On: every ${key.data.rotation.RotationPeriodInDays ?? 365} days${key.data.rotation.NextRotationDate ? `, next ${formatTime(key.data.rotation.NextRotationDate)}` : ''}.`
                  : 'Off.'}
              </p>
              <button
                type="button"
                disabled={action.busy}
                onClick={() =>
                  change(() =>
                    clients.kms.send(key.data!.rotation!.KeyRotationEnabled ? new DisableKeyRotationCommand({ KeyId: keyId }) : new EnableKeyRotationCommand({ KeyId: keyId })),
                  )()
                }
              >
                {key.data.rotation.KeyRotationEnabled ? 'Turn rotation off' : 'Turn rotation on'}
              </button>
            </Panel>
          )}
          <Panel title="Key policy">
            <form className="stacked-form" onSubmit={change(() => clients.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: policy })))}>
              <PolicyEditor label="Key policy document" value={policy} onChange={setPolicy} checkWithIam={false} />
              <button type="submit" className="primary" disabled={action.busy}>
                Save key policy
              </button>
            </form>
          </Panel>
        </>
      )}
    </Page>
  );
}
