// IAM users: the list (ListUsers), creating a user with an optional console password,
// and deleting one with everything it holds.
import { CreateLoginProfileCommand, CreateUserCommand, paginateListUsers, type User } from '@aws-sdk/client-iam';
import { useState, type FormEvent } from 'react';
import { collectPages, useAws } from '../aws.ts';
import { DataTable, Listing, type Column } from '../components/DataTable.tsx';
import { Checkbox, ConfirmButton, ErrorNote, Field, formatTime, Notice, Page, Panel } from '../components/ui.tsx';
import { href, useAction, useChange, useLoad } from '../hooks.ts';
import { deleteUserCompletely } from '../iam-users.ts';

const USER_COLUMNS: Column<User>[] = [
  { header: 'User name', cell: (user) => <a href={href('users', user.UserName!)}>{user.UserName}</a> },
  { header: 'Path', cell: (user) => user.Path },
  { header: 'Created', cell: (user) => formatTime(user.CreateDate) },
  { header: 'Password last used', cell: (user) => formatTime(user.PasswordLastUsed) },
];

export function Users() {
  const { clients } = useAws();
  const users = useLoad(() => collectPages(paginateListUsers({ client: clients.iam }, {}), (page) => page.Users), [clients]);
  const action = useChange(users);
  const [done, setDone] = useState<string>();

  async function remove(userName: string) {
    setDone(undefined);
    if (await action.change(() => deleteUserCompletely(clients.iam, userName))) setDone(`Deleted user ${userName}.`);
  }

  return (
    <Page title="Users">
      <CreateUser
        onCreated={(name) => {
          setDone(`Created user ${name}.`);
          users.reload();
        }}
      />
      <Panel title="All users">
        {done && <Notice>{done}</Notice>}
        <ErrorNote error={action.error} />
        <Listing state={users} what="users" empty="No IAM users yet.">
          {(rows) => (
            <DataTable
              rows={rows}
              rowKey={(user) => user.UserId!}
              columns={USER_COLUMNS}
              actions={(user) => <ConfirmButton label={`Delete ${user.UserName}`} disabled={action.busy} onConfirm={() => remove(user.UserName!)} />}
            />
          )}
        </Listing>
      </Panel>
    </Page>
  );
}

function CreateUser({ onCreated }: { onCreated: (name: string) => void }) {
  const { clients } = useAws();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [resetRequired, setResetRequired] = useState(true);
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const userName = name.trim();
    const created = await action.run(async () => {
      await clients.iam.send(new CreateUserCommand({ UserName: userName }));
      if (password) {
        await clients.iam.send(new CreateLoginProfileCommand({ UserName: userName, Password: password, PasswordResetRequired: resetRequired }));
      }
    });
    if (created) {
      setName('');
      setPassword('');
      onCreated(userName);
    }
  }

  return (
    <Panel title="Create user">
      <form className="inline-form" onSubmit={submit}>
        <Field label="User name" value={name} onChange={setName} required />
        <Field label="Console password (optional)" type="password" value={password} onChange={setPassword} autoComplete="new-password" />
        <Checkbox label="User must create a new password at next sign-in" checked={resetRequired} onChange={setResetRequired} />
        <button type="submit" className="primary" disabled={action.busy}>
          Create user
        </button>
      </form>
      <ErrorNote error={action.error} />
    </Panel>
  );
}
