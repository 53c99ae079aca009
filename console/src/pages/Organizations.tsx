// AWS Organizations: the tree of the root, organizational units and accounts, with the
// policies attached at each node (service control policies and the other types the
// organization has enabled). Read from DescribeOrganization, ListRoots,
// ListOrganizationalUnitsForParent, ListAccountsForParent and ListPoliciesForTarget.
import {
  CreateOrganizationCommand,
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  type Organization,
  type OrganizationsClient,
  type PolicyType,
} from '@aws-sdk/client-organizations';
import { useAws } from '../aws.ts';
import { ErrorNote, Loading, Page, Panel } from '../components/ui.tsx';
import { useAction, useLoad } from '../hooks.ts';

interface TreeNode {
  id: string;
  name: string;
  kind: 'root' | 'ou' | 'account';
  detail?: string;
  policies: string[];
  children: TreeNode[];
}

async function policiesOf(client: OrganizationsClient, targetId: string, types: PolicyType[]): Promise<string[]> {
  const names: string[] = [];
  for (const Filter of types) {
    const { Policies } = await client.send(new ListPoliciesForTargetCommand({ TargetId: targetId, Filter }));
    names.push(...(Policies ?? []).map((policy) => `${policy.Name} (${Filter.replace(/_/g, ' ').toLowerCase()})`));
  }
  return names;
}

async function subtree(client: OrganizationsClient, parentId: string, types: PolicyType[]): Promise<TreeNode[]> {
  const [units, accounts] = await Promise.all([
    client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId })),
    client.send(new ListAccountsForParentCommand({ ParentId: parentId })),
  ]);
  const nodes: TreeNode[] = [];
  for (const unit of units.OrganizationalUnits ?? []) {
    nodes.push({ id: unit.Id!, name: unit.Name!, kind: 'ou', policies: await policiesOf(client, unit.Id!, types), children: await subtree(client, unit.Id!, types) });
  }
  for (const account of accounts.Accounts ?? []) {
    nodes.push({
      id: account.Id!,
      name: account.Name!,
      kind: 'account',
      detail: `${account.Id} · ${account.Email} · ${account.Status ?? account.State ?? ''}`,
      policies: await policiesOf(client, account.Id!, types),
      children: [],
    });
  }
  return nodes;
}

async function loadTree(client: OrganizationsClient): Promise<{ organization: Organization; roots: TreeNode[] } | null> {
  let organization: Organization | undefined;
  try {
    organization = (await client.send(new DescribeOrganizationCommand({}))).Organization;
  } catch (error) {
    if ((error as Error).name === 'AWSOrganizationsNotInUseException') return null;
    throw error;
  }
  const { Roots = [] } = await client.send(new ListRootsCommand({}));
  const roots: TreeNode[] = [];
  for (const root of Roots) {
    const types = (root.PolicyTypes ?? []).filter((t) => t.Status === 'ENABLED').map((t) => t.Type!) as PolicyType[];
    roots.push({ id: root.Id!, name: root.Name ?? 'Root', kind: 'root', policies: await policiesOf(client, root.Id!, types), children: await subtree(client, root.Id!, types) });
  }
  return { organization: organization!, roots };
}

function Node({ node }: { node: TreeNode }) {
  return (
    <li>
      <div className={`tree-node ${node.kind}`}>
        <span className="kind">{node.kind === 'ou' ? 'OU' : node.kind === 'root' ? 'Root' : 'Account'}</span> <strong>{node.name}</strong>{' '}
        <span className="muted">{node.detail ?? node.id}</span>
        {node.policies.length > 0 && <div className="policies">Policies: {node.policies.join(', ')}</div>}
      </div>
      {node.children.length > 0 && (
        <ul>
          {node.children.map((child) => (
            <Node key={child.id} node={child} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function Organizations() {
  const { clients } = useAws();
  const tree = useLoad(() => loadTree(clients.organizations), [clients]);
  const action = useAction();
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
            onClick={async () => {
              if (await action.run(() => clients.organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' })))) tree.reload();
            }}
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
                <Node key={root.id} node={root} />
              ))}
            </ul>
          </Panel>
        </>
      )}
    </Page>
  );
}
