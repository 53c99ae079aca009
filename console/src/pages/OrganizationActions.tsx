// Changing an organization from the console: create an OU under the root or an OU,
// enable service control policies, create an SCP with the policy editor, attach a
// policy to a node, and move an account to another parent.
import {
  AttachPolicyCommand,
  CreateOrganizationalUnitCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
  ListPoliciesCommand,
  MoveAccountCommand,
} from '@aws-sdk/client-organizations';
import { useState, type FormEvent } from 'react';
import { useAws } from '../aws.ts';
import { EXAMPLE_POLICY, PolicyEditor } from '../components/PolicyEditor.tsx';
import { ErrorNote, Field, Panel, Select } from '../components/ui.tsx';
import { useAction, useLoad } from '../hooks.ts';
import type { OrganizationTree, TreeNode } from './Organizations.tsx';

const SCP = 'SERVICE_CONTROL_POLICY';

function flatten(nodes: TreeNode[]): TreeNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}

/** "Root", "  Engineering", "    123456789012 (prod)": the tree as select options. */
function options(nodes: TreeNode[]) {
  return nodes.map((node) => ({ value: node.id, label: `${'\u00a0\u00a0'.repeat(node.depth)}${node.kind === 'account' ? `${node.name} (${node.id})` : node.name}` }));
}

export function OrganizationActions({ tree, onChanged }: { tree: OrganizationTree; onChanged: () => void }) {
  const { clients } = useAws();
  const nodes = flatten(tree.roots);
  const containers = nodes.filter((node) => node.kind !== 'account');
  const accounts = nodes.filter((node) => node.kind === 'account');
  const scpsEnabled = tree.enabledTypes.includes(SCP);
  const policies = useLoad(
    async () => (scpsEnabled ? ((await clients.organizations.send(new ListPoliciesCommand({ Filter: SCP }))).Policies ?? []) : []),
    [clients, scpsEnabled, tree],
  );
  const action = useAction();
  const [ouParent, setOuParent] = useState(containers[0]?.id ?? '');
  const [ouName, setOuName] = useState('');
  const [policyId, setPolicyId] = useState('');
  const [target, setTarget] = useState(nodes[0]?.id ?? '');
  const [account, setAccount] = useState(accounts[0]?.id ?? '');
  const [destination, setDestination] = useState(containers[0]?.id ?? '');
  const [scpName, setScpName] = useState('');
  const [scpDocument, setScpDocument] = useState(EXAMPLE_POLICY);

  /** A form's submit: the call, then (when it worked) clearing the form and reloading the tree. */
  const run = (work: () => Promise<unknown>, clear?: () => void) => async (event: FormEvent) => {
    event.preventDefault();
    if (!(await action.run(work))) return;
    clear?.();
    onChanged();
  };

  return (
    <Panel title="Change the organization">
      <ErrorNote error={action.error ?? policies.error} />
      <form
        className="inline-form"
        onSubmit={run(
          () => clients.organizations.send(new CreateOrganizationalUnitCommand({ ParentId: ouParent, Name: ouName.trim() })),
          () => setOuName(''),
        )}
      >
        <Select label="Parent of the new OU" value={ouParent} onChange={setOuParent} options={options(containers)} />
        <Field label="OU name" value={ouName} onChange={setOuName} required />
        <button type="submit" disabled={action.busy}>
          Create OU
        </button>
      </form>
      {accounts.length > 0 && (
        <form
          className="inline-form"
          onSubmit={run(() =>
            clients.organizations.send(
              new MoveAccountCommand({ AccountId: account, SourceParentId: accounts.find((a) => a.id === account)?.parentId, DestinationParentId: destination }),
            ),
          )}
        >
          <Select label="Account to move" value={account} onChange={setAccount} options={options(accounts)} />
          <Select label="Move to" value={destination} onChange={setDestination} options={options(containers)} />
          <button type="submit" disabled={action.busy}>
            Move account
          </button>
        </form>
      )}
      {!scpsEnabled ? (
        <p>
          <button
            type="button"
            onClick={run(() => clients.organizations.send(new EnablePolicyTypeCommand({ RootId: tree.roots[0].id, PolicyType: SCP })))}
            disabled={action.busy}
          >
            Enable service control policies
          </button>
        </p>
      ) : (
        <>
          <form
            className="inline-form"
            onSubmit={run(() => clients.organizations.send(new AttachPolicyCommand({ PolicyId: policyId || policies.data?.[0]?.Id, TargetId: target })))}
          >
            <Select
              label="Service control policy"
              value={policyId || (policies.data?.[0]?.Id ?? '')}
              onChange={setPolicyId}
              options={(policies.data ?? []).map((policy) => ({ value: policy.Id!, label: policy.Name! }))}
            />
            <Select label="Attach to" value={target} onChange={setTarget} options={options(nodes)} />
            <button type="submit" disabled={action.busy || !policies.data?.length}>
              Attach policy
            </button>
          </form>
          <form
            className="stacked-form"
            onSubmit={run(
              () => clients.organizations.send(new CreatePolicyCommand({ Name: scpName.trim(), Description: scpName.trim(), Type: SCP, Content: scpDocument })),
              () => setScpName(''),
            )}
          >
            <h3>New service control policy</h3>
            <Field label="SCP name" value={scpName} onChange={setScpName} required />
            <PolicyEditor label="SCP document" value={scpDocument} onChange={setScpDocument} rows={10} />
            <button type="submit" disabled={action.busy}>
              Create SCP
            </button>
          </form>
        </>
      )}
    </Panel>
  );
}
