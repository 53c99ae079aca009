// What users, groups and roles share in IAM: managed policies attached to them and
// inline policies embedded in them. One table of the per-kind API calls, so the pages
// that show and edit an entity's policies are written once.
import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  DeleteGroupPolicyCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetGroupPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  type AttachedPolicy,
  type IAMClient,
} from '@aws-sdk/client-iam';

export type EntityKind = 'user' | 'group' | 'role';

export interface EntityPolicies {
  listAttached(iam: IAMClient, name: string): Promise<AttachedPolicy[]>;
  attach(iam: IAMClient, name: string, policyArn: string): Promise<unknown>;
  detach(iam: IAMClient, name: string, policyArn: string): Promise<unknown>;
  listInline(iam: IAMClient, name: string): Promise<string[]>;
  /** The inline policy's document, decoded (IAM sends it URL-encoded). */
  getInline(iam: IAMClient, name: string, policyName: string): Promise<string>;
  putInline(iam: IAMClient, name: string, policyName: string, document: string): Promise<unknown>;
  deleteInline(iam: IAMClient, name: string, policyName: string): Promise<unknown>;
}

/** IAM sends policy documents URL-encoded; one that is not (or not validly) is shown as it came. */
function decode(document: string | undefined): string {
  try {
    return decodeURIComponent(document ?? '');
  } catch {
    return document ?? '';
  }
}

export const ENTITY_POLICIES: Record<EntityKind, EntityPolicies> = {
  user: {
    listAttached: async (iam, UserName) => (await iam.send(new ListAttachedUserPoliciesCommand({ UserName }))).AttachedPolicies ?? [],
    attach: (iam, UserName, PolicyArn) => iam.send(new AttachUserPolicyCommand({ UserName, PolicyArn })),
    detach: (iam, UserName, PolicyArn) => iam.send(new DetachUserPolicyCommand({ UserName, PolicyArn })),
    listInline: async (iam, UserName) => (await iam.send(new ListUserPoliciesCommand({ UserName }))).PolicyNames ?? [],
    getInline: async (iam, UserName, PolicyName) => decode((await iam.send(new GetUserPolicyCommand({ UserName, PolicyName }))).PolicyDocument),
    putInline: (iam, UserName, PolicyName, PolicyDocument) => iam.send(new PutUserPolicyCommand({ UserName, PolicyName, PolicyDocument })),
    deleteInline: (iam, UserName, PolicyName) => iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName })),
  },
  group: {
    listAttached: async (iam, GroupName) => (await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName }))).AttachedPolicies ?? [],
    attach: (iam, GroupName, PolicyArn) => iam.send(new AttachGroupPolicyCommand({ GroupName, PolicyArn })),
    detach: (iam, GroupName, PolicyArn) => iam.send(new DetachGroupPolicyCommand({ GroupName, PolicyArn })),
    listInline: async (iam, GroupName) => (await iam.send(new ListGroupPoliciesCommand({ GroupName }))).PolicyNames ?? [],
    getInline: async (iam, GroupName, PolicyName) => decode((await iam.send(new GetGroupPolicyCommand({ GroupName, PolicyName }))).PolicyDocument),
    putInline: (iam, GroupName, PolicyName, PolicyDocument) => iam.send(new PutGroupPolicyCommand({ GroupName, PolicyName, PolicyDocument })),
    deleteInline: (iam, GroupName, PolicyName) => iam.send(new DeleteGroupPolicyCommand({ GroupName, PolicyName })),
  },
  role: {
    listAttached: async (iam, RoleName) => (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName }))).AttachedPolicies ?? [],
    attach: (iam, RoleName, PolicyArn) => iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn })),
    detach: (iam, RoleName, PolicyArn) => iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn })),
    listInline: async (iam, RoleName) => (await iam.send(new ListRolePoliciesCommand({ RoleName }))).PolicyNames ?? [],
    getInline: async (iam, RoleName, PolicyName) => decode((await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument),
    putInline: (iam, RoleName, PolicyName, PolicyDocument) => iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument })),
    deleteInline: (iam, RoleName, PolicyName) => iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })),
  },
};

/** Detaches every managed policy and deletes every inline policy (before deleting the entity). */
export async function removeAllPolicies(iam: IAMClient, kind: EntityKind, name: string): Promise<void> {
  const ops = ENTITY_POLICIES[kind];
  const [attached, inline] = await Promise.all([ops.listAttached(iam, name), ops.listInline(iam, name)]);
  for (const policy of attached) await ops.detach(iam, name, policy.PolicyArn!);
  for (const policyName of inline) await ops.deleteInline(iam, name, policyName);
}
