// The policy simulator: IAM's SimulatePrincipalPolicy (a user's, group's or role's
// policies) or SimulateCustomPolicy (policies pasted here), for actions, resources and
// context keys; shows each decision with the statements that matched.
import {
  paginateListGroups,
  paginateListRoles,
  paginateListUsers,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  type ContextEntry,
  type ContextKeyTypeEnum,
  type EvaluationResult,
} from '@aws-sdk/client-iam';
import { useState, type FormEvent } from 'react';
import { collectPages, useAws } from '../aws.ts';
import { ErrorNote, Field, Page, Panel, Select, TextArea } from '../components/ui.tsx';
import { useAction, useLoad } from '../hooks.ts';

const CONTEXT_TYPES = ['string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList'];

function list(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Lines of "key = value[, value] (type)" into IAM's ContextEntry list. */
export function contextEntries(text: string): ContextEntry[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const match = /^([^=]+?)\s*=\s*(.*?)\s*(?:\((\w+)\))?$/.exec(line);
      if (!match) throw new Error(`Context line not of the form "key = value (type)": ${line}`);
      const type = (match[3] ?? 'string') as ContextKeyTypeEnum;
      if (!CONTEXT_TYPES.includes(type)) throw new Error(`Unknown context key type ${type}: use one of ${CONTEXT_TYPES.join(', ')}`);
      const values = type.endsWith('List') ? match[2].split(',').map((v) => v.trim()) : [match[2]];
      return { ContextKeyName: match[1].trim(), ContextKeyValues: values, ContextKeyType: type };
    });
}

export function Simulator() {
  const { clients, session } = useAws();
  const [mode, setMode] = useState<'principal' | 'custom'>('principal');
  const [principalArn, setPrincipalArn] = useState(`arn:aws:iam::${session.identity.accountId}:user/`);
  const [policies, setPolicies] = useState('{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" }\n  ]\n}');
  const [actions, setActions] = useState('iam:CreateUser');
  const [resources, setResources] = useState('*');
  const [context, setContext] = useState('');
  const [resourcePolicy, setResourcePolicy] = useState('');
  const [callerArn, setCallerArn] = useState('');
  const principals = useLoad(async () => {
    const [users, groups, roles] = await Promise.all([
      collectPages(paginateListUsers({ client: clients.iam }, {}), (page) => page.Users),
      collectPages(paginateListGroups({ client: clients.iam }, {}), (page) => page.Groups),
      collectPages(paginateListRoles({ client: clients.iam }, {}), (page) => page.Roles),
    ]);
    return [...users, ...groups, ...roles].map((entity) => entity.Arn!);
  }, [clients]);
  const [results, setResults] = useState<EvaluationResult[]>();
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await action.run(async () => {
      const common = {
        ActionNames: list(actions),
        ResourceArns: list(resources),
        ContextEntries: contextEntries(context),
      };
      const answer =
        mode === 'principal'
          ? await clients.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: principalArn.trim(), ...common }))
          : await clients.iam.send(
              new SimulateCustomPolicyCommand({
                PolicyInputList: policies.split(/\n-{3,}\n/).map((p) => p.trim()).filter(Boolean),
                ...(resourcePolicy.trim() ? { ResourcePolicy: resourcePolicy } : {}),
                ...(callerArn.trim() ? { CallerArn: callerArn.trim() } : {}),
                ...common,
              }),
            );
      setResults(answer.EvaluationResults ?? []);
    });
  }

  return (
    <Page title="Policy simulator">
      <Panel title="Simulate">
        <form className="stacked-form" onSubmit={submit}>
          <Select
            label="What to simulate"
            value={mode}
            onChange={(value) => setMode(value as 'principal' | 'custom')}
            options={[
              { value: 'principal', label: "A principal's policies (user, group or role)" },
              { value: 'custom', label: 'Custom policies' },
            ]}
          />
          {mode === 'principal' ? (
            <Field
              label="Principal ARN"
              value={principalArn}
              onChange={setPrincipalArn}
              required
              hint="A user, group or role ARN of this account."
              suggestions={principals.data}
            />
          ) : (
            <>
              <TextArea label="Policy documents" value={policies} onChange={setPolicies} rows={10} hint="One or more JSON policies, separated by a line of ---." />
              <TextArea label="Resource policy (optional)" value={resourcePolicy} onChange={setResourcePolicy} rows={5} hint="A resource-based policy to simulate with them; it needs a caller." />
              <Field label="Caller ARN (optional)" value={callerArn} onChange={setCallerArn} hint="An IAM user ARN: who calls, for the resource policy." suggestions={principals.data?.filter((arn) => arn.includes(':user/'))} />
            </>
          )}
          <TextArea label="Actions" value={actions} onChange={setActions} rows={3} hint="One per line or comma-separated, e.g. iam:CreateUser." />
          <TextArea label="Resource ARNs" value={resources} onChange={setResources} rows={2} hint="* for any resource." />
          <TextArea label="Context keys" value={context} onChange={setContext} rows={3} hint='One per line: "aws:SourceIp = 10.0.0.1 (ip)" or "aws:MultiFactorAuthPresent = true (boolean)".' />
          <button type="submit" className="primary" disabled={action.busy}>
            Run simulation
          </button>
        </form>
        <ErrorNote error={action.error} />
      </Panel>
      {results && (
        <Panel title="Results">
          <table className="simulation">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col">Decision</th>
                <th scope="col">Matched statements</th>
                <th scope="col">Missing context keys</th>
              </tr>
            </thead>
            <tbody>
              {results.map((result, i) => (
                <tr key={i} className={result.EvalDecision === 'allowed' ? 'allowed' : 'denied'}>
                  <td>
                    <code>{result.EvalActionName}</code>
                  </td>
                  <td>
                    <code>{result.EvalResourceName}</code>
                  </td>
                  <td>{result.EvalDecision}</td>
                  <td>
                    {(result.MatchedStatements ?? []).length === 0
                      ? 'none'
                      : result.MatchedStatements!.map((s) => `${s.SourcePolicyType ?? ''} ${s.SourcePolicyId ?? ''} (line ${s.StartPosition?.Line ?? '?'})`).join('; ')}
                  </td>
                  <td>{(result.MissingContextValues ?? []).join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      )}
    </Page>
  );
}
