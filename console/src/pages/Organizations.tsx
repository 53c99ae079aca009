// AWS Organizations: the tree of the root, organizational units and accounts, with the
// policies attached at each node (service control policies and the other types the
// organization has enabled), read from DescribeOrganization, ListRoots,
// ListOrganizationalUnitsForParent, ListAccountsForParent and ListPoliciesForTarget;
// policies are detached here and the rest is changed in OrganizationActions.
import {
  CreateOrganizationCommand,
  DescribeOrganizationCommand,
  DetachPolicyCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  type Organization,
  type OrganizationsClient,
  type PolicyType,
} from '@aws-sdk/client-organizations';
import { useAws } from '../aws.ts';
import { ConfirmButton, ErrorNote, Loading, Page, Panel } from '../components/ui.tsx';
import { useChange, useLoad } from '../hooks.ts';
import { OrganizationActions } from './OrganizationActions.tsx';

export interface TreeNode {
  id: string;
  name: string;
  kind: 'root' | 'ou' | 'account';
  parentId?: string;
  depth: number;
  detail?: string;
  policies: AttachedPolicy[];
  children: TreeNode[];
}

export interface AttachedPolicy {
  id: string;
  name: string;
  type: PolicyType;
}

export interface OrganizationTree {
  organization: Organization;
  roots: TreeNode[];
  /** The policy types enabled in the (first) root. */
  enabledTypes: PolicyType[];
}

async function policiesOf(client: OrganizationsClient, targetId: string, types: PolicyType[]): Promise<AttachedPolicy[]> {
  const attached: AttachedPolicy[] = [];
  for (const Filter of types) {
    const { Policies } = await client.send(new ListPoliciesForTargetCommand({ TargetId: targetId, Filter }));
    attached.push(...(Policies ?? []).map((policy) => ({ id: policy.Id!, name: policy.Name!, type: Filter })));
  }
  return attached;
}

async function subtree(client: OrganizationsClient, parentId: string, types: PolicyType[], depth: number): Promise<TreeNode[]> {
  const [units, accounts] = await Promise.all([
    client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId })),
    client.send(new ListAccountsForParentCommand({ ParentId: parentId })),
  ]);
  const nodes: TreeNode[] = [];
  for (const unit of units.OrganizationalUnits ?? []) {
    nodes.push({
      id: unit.Id!,
      name: unit.Name!,
      kind: 'ou',
      parentId,
      depth,
      policies: await policiesOf(client, unit.Id!, types),
      children: await subtree(client, unit.Id!, types, depth + 1),
    });
  }
  for (const account of accounts.Accounts ?? []) {
    nodes.push({
      id: account.Id!,
      name: account.Name!,
      kind: 'account',
      parentId,
      depth,
      detail: `${account.Id} · ${account.Email} · ${account.Status ?? account.State ?? ''}`,
      policies: await policiesOf(client, account.Id!, types),
      children: [],
    });
  }
  return nodes;
}

async function loadTree(client: OrganizationsClient): Promise<OrganizationTree | null> {
  let organization: Organization | undefined;
  try {
    organization = (await client.send(new DescribeOrganizationCommand({}))).Organization;
  } catch (error) {
    if ((error as Error).name === 'AWSOrganizationsNotInUseException') return null;
    throw error;
  }
  const { Roots = [] } = await client.send(new ListRootsCommand({}));
  const roots: TreeNode[] = [];
  const enabledTypes = ((Roots[0]?.PolicyTypes ?? []).filter((t) => t.Status === 'ENABLED').map((t) => t.Type!) as PolicyType[]);
  for (const root of Roots) {
    roots.push({
      id: root.Id!,
      name: root.Name ?? 'Root',
      kind: 'root',
      depth: 0,
      policies: await policiesOf(client, root.Id!, enabledTypes),
      children: await subtree(client, root.Id!, enabledTypes, 1),
    });
  }
  return { organization: organization!, roots, enabledTypes };
}

function Node({ node, onDetach }: { node: TreeNode; onDetach: (policy: AttachedPolicy, node: TreeNode) => void }) {
  return (
    <li>
      <div className={`tree-node ${node.kind}`}>
        <span className="kind">{node.kind === 'ou' ? 'OU' : node.kind === 'root' ? 'Root' : 'Account'}</span> <strong>{node.name}</strong>{' '}
        <span className="muted">{node.detail ?? node.id}</span>
        {node.policies.length > 0 && (
          <ul className="policies">
            {node.policies.map((policy) => (
              <li key={policy.id}>
                {policy.name} <span className="muted">({policy.type.replace(/_/g, ' ').toLowerCase()})</span>{' '}
                <ConfirmButton label={`Detach ${policy.name} from ${node.name}`} onConfirm={() => onDetach(policy, node)} />
              </li>
            ))}
          </ul>
        )}
      </div>
      {node.children.length > 0 && (
        <ul>
          {node.children.map((child) => (
            <Node key={child.id} node={child} onDetach={onDetach} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function Organizations() {
  const { clients } = useAws();
  const tree = useLoad(() => loadTree(clients.organizations), [clients]);
  const action = useChange(tree);
  return (
    <Page title="Organization" actions={<button onClick={tree.reload}>Refresh</button>}>
      <ErrorNote error={tree.error ?? action.error} />
      {tree.loading && tree.data === undefined && <Loading what="the organization" />}
      {tree.data === null && (
        <Panel title="No organization">
          <p>This account is not in an organization.</p>
          <button
            type="button"
            className="primary"
            onClick={() => action.change(() => clients.organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' })))}
          >
            Create an organization
          </button>
        </Panel>
      )}
      {tree.data && (
        <>
          <dl className="facts">
            <dt>Organization</dt>
            <dd>
              <code>{tree.data.organization.Id}</code>
            </dd>
            <dt>Management account</dt>
            <dd>
              {tree.data.organization.MasterAccountId} ({tree.data.organization.MasterAccountEmail})
            </dd>
            <dt>Feature set</dt>
            <dd>{tree.data.organization.FeatureSet}</dd>
          </dl>
          <Panel title="Tree">
            <ul className="tree">
              {tree.data.roots.map((root) => (
                <Node
                  key={root.id}
                  node={root}
                  onDetach={(policy, node) => action.change(() => clients.organizations.send(new DetachPolicyCommand({ PolicyId: policy.id, TargetId: node.id })))}
                />
              ))}
            </ul>
          </Panel>
          <OrganizationActions tree={tree.data} onChanged={tree.reload} />
        </>
      )}
    </Page>
  );
}
