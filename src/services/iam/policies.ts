// IAM policies: customer and AWS managed policies with their versions and tags,
// attachments to users, groups and roles, inline policies, permissions boundaries and
// ListPoliciesGrantingServiceAccess. One handler table for the IAM service to merge;
// the pieces live in ./policies/. policiesForPrincipal() gathers what authorization
// evaluates for a user or role.
import type { Operations } from '../../protocol/types/iam.ts';
import type { Handlers } from '../handlers.ts';
import { attachmentHandlers } from './policies/attachments.ts';
import { boundaryHandlers } from './policies/boundaries.ts';
import { inlinePolicyHandlers } from './policies/inline.ts';
import { managedPolicyHandlers } from './policies/managed.ts';
import { serviceAccessHandlers } from './policies/service-access.ts';
import { policyVersionHandlers } from './policies/versions.ts';

export const policyHandlers: Handlers<Operations> = {
  ...managedPolicyHandlers,
  ...policyVersionHandlers,
  ...attachmentHandlers,
  ...inlinePolicyHandlers,
  ...boundaryHandlers,
  ...serviceAccessHandlers,
};

export { policiesForPrincipal, inlinePolicyId, type PolicyDocumentRef, type PrincipalPolicies } from './policies/principal.ts';
export { countBoundaryUse } from './policies/boundaries.ts';
