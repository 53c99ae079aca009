// One IAM user: its policies (managed and inline), groups, access keys (create,
// activate, deactivate, delete: rotation is create-then-deactivate), console password
// and MFA.
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
  type AccessKey,
  type AccessKeyMetadata,
} from '@aws-sdk/client-iam';
import { useState } from 'react';
import { useAws } from '../aws.ts';
import { EntityPolicies } from '../components/EntityPolicies.tsx';
import { EntityTags } from '../components/EntityTags.tsx';
import { DataTable, Listing, type Column } from '../components/DataTable.tsx';
import { ConfirmButton, ErrorNote, formatTime, Notice, Page, Panel } from '../components/ui.tsx';
import { href, useChange, useLoad } from '../hooks.ts';
import { UserGroups } from './Groups.tsx';
import { ConsolePassword, MfaDevices } from './UserCredentials.tsx';

export function UserDetail({ userName }: { userName: string }) {
  const { clients } = useAws();
  const user = useLoad(async () => (await clients.iam.send(new GetUserCommand({ UserName: userName }))).User, [clients, userName]);
  return (
    <Page title={`User ${userName}`} actions={<a href={href('users')}>All users</a>}>
      <ErrorNote error={user.error} />
      {user.data && (
        <dl className="facts">
          <dt>ARN</dt>
          <dd>
            <code>{user.data.Arn}</code>
          </dd>
          <dt>User ID</dt>
          <dd>
            <code>{user.data.UserId}</code>
          </dd>
          <dt>Created</dt>
          <dd>{formatTime(user.data.CreateDate)}</dd>
          <dt>Password last used</dt>
          <dd>{formatTime(user.data.PasswordLastUsed)}</dd>
        </dl>
      )}
      {!user.error && (
        <>
          <EntityPolicies kind="user" name={userName} />
          <UserGroups userName={userName} />
          <EntityTags kind="user" name={userName} />
          <AccessKeys userName={userName} />
          <ConsolePassword userName={userName} />
          <MfaDevices userName={userName} />
        </>
      )}
    </Page>
  );
}

const ACCESS_KEY_COLUMNS: Column<AccessKeyMetadata>[] = [
  { header: 'Access key ID', cell: (key) => <code>{key.AccessKeyId}</code> },
  { header: 'Status', cell: (key) => key.Status },
  { header: 'Created', cell: (key) => formatTime(key.CreateDate) },
];

/** Access keys of a user, or of the signed-in principal itself when `userName` is undefined. */
export function AccessKeys({ userName }: { userName: string | undefined }) {
  const { clients } = useAws();
  const keys = useLoad(
    async () => (await clients.iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata ?? [],
    [clients, userName],
  );
  const [created, setCreated] = useState<AccessKey>();
  const action = useChange(keys);
  const create = async () => {
    const answer = await clients.iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    setCreated(answer.AccessKey);
  };
  /** A new key (its secret shown once), and the old one deactivated: delete it once nothing uses it. */
  const rotate = async (oldKeyId: string) => {
    await create();
    await clients.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: oldKeyId, Status: 'Inactive' }));
  };

  return (
    <Panel title="Access keys">
      <ErrorNote error={action.error} />
      {created && (
        <div className="secret" role="status">
          <p>
            <strong>Save the secret access key now:</strong> it is shown only once.
          </p>
          <dl className="facts">
            <dt>Access key ID</dt>
            <dd>
              <code>{created.AccessKeyId}</code>
            </dd>
            <dt>Secret access key</dt>
            <dd>
              <code>{created.SecretAccessKey}</code>
            </dd>
          </dl>
          <button type="button" onClick={() => setCreated(undefined)}>
            I have saved it
          </button>
        </div>
      )}
      <Listing state={keys} what="access keys" empty="No access keys.">
        {(rows) => (
          <DataTable
            rows={rows}
            rowKey={(key) => key.AccessKeyId!}
            columns={ACCESS_KEY_COLUMNS}
            actions={(key) => (
              <>
                <button
                  type="button"
                  onClick={() =>
                    action.change(() =>
                      clients.iam.send(
                        new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: key.AccessKeyId, Status: key.Status === 'Active' ? 'Inactive' : 'Active' }),
                      ),
                    )
                  }
                >
                  {key.Status === 'Active' ? 'Deactivate' : 'Activate'}
                </button>
                {key.Status === 'Active' && rows.length === 1 && (
                  <button type="button" onClick={() => action.change(() => rotate(key.AccessKeyId!))}>
                    Rotate
                  </button>
                )}
                <ConfirmButton
                  label={`Delete ${key.AccessKeyId}`}
                  onConfirm={() => action.change(() => clients.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: key.AccessKeyId })))}
                />
              </>
            )}
          />
        )}
      </Listing>
      <p>
        <button
          type="button"
          disabled={action.busy}
          onClick={() => action.change(create)}
        >
          Create access key
        </button>
      </p>
      {keys.data && keys.data.length > 0 && (
        <Notice>Rotate makes a new key and deactivates the old one: move your applications to the new key, then delete the old one.</Notice>
      )}
    </Panel>
  );
}
