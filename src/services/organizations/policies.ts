// Organization policies: Create/Describe/Update/DeletePolicy, ListPolicies, Attach/
// DetachPolicy on the root, OUs and accounts, ListPoliciesForTarget, ListTargetsForPolicy.
import { validatePolicy } from '../../policy/validate.ts';
import { ORGANIZATIONS_MESSAGE } from '../../policy/validate/problems.ts';
import { AwsError } from '../../protocol/errors.ts';
import type { RequestContext } from '../service.ts';
import {
  accessDenied,
  constraintViolation,
  duplicatePolicy,
  duplicatePolicyAttachment,
  policyInUse,
  policyNotAttached,
  policyNotFound,
  policyTypeNotAvailable,
  policyTypeNotEnabled,
} from './errors.ts';
import { syntaxProblems, type Json } from './policy-inheritance.ts';
import { AWS_MANAGED_POLICIES, newPolicyId, type OrganizationRecord, type PolicyRecord, type Tag } from './records.ts';
import {
  arnOf,
  changeDelegable,
  findPolicy,
  managedOrganization,
  nameOf,
  page,
  policySummaryShape,
  requireTarget,
} from './shared.ts';

/** Per policy type: which document rules apply and AWS's quotas (characters; attached per target). */
const POLICY_TYPE_RULES: Record<string, { kind?: 'scp' | 'rcp'; maxSize: number; maxAttached: number }> = {
  SERVICE_CONTROL_POLICY: { kind: 'scp', maxSize: 5120, maxAttached: 5 },
  RESOURCE_CONTROL_POLICY: { kind: 'rcp', maxSize: 5120, maxAttached: 5 },
  AISERVICES_OPT_OUT_POLICY: { maxSize: 2500, maxAttached: 5 },
};
const OTHER_TYPE_RULES = { maxSize: 10000, maxAttached: 10 };
/** AWS's quota of policies of one type in an organization. */
export const MAX_POLICIES_PER_TYPE = 1000;

function rulesOf(type: string) {
  return POLICY_TYPE_RULES[type] ?? OTHER_TYPE_RULES;
}

/** SCPs and RCPs follow IAM's grammar with their own restrictions; management policies use the inheritance operators correctly. */
function assertValidContent(content: string, type: string): void {
  const rules = rulesOf(type);
  if (rules.kind) {
    const result = validatePolicy(content, rules.kind, { sizeTarget: rules.kind });
    if (result.ok) return;
    if (result.code === 'ConstraintViolationException') throw constraintViolation('POLICY_CONTENT_LIMIT_EXCEEDED');
    throw new AwsError('MalformedPolicyDocumentException', result.message);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || syntaxProblems(parsed as Json).length > 0) {
    throw new AwsError('MalformedPolicyDocumentException', ORGANIZATIONS_MESSAGE);
  }
  if (content.length > rules.maxSize) throw constraintViolation('POLICY_CONTENT_LIMIT_EXCEEDED');
}

function requirePolicy(org: OrganizationRecord, id: string): PolicyRecord {
  const policy = findPolicy(org, id);
  if (!policy) throw policyNotFound();
  return policy;
}

/** AWS managed policies cannot be changed or deleted. */
function requireCustomerPolicy(org: OrganizationRecord, id: string): PolicyRecord {
  const policy = requirePolicy(org, id);
  if (policy.id in AWS_MANAGED_POLICIES) throw accessDenied();
  return policy;
}

function assertNameFree(org: OrganizationRecord, type: string, name: string, except?: string): void {
  if (Object.values(org.policies).some((policy) => policy.type === type && policy.name === name && policy.id !== except)) throw duplicatePolicy();
}

function policyShape(org: OrganizationRecord, policy: PolicyRecord) {
  return { Policy: { PolicySummary: policySummaryShape(org, policy), Content: policy.content } };
}

function attachedOfType(org: OrganizationRecord, targetId: string, type: string): string[] {
  return org.attachments
    .filter((attachment) => attachment.targetId === targetId && findPolicy(org, attachment.policyId)?.type === type)
    .map((attachment) => attachment.policyId);
}

interface PageInput {
  NextToken?: string;
  MaxResults?: number;
}

export const policyHandlers = {
  async CreatePolicy(input: { Content: string; Description: string; Name: string; Type: string; Tags?: Tag[] }, context: RequestContext) {
    assertValidContent(input.Content, input.Type);
    return changeDelegable(context, (org) => {
      if (org.featureSet !== 'ALL') throw policyTypeNotAvailable();
      assertNameFree(org, input.Type, input.Name);
      if (Object.values(org.policies).filter((policy) => policy.type === input.Type).length >= MAX_POLICIES_PER_TYPE) {
        throw constraintViolation('POLICY_NUMBER_LIMIT_EXCEEDED');
      }
      const policy: PolicyRecord = {
        id: newPolicyId(),
        name: input.Name,
        description: input.Description,
        type: input.Type,
        content: input.Content,
        tags: input.Tags ?? [],
      };
      org.policies[policy.id] = policy;
      return policyShape(org, policy);
    });
  },

  async DescribePolicy(input: { PolicyId: string }, context: RequestContext) {
    const org = await managedOrganization(context);
    return policyShape(org, requirePolicy(org, input.PolicyId));
  },

  async UpdatePolicy(input: { PolicyId: string; Name?: string; Description?: string; Content?: string }, context: RequestContext) {
    return changeDelegable(context, (org) => {
      const policy = requireCustomerPolicy(org, input.PolicyId);
      if (input.Content !== undefined) assertValidContent(input.Content, policy.type);
      if (input.Name !== undefined) assertNameFree(org, policy.type, input.Name, policy.id);
      if (input.Name !== undefined) policy.name = input.Name;
      if (input.Description !== undefined) policy.description = input.Description;
      if (input.Content !== undefined) policy.content = input.Content;
      return policyShape(org, policy);
    });
  },

  async DeletePolicy(input: { PolicyId: string }, context: RequestContext) {
    await changeDelegable(context, (org) => {
      const policy = requireCustomerPolicy(org, input.PolicyId);
      if (org.attachments.some((attachment) => attachment.policyId === policy.id)) throw policyInUse();
      delete org.policies[policy.id];
    });
    return {};
  },

  async ListPolicies(input: { Filter: string } & PageInput, context: RequestContext) {
    const org = await managedOrganization(context);
    const all = [...Object.values(AWS_MANAGED_POLICIES), ...Object.values(org.policies)].filter((policy) => policy.type === input.Filter);
    const { items, NextToken } = page(all, input);
    return { Policies: items.map((policy) => policySummaryShape(org, policy)), ...(NextToken ? { NextToken } : {}) };
  },

  async AttachPolicy(input: { PolicyId: string; TargetId: string }, context: RequestContext) {
    await changeDelegable(context, (org) => {
      const policy = requirePolicy(org, input.PolicyId);
      requireTarget(org, input.TargetId);
      if (!org.enabledPolicyTypes.includes(policy.type)) throw policyTypeNotEnabled();
      const attached = attachedOfType(org, input.TargetId, policy.type);
      if (attached.includes(policy.id)) throw duplicatePolicyAttachment();
      if (attached.length >= rulesOf(policy.type).maxAttached) throw constraintViolation('MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
      org.attachments.push({ policyId: policy.id, targetId: input.TargetId });
    });
    return {};
  },

  /**
   * Every root, OU and account keeps at least one SCP while SCPs are enabled, and
   * RCPFullAWSAccess cannot be detached.
   */
  async DetachPolicy(input: { PolicyId: string; TargetId: string }, context: RequestContext) {
    await changeDelegable(context, (org) => {
      const policy = requirePolicy(org, input.PolicyId);
      requireTarget(org, input.TargetId);
      const attached = attachedOfType(org, input.TargetId, policy.type);
      if (!attached.includes(policy.id)) throw policyNotAttached();
      const lastScp = policy.type === 'SERVICE_CONTROL_POLICY' && attached.length === 1;
      if (lastScp || policy.id === 'p-RCPFullAWSAccess') throw constraintViolation('MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
      org.attachments = org.attachments.filter((a) => !(a.policyId === policy.id && a.targetId === input.TargetId));
    });
    return {};
  },

  async ListPoliciesForTarget(input: { TargetId: string; Filter: string } & PageInput, context: RequestContext) {
    const org = await managedOrganization(context);
    requireTarget(org, input.TargetId);
    const { items, NextToken } = page(attachedOfType(org, input.TargetId, input.Filter), input);
    return { Policies: items.map((id) => policySummaryShape(org, findPolicy(org, id)!)), ...(NextToken ? { NextToken } : {}) };
  },

  async ListTargetsForPolicy(input: { PolicyId: string } & PageInput, context: RequestContext) {
    const org = await managedOrganization(context);
    const policy = requirePolicy(org, input.PolicyId);
    const targets = org.attachments.filter((attachment) => attachment.policyId === policy.id).map((attachment) => attachment.targetId);
    const { items, NextToken } = page(targets, input);
    return {
      Targets: items.map((id) => ({ TargetId: id, Arn: arnOf(org, id), Name: nameOf(org, id), Type: requireTarget(org, id) })),
      ...(NextToken ? { NextToken } : {}),
    };
  },
};
