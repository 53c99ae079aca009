// Managed policies: this account's (create with the policy editor, edit as a new
// default version, delete once detached everywhere) and AWS's (searchable, read-only).
import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListEntitiesForPolicyCommand,
  ListPolicyVersionsCommand,
  paginateListPolicies,
  SetDefaultPolicyVersionCommand,
  type IAMClient,
  type Policy,
  type PolicyVersion,
  type PolicyScopeType,
} from '@aws-sdk/client-iam';
import { useEffect, useState, type FormEvent } from 'react';
import { collectPages, useAws } from '../aws.ts';
import { DataTable, ListingWithDelete, type Column } from '../components/DataTable.tsx';
import { prettyJson } from '../components/EntityPolicies.tsx';
import { EXAMPLE_POLICY, PolicyEditor, type Validity } from '../components/PolicyEditor.tsx';
import { ConfirmButton, ErrorNote, Field, formatTime, Page, Panel, Select } from '../components/ui.tsx';
import { href, useAction, useChange, useLoad } from '../hooks.ts';

/** IAM keeps at most five versions of a policy. */
const MAX_VERSIONS = 5;

async function deletePolicyCompletely(iam: IAMClient, policyArn: string): Promise<void> {
  const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn }));
  for (const user of entities.PolicyUsers ?? []) await iam.send(new DetachUserPolicyCommand({ UserName: user.UserName, PolicyArn: policyArn }));
  for (const group of entities.PolicyGroups ?? []) await iam.send(new DetachGroupPolicyCommand({ GroupName: group.GroupName, PolicyArn: policyArn }));
  for (const role of entities.PolicyRoles ?? []) await iam.send(new DetachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: policyArn }));
  const { Versions } = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn }));
  for (const version of Versions ?? []) {
    if (!version.IsDefaultVersion) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: version.VersionId }));
  }
  await iam.send(new DeletePolicyCommand({ PolicyArn: policyArn }));
}

const VERSION_COLUMNS: Column<PolicyVersion>[] = [
  { header: 'Version', cell: (version) => version.VersionId },
  { header: 'Default', cell: (version) => (version.IsDefaultVersion ? 'yes' : 'no') },
  { header: 'Created', cell: (version) => formatTime(version.CreateDate) },
];

const POLICY_COLUMNS: Column<Policy>[] = [
  { header: 'Policy name', cell: (policy) => <a href={href('policies', policy.Arn!)}>{policy.PolicyName}</a> },
  { header: 'Attachments', cell: (policy) => policy.AttachmentCount },
  { header: 'Updated', cell: (policy) => formatTime(policy.UpdateDate) },
];

export function Policies() {
  const { clients } = useAws();
  const [scope, setScope] = useState<PolicyScopeType>('Local');
  const [filter, setFilter] = useState('');
  const policies = useLoad(
    () => collectPages(paginateListPolicies({ client: clients.iam, pageSize: 1000 }, { Scope: scope }), (page) => page.Policies),
    [clients, scope],
  );
  const remover = useChange(policies);
  const shown = (policies.data ?? []).filter((policy) => policy.PolicyName!.toLowerCase().includes(filter.trim().toLowerCase())).slice(0, 200);

  return (
    <Page title="Policies">
      <CreatePolicy onCreated={() => (scope === 'Local' ? policies.reload() : setScope('Local'))} />
      <Panel title="Managed policies">
        <div className="inline-form">
          <Select
            label="Show"
            value={scope}
            onChange={(value) => setScope(value as PolicyScopeType)}
            options={[
              { value: 'Local', label: 'Customer managed (this account)' },
              { value: 'AWS', label: 'AWS managed' },
            ]}
          />
          <Field label="Filter by name" value={filter} onChange={setFilter} />
        </div>
        <ListingWithDelete
          state={{ ...policies, data: policies.data && shown }}
          what="policies"
          empty="No policies."
          rowKey={(policy) => policy.Arn!}
          columns={POLICY_COLUMNS}
          remover={remover}
          deleteLabel={(policy) => `Delete ${policy.PolicyName}`}
          onDelete={scope === 'Local' ? (policy) => deletePolicyCompletely(clients.iam, policy.Arn!) : undefined}
        />
        {(policies.data?.length ?? 0) > shown.length && <p className="muted">Showing the first {shown.length} matches: filter to narrow.</p>}
      </Panel>
    </Page>
  );
}

function CreatePolicy({ onCreated }: { onCreated: () => void }) {
  const { clients } = useAws();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [document, setDocument] = useState(EXAMPLE_POLICY);
  const [validity, setValidity] = useState<Validity>('checking');
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const created = await action.run(() =>
      clients.iam.send(new CreatePolicyCommand({ PolicyName: name.trim(), PolicyDocument: document, ...(description.trim() ? { Description: description.trim() } : {}) })),
    );
    if (created) {
      setName('');
      setDescription('');
      setOpen(false);
      onCreated();
    }
  }

  if (!open) {
    return (
      <p>
        <button type="button" className="primary" onClick={() => setOpen(true)}>
          Create policy
        </button>
      </p>
    );
  }
  return (
    <Panel title="Create policy">
      <form className="stacked-form" onSubmit={submit}>
        <Field label="Policy name" value={name} onChange={setName} required />
        <Field label="Description (optional)" value={description} onChange={setDescription} />
        <PolicyEditor label="Policy document" value={document} onChange={setDocument} onValidity={setValidity} />
        <ErrorNote error={action.error} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={action.busy || validity === 'invalid'}>
            Create policy
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      </form>
    </Panel>
  );
}

export function PolicyDetail({ policyArn }: { policyArn: string }) {
  const { clients } = useAws();
  const policy = useLoad(async () => {
    const { Policy: found } = await clients.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
    const version = await clients.iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: found!.DefaultVersionId }));
    const entities = await clients.iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn }));
    const { Versions = [] } = await clients.iam.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn }));
    return { policy: found!, document: prettyJson(decodeURIComponent(version.PolicyVersion?.Document ?? '')), entities, versions: Versions };
  }, [clients, policyArn]);
  const [document, setDocument] = useState('');
  const [validity, setValidity] = useState<Validity>('checking');
  const action = useChange(policy);
  const awsManaged = policyArn.startsWith('arn:aws:iam::aws:');
  useEffect(() => {
    if (policy.data) setDocument(policy.data.document);
  }, [policy.data]);

  async function save(event: FormEvent) {
    event.preventDefault();
    await action.change(async () => {
      const { Versions = [] } = await clients.iam.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn }));
      if (Versions.length >= MAX_VERSIONS) {
        const oldest = Versions.filter((v) => !v.IsDefaultVersion).sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0))[0];
        if (oldest) await clients.iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: oldest.VersionId }));
      }
      await clients.iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: document, SetAsDefault: true }));
    });
  }

  const versionAction = useChange(policy);

  const entities = policy.data?.entities;
  return (
    <Page title={`Policy ${policy.data?.policy.PolicyName ?? ''}`} actions={<a href={href('policies')}>All policies</a>}>
      <ErrorNote error={policy.error} />
      {policy.data && (
        <>
          <dl className="facts">
            <dt>ARN</dt>
            <dd>
              <code>{policyArn}</code>
            </dd>
            <dt>Default version</dt>
            <dd>{policy.data.policy.DefaultVersionId}</dd>
            {policy.data.policy.Description && (
              <>
                <dt>Description</dt>
                <dd>{policy.data.policy.Description}</dd>
              </>
            )}
            <dt>Attached to</dt>
            <dd>
              {[
                ...(entities?.PolicyUsers ?? []).map((u) => `user ${u.UserName}`),
                ...(entities?.PolicyGroups ?? []).map((g) => `group ${g.GroupName}`),
                ...(entities?.PolicyRoles ?? []).map((r) => `role ${r.RoleName}`),
              ].join(', ') || 'nothing'}
            </dd>
          </dl>
          {!awsManaged && (
            <Panel title="Versions">
              <ErrorNote error={versionAction.error} />
              <DataTable
                rows={policy.data.versions}
                rowKey={(version) => version.VersionId!}
                columns={VERSION_COLUMNS}
                actions={(version) =>
                  !version.IsDefaultVersion && (
                    <>
                      <button type="button" onClick={() => versionAction.change(() => clients.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn, VersionId: version.VersionId })))}>
                        Set {version.VersionId} as default
                      </button>
                      <ConfirmButton
                        label={`Delete ${version.VersionId}`}
                        onConfirm={() => versionAction.change(() => clients.iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: version.VersionId })))}
                      />
                    </>
                  )
                }
              />
            </Panel>
          )}
          <Panel title="Policy document">
            {awsManaged ? (
              <pre className="json" tabIndex={0}>
                {policy.data.document}
              </pre>
            ) : (
              <form className="stacked-form" onSubmit={save}>
                <PolicyEditor label="Policy document" value={document} onChange={setDocument} onValidity={setValidity} />
                <ErrorNote error={action.error} />
                <button type="submit" className="primary" disabled={action.busy || validity === 'invalid'}>
                  Save as new default version
                </button>
              </form>
            )}
          </Panel>
        </>
      )}
    </Page>
  );
}
