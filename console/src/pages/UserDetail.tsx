// One IAM user: its managed policies (attach, detach), access keys (create, activate,
// deactivate, delete: rotation is create-then-deactivate), console password and MFA.
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  paginateListPolicies,
  UpdateAccessKeyCommand,
  type AccessKey,
  type Policy,
} from '@aws-sdk/client-iam';
import { useId, useState, type FormEvent } from 'react';
import { useAws } from '../aws.ts';
import { ConfirmButton, ErrorNote, formatTime, Loading, Notice, Page, Panel } from '../components/ui.tsx';
import { href, useAction, useLoad } from '../hooks.ts';
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
          <AttachedPolicies userName={userName} />
          <AccessKeys userName={userName} />
          <ConsolePassword userName={userName} />
          <MfaDevices userName={userName} />
        </>
      )}
    </Page>
  );
}

function AttachedPolicies({ userName }: { userName: string }) {
  const { clients } = useAws();
  const attached = useLoad(
    async () => (await clients.iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }))).AttachedPolicies ?? [],
    [clients, userName],
  );
  const action = useAction();
  return (
    <Panel title="Permissions policies">
      <ErrorNote error={attached.error ?? action.error} />
      {attached.data && attached.data.length === 0 && <p className="muted">No managed policies attached.</p>}
      {attached.data && attached.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Policy</th>
              <th scope="col">ARN</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {attached.data.map((policy) => (
              <tr key={policy.PolicyArn}>
                <td>{policy.PolicyName}</td>
                <td>
                  <code>{policy.PolicyArn}</code>
                </td>
                <td>
                  <ConfirmButton
                    label={`Detach ${policy.PolicyName}`}
                    onConfirm={async () => {
                      if (await action.run(() => clients.iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: policy.PolicyArn })))) {
                        attached.reload();
                      }
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AttachPolicy userName={userName} onAttached={attached.reload} />
    </Panel>
  );
}

function AttachPolicy({ userName, onAttached }: { userName: string; onAttached: () => void }) {
  const { clients } = useAws();
  const id = useId();
  const [choice, setChoice] = useState('');
  const policies = useLoad(async () => {
    const all: Policy[] = [];
    for await (const page of paginateListPolicies({ client: clients.iam, pageSize: 1000 }, { Scope: 'All' })) all.push(...(page.Policies ?? []));
    return all;
  }, [clients]);
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const wanted = choice.trim();
    const arn = wanted.startsWith('arn:') ? wanted : policies.data?.find((policy) => policy.PolicyName === wanted)?.Arn;
    if (!arn) {
      await action.run(async () => {
        throw new Error(`No policy named ${wanted}: give its name or ARN.`);
      });
      return;
    }
    if (await action.run(() => clients.iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: arn })))) {
      setChoice('');
      onAttached();
    }
  }

  return (
    <form className="inline-form" onSubmit={submit}>
      <div className="field wide">
        <label htmlFor={id}>Policy to attach (name or ARN)</label>
        <input id={id} list={`${id}-list`} value={choice} onChange={(event) => setChoice(event.target.value)} required spellCheck={false} autoComplete="off" />
        <datalist id={`${id}-list`}>
          {(policies.data ?? []).map((policy) => (
            <option key={policy.Arn} value={policy.PolicyName} />
          ))}
        </datalist>
      </div>
      <button type="submit" className="primary" disabled={action.busy || policies.loading}>
        {policies.loading ? 'Loading policies…' : 'Attach policy'}
      </button>
      <ErrorNote error={action.error ?? policies.error} />
    </form>
  );
}

function AccessKeys({ userName }: { userName: string }) {
  const { clients } = useAws();
  const keys = useLoad(
    async () => (await clients.iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata ?? [],
    [clients, userName],
  );
  const [created, setCreated] = useState<AccessKey>();
  const action = useAction();
  const change = async (work: () => Promise<unknown>) => {
    if (await action.run(work)) keys.reload();
  };

  return (
    <Panel title="Access keys">
      <ErrorNote error={keys.error ?? action.error} />
      {keys.loading && !keys.data && <Loading what="access keys" />}
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
      {keys.data && keys.data.length === 0 && <p className="muted">No access keys.</p>}
      {keys.data && keys.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Access key ID</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((key) => (
              <tr key={key.AccessKeyId}>
                <td>
                  <code>{key.AccessKeyId}</code>
                </td>
                <td>{key.Status}</td>
                <td>{formatTime(key.CreateDate)}</td>
                <td className="actions">
                  <button
                    type="button"
                    onClick={() =>
                      change(() =>
                        clients.iam.send(
                          new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: key.AccessKeyId, Status: key.Status === 'Active' ? 'Inactive' : 'Active' }),
                        ),
                      )
                    }
                  >
                    {key.Status === 'Active' ? 'Deactivate' : 'Activate'}
                  </button>
                  <ConfirmButton
                    label={`Delete ${key.AccessKeyId}`}
                    onConfirm={() => change(() => clients.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: key.AccessKeyId })))}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            change(async () => {
              const answer = await clients.iam.send(new CreateAccessKeyCommand({ UserName: userName }));
              setCreated(answer.AccessKey);
            })
          }
        >
          Create access key
        </button>
      </p>
      {keys.data && keys.data.length > 1 && <Notice>To rotate: create a new key, move your applications to it, deactivate the old key, then delete it.</Notice>}
    </Panel>
  );
}
