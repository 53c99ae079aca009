// IAM groups: the list, create and delete (members and policies are removed first);
// a group's members and policies; and on a user's page, the user's groups.
import {
  AddUserToGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListGroupsForUserCommand,
  paginateListGroups,
  RemoveUserFromGroupCommand,
  type Group,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { useState, type FormEvent } from 'react';
import { collectPages, useAws } from '../aws.ts';
import { EntityPolicies } from '../components/EntityPolicies.tsx';
import { ListingWithDelete, type Column } from '../components/DataTable.tsx';
import { ConfirmButton, ErrorNote, Field, formatTime, Page, Panel } from '../components/ui.tsx';
import { href, useChange, useLoad, type Loaded } from '../hooks.ts';
import { removeAllPolicies } from '../iam-entities.ts';

async function deleteGroupCompletely(iam: IAMClient, groupName: string): Promise<void> {
  const { Users } = await iam.send(new GetGroupCommand({ GroupName: groupName }));
  for (const user of Users ?? []) await iam.send(new RemoveUserFromGroupCommand({ GroupName: groupName, UserName: user.UserName }));
  await removeAllPolicies(iam, 'group', groupName);
  await iam.send(new DeleteGroupCommand({ GroupName: groupName }));
}

const GROUP_COLUMNS: Column<Group>[] = [
  { header: 'Group name', cell: (group) => <a href={href('groups', group.GroupName!)}>{group.GroupName}</a> },
  { header: 'Path', cell: (group) => group.Path },
  { header: 'Created', cell: (group) => formatTime(group.CreateDate) },
];

export function Groups() {
  const { clients } = useAws();
  const groups = useLoad(() => collectPages(paginateListGroups({ client: clients.iam }, {}), (page) => page.Groups), [clients]);
  const [name, setName] = useState('');
  const action = useChange(groups);

  async function create(event: FormEvent) {
    event.preventDefault();
    if (await action.change(() => clients.iam.send(new CreateGroupCommand({ GroupName: name.trim() })))) setName('');
  }

  return (
    <Page title="Groups">
      <Panel title="Create group">
        <form className="inline-form" onSubmit={create}>
          <Field label="Group name" value={name} onChange={setName} required />
          <button type="submit" className="primary" disabled={action.busy}>
            Create group
          </button>
        </form>
      </Panel>
      <Panel title="All groups">
        <ListingWithDelete
          state={groups}
          what="groups"
          empty="No groups yet."
          rowKey={(group) => group.GroupId!}
          columns={GROUP_COLUMNS}
          remover={action}
          deleteLabel={(group) => `Delete ${group.GroupName}`}
          onDelete={(group) => deleteGroupCompletely(clients.iam, group.GroupName!)}
        />
      </Panel>
    </Page>
  );
}

/**
 * One side of group membership: a group's users, or a user's groups. Each name links
 * to its page; a name can be added (AddUserToGroup) or removed (RemoveUserFromGroup).
 * `pairOf` says which group and user a listed or typed name makes.
 */
function Membership({
  names,
  linkTo,
  empty,
  removeVerb,
  fieldLabel,
  pairOf,
}: {
  names: Loaded<string[]>;
  linkTo: 'users' | 'groups';
  empty: string;
  removeVerb: string;
  fieldLabel: string;
  pairOf: (name: string) => { GroupName: string; UserName: string };
}) {
  const { clients } = useAws();
  const [name, setName] = useState('');
  const action = useChange(names);
  const join = (member: string) => clients.iam.send(new AddUserToGroupCommand(pairOf(member)));
  const leave = (member: string) => clients.iam.send(new RemoveUserFromGroupCommand(pairOf(member)));

  async function add(event: FormEvent) {
    event.preventDefault();
    if (await action.change(() => join(name.trim()))) setName('');
  }

  return (
    <>
      <ErrorNote error={names.error ?? action.error} />
      {names.data && names.data.length === 0 && <p className="muted">{empty}</p>}
      <ul className="plain">
        {(names.data ?? []).map((member) => (
          <li key={member} className="row">
            <a href={href(linkTo, member)}>{member}</a>
            <ConfirmButton
              label={`${removeVerb} ${member}`}
              onConfirm={() => action.change(() => leave(member))}
            />
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={add}>
        <Field label={fieldLabel} value={name} onChange={setName} required />
        <button type="submit" disabled={action.busy}>
          Add to group
        </button>
      </form>
    </>
  );
}

export function GroupDetail({ groupName }: { groupName: string }) {
  const { clients } = useAws();
  const group = useLoad(() => clients.iam.send(new GetGroupCommand({ GroupName: groupName })), [clients, groupName]);
  const members: Loaded<string[]> = { ...group, data: group.data && (group.data.Users ?? []).map((user) => user.UserName!) };

  return (
    <Page title={`Group ${groupName}`} actions={<a href={href('groups')}>All groups</a>}>
      <ErrorNote error={group.error} />
      {group.data && (
        <dl className="facts">
          <dt>ARN</dt>
          <dd>
            <code>{group.data.Group?.Arn}</code>
          </dd>
          <dt>Created</dt>
          <dd>{formatTime(group.data.Group?.CreateDate)}</dd>
        </dl>
      )}
      <Panel title="Members">
        <Membership
          names={members}
          linkTo="users"
          empty="No members."
          removeVerb="Remove"
          fieldLabel="User to add"
          pairOf={(userName) => ({ GroupName: groupName, UserName: userName })}
        />
      </Panel>
      {!group.error && <EntityPolicies kind="group" name={groupName} />}
    </Page>
  );
}

/** On a user's page: the groups it belongs to; add it to one, remove it from one. */
export function UserGroups({ userName }: { userName: string }) {
  const { clients } = useAws();
  const groups = useLoad(
    async () => ((await clients.iam.send(new ListGroupsForUserCommand({ UserName: userName }))).Groups ?? []).map((group) => group.GroupName!),
    [clients, userName],
  );
  return (
    <Panel title="Groups">
      <Membership
        names={groups}
        linkTo="groups"
        empty="Not in any group."
        removeVerb="Leave"
        fieldLabel="Group to join"
        pairOf={(groupName) => ({ GroupName: groupName, UserName: userName })}
      />
    </Panel>
  );
}
