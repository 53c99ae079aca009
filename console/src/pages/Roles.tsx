// IAM roles: the list, create (with its trust policy) and delete (policies and
// instance profiles are let go first); a role's trust policy and permissions.
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  GetRoleCommand,
  ListInstanceProfilesForRoleCommand,
  paginateListRoles,
  RemoveRoleFromInstanceProfileCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
  type Role,
} from '@aws-sdk/client-iam';
import { useEffect, useState, type FormEvent } from 'react';
import { collectPages, useAws } from '../aws.ts';
import { EntityPolicies, prettyJson } from '../components/EntityPolicies.tsx';
import { EntityTags } from '../components/EntityTags.tsx';
import { PolicyEditor } from '../components/PolicyEditor.tsx';
import { ListingWithDelete, type Column } from '../components/DataTable.tsx';
import { ErrorNote, Field, formatTime, Page, Panel } from '../components/ui.tsx';
import { href, useChange, useLoad } from '../hooks.ts';
import { removeAllPolicies } from '../iam-entities.ts';

function defaultTrustPolicy(accountId: string): string {
  return JSON.stringify(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }] },
    null,
    2,
  );
}

async function deleteRoleCompletely(iam: IAMClient, roleName: string): Promise<void> {
  const { InstanceProfiles } = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: roleName }));
  for (const profile of InstanceProfiles ?? []) {
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ RoleName: roleName, InstanceProfileName: profile.InstanceProfileName }));
  }
  await removeAllPolicies(iam, 'role', roleName);
  await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
}

const ROLE_COLUMNS: Column<Role>[] = [
  { header: 'Role name', cell: (role) => <a href={href('roles', role.RoleName!)}>{role.RoleName}</a> },
  { header: 'Path', cell: (role) => role.Path },
  { header: 'Created', cell: (role) => formatTime(role.CreateDate) },
];

export function Roles() {
  const { clients, session } = useAws();
  const roles = useLoad(() => collectPages(paginateListRoles({ client: clients.iam }, {}), (page) => page.Roles), [clients]);
  const [name, setName] = useState('');
  const [trust, setTrust] = useState(() => defaultTrustPolicy(session.identity.accountId));
  const action = useChange(roles);

  async function create(event: FormEvent) {
    event.preventDefault();
    if (await action.change(() => clients.iam.send(new CreateRoleCommand({ RoleName: name.trim(), AssumeRolePolicyDocument: trust })))) setName('');
  }

  return (
    <Page title="Roles">
      <Panel title="Create role">
        <form className="stacked-form" onSubmit={create}>
          <Field label="Role name" value={name} onChange={setName} required />
          <PolicyEditor label="Trust policy" value={trust} onChange={setTrust} rows={12} checkWithIam={false} />
          <button type="submit" className="primary" disabled={action.busy}>
            Create role
          </button>
        </form>
      </Panel>
      <Panel title="All roles">
        <ListingWithDelete
          state={roles}
          what="roles"
          empty="No roles yet."
          rowKey={(role) => role.RoleId!}
          columns={ROLE_COLUMNS}
          remover={action}
          deleteLabel={(role) => `Delete ${role.RoleName}`}
          onDelete={(role) => deleteRoleCompletely(clients.iam, role.RoleName!)}
        />
      </Panel>
    </Page>
  );
}

export function RoleDetail({ roleName }: { roleName: string }) {
  const { clients } = useAws();
  const role = useLoad(async () => (await clients.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role, [clients, roleName]);
  const [trust, setTrust] = useState('');
  const action = useChange(role);
  useEffect(() => {
    if (role.data?.AssumeRolePolicyDocument) setTrust(prettyJson(decodeURIComponent(role.data.AssumeRolePolicyDocument)));
  }, [role.data]);

  async function saveTrust(event: FormEvent) {
    event.preventDefault();
    await action.change(() => clients.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: trust })));
  }

  return (
    <Page title={`Role ${roleName}`} actions={<a href={href('roles')}>All roles</a>}>
      <ErrorNote error={role.error} />
      {role.data && (
        <dl className="facts">
          <dt>ARN</dt>
          <dd>
            <code>{role.data.Arn}</code>
          </dd>
          <dt>Created</dt>
          <dd>{formatTime(role.data.CreateDate)}</dd>
          <dt>Maximum session</dt>
          <dd>{(role.data.MaxSessionDuration ?? 3600) / 3600} hour(s)</dd>
          {role.data.Description && (
            <>
              <dt>Description</dt>
              <dd>{role.data.Description}</dd>
            </>
          )}
        </dl>
      )}
      {role.data && (
        <Panel title="Trust policy">
          <form className="stacked-form" onSubmit={saveTrust}>
            <PolicyEditor label="Trust policy document" value={trust} onChange={setTrust} rows={12} checkWithIam={false} />
            <ErrorNote error={action.error} />
            <button type="submit" className="primary" disabled={action.busy}>
              Save trust policy
            </button>
          </form>
        </Panel>
      )}
      {!role.error && (
        <>
          <EntityPolicies kind="role" name={roleName} />
          <EntityTags kind="role" name={roleName} />
        </>
      )}
    </Page>
  );
}
