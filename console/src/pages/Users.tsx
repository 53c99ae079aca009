// IAM users: the list (ListUsers), creating a user with an optional console password,
// and deleting one with everything it holds.
import { CreateLoginProfileCommand, CreateUserCommand, paginateListUsers, type User } from '@aws-sdk/client-iam';
import { useState, type FormEvent } from 'react';
import { useAws } from '../aws.ts';
import { Checkbox, ConfirmButton, ErrorNote, Field, formatTime, Loading, Notice, Page, Panel } from '../components/ui.tsx';
import { href, useAction, useLoad } from '../hooks.ts';
import { deleteUserCompletely } from '../iam-users.ts';

export function Users() {
  const { clients } = useAws();
  const users = useLoad(async () => {
    const all: User[] = [];
    for await (const page of paginateListUsers({ client: clients.iam }, {})) all.push(...(page.Users ?? []));
    return all;
  }, [clients]);
  const action = useAction();
  const [done, setDone] = useState<string>();

  async function remove(userName: string) {
    setDone(undefined);
    if (await action.run(() => deleteUserCompletely(clients.iam, userName))) {
      setDone(`Deleted user ${userName}.`);
      users.reload();
    }
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
        <ErrorNote error={action.error ?? users.error} />
        {users.loading && !users.data && <Loading what="users" />}
        {users.data && users.data.length === 0 && <p className="muted">No IAM users yet.</p>}
        {users.data && users.data.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">User name</th>
                <th scope="col">Path</th>
                <th scope="col">Created</th>
                <th scope="col">Password last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <tr key={user.UserId}>
                  <td>
                    <a href={href('users', user.UserName!)}>{user.UserName}</a>
                  </td>
                  <td>{user.Path}</td>
                  <td>{formatTime(user.CreateDate)}</td>
                  <td>{formatTime(user.PasswordLastUsed)}</td>
                  <td>
                    <ConfirmButton label={`Delete ${user.UserName}`} disabled={action.busy} onConfirm={() => remove(user.UserName!)} />
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
