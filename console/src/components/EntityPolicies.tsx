// The policies of a user, group or role: attached managed policies (attach, detach)
// and inline policies (add, edit in the policy editor, delete).
import { paginateListPolicies, type AttachedPolicy } from '@aws-sdk/client-iam';
import { useState, type FormEvent } from 'react';
import { collectPages, useAws } from '../aws.ts';
import { useAction, useChange, useLoad } from '../hooks.ts';
import { ENTITY_POLICIES, type EntityKind } from '../iam-entities.ts';
import { EXAMPLE_POLICY, PolicyEditor, type Validity } from './PolicyEditor.tsx';
import { ListingWithDelete, type Column } from './DataTable.tsx';
import { ConfirmButton, ErrorNote, Field, Panel } from './ui.tsx';

export function EntityPolicies({ kind, name }: { kind: EntityKind; name: string }) {
  return (
    <>
      <AttachedPolicies kind={kind} name={name} />
      <InlinePolicies kind={kind} name={name} />
    </>
  );
}

const ATTACHED_COLUMNS: Column<AttachedPolicy>[] = [
  { header: 'Policy', cell: (policy) => policy.PolicyName },
  { header: 'ARN', cell: (policy) => <code>{policy.PolicyArn}</code> },
];

function AttachedPolicies({ kind, name }: { kind: EntityKind; name: string }) {
  const { clients } = useAws();
  const ops = ENTITY_POLICIES[kind];
  const attached = useLoad(() => ops.listAttached(clients.iam, name), [clients, kind, name]);
  const detacher = useChange(attached);
  return (
    <Panel title="Permissions policies">
      <ListingWithDelete
        state={attached}
        what="policies"
        empty="No managed policies attached."
        rowKey={(policy) => policy.PolicyArn!}
        columns={ATTACHED_COLUMNS}
        remover={detacher}
        deleteLabel={(policy) => `Detach ${policy.PolicyName}`}
        onDelete={(policy) => ops.detach(clients.iam, name, policy.PolicyArn!)}
      />
      <AttachPolicy
        onAttach={async (arn) => {
          await ops.attach(clients.iam, name, arn);
          attached.reload();
        }}
      />
    </Panel>
  );
}

/** A policy chosen by name (from ListPolicies: AWS managed and this account's) or ARN. */
function AttachPolicy({ onAttach }: { onAttach: (policyArn: string) => Promise<void> }) {
  const { clients } = useAws();
  const [choice, setChoice] = useState('');
  const policies = useLoad(
    () => collectPages(paginateListPolicies({ client: clients.iam, pageSize: 1000 }, { Scope: 'All' }), (page) => page.Policies),
    [clients],
  );
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const wanted = choice.trim();
    const done = await action.run(async () => {
      const arn = wanted.startsWith('arn:') ? wanted : policies.data?.find((policy) => policy.PolicyName === wanted)?.Arn;
      if (!arn) throw new Error(`No policy named ${wanted}: give its name or ARN.`);
      await onAttach(arn);
    });
    if (done) setChoice('');
  }

  return (
    <form className="inline-form" onSubmit={submit}>
      <Field label="Policy to attach (name or ARN)" value={choice} onChange={setChoice} required wide suggestions={policies.data?.map((policy) => policy.PolicyName!)} />
      <button type="submit" className="primary" disabled={action.busy || policies.loading}>
        {policies.loading ? 'Loading policies…' : 'Attach policy'}
      </button>
      <ErrorNote error={action.error ?? policies.error} />
    </form>
  );
}

function InlinePolicies({ kind, name }: { kind: EntityKind; name: string }) {
  const { clients } = useAws();
  const ops = ENTITY_POLICIES[kind];
  const names = useLoad(() => ops.listInline(clients.iam, name), [clients, kind, name]);
  const [editing, setEditing] = useState<{ policyName: string; document: string; isNew: boolean }>();
  const action = useChange(names);

  async function edit(policyName: string) {
    await action.run(async () => setEditing({ policyName, document: await ops.getInline(clients.iam, name, policyName), isNew: false }));
  }

  return (
    <Panel title="Inline policies">
      <ErrorNote error={names.error ?? action.error} />
      {names.data && names.data.length === 0 && <p className="muted">No inline policies.</p>}
      {names.data && names.data.length > 0 && (
        <ul className="plain">
          {names.data.map((policyName) => (
            <li key={policyName} className="row">
              <span>{policyName}</span>
              <button type="button" onClick={() => edit(policyName)}>
                Edit {policyName}
              </button>
              <ConfirmButton
                label={`Delete ${policyName}`}
                onConfirm={() => action.change(() => ops.deleteInline(clients.iam, name, policyName))}
              />
            </li>
          ))}
        </ul>
      )}
      {editing ? (
        <InlineEditor
          initial={editing}
          onSave={async (policyName, document) => {
            await ops.putInline(clients.iam, name, policyName, document);
            setEditing(undefined);
            names.reload();
          }}
          onCancel={() => setEditing(undefined)}
        />
      ) : (
        <button type="button" onClick={() => setEditing({ policyName: '', document: EXAMPLE_POLICY, isNew: true })}>
          Add inline policy
        </button>
      )}
    </Panel>
  );
}

function InlineEditor({
  initial,
  onSave,
  onCancel,
}: {
  initial: { policyName: string; document: string; isNew: boolean };
  onSave: (policyName: string, document: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [policyName, setPolicyName] = useState(initial.policyName);
  const [document, setDocument] = useState(() => prettyJson(initial.document));
  const [validity, setValidity] = useState<Validity>('checking');
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await action.run(() => onSave(policyName.trim(), document));
  }

  return (
    <form className="stacked-form" onSubmit={submit}>
      {initial.isNew ? <Field label="Policy name" value={policyName} onChange={setPolicyName} required /> : <h3>{initial.policyName}</h3>}
      <PolicyEditor label="Policy document" value={document} onChange={setDocument} onValidity={setValidity} />
      <ErrorNote error={action.error} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={action.busy || validity === 'invalid'}>
          Save policy
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The document indented for editing (as IAM returned it when it is not JSON). */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
