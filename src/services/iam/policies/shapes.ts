// Policy views -> the Policy and PolicyVersion structures IAM returns. ListPolicies
// leaves out Description and Tags (AWS documents both as GetPolicy-only).
import type { ManagedPolicyVersion } from '../../../policy/managed-policies.ts';
import type { Policy, PolicyVersion } from '../../../protocol/types/iam.ts';
import type { PolicyVersionRecord } from '../records.ts';
import { awsPolicyId, urlEncoded, usageOf, type PolicyView } from './shared.ts';

export type Detail = 'full' | 'listed';

export function policyShape(view: PolicyView, detail: Detail): Policy {
  const usage = usageOf(view);
  const counts = { AttachmentCount: usage.attachmentCount, PermissionsBoundaryUsageCount: usage.permissionsBoundaryUsageCount };
  if (view.scope === 'AWS') {
    const { policy } = view;
    return {
      PolicyName: policy.name,
      PolicyId: awsPolicyId(policy.arn),
      Arn: policy.arn,
      Path: policy.path,
      DefaultVersionId: policy.defaultVersionId,
      ...counts,
      IsAttachable: !policy.serviceLinkedRolePolicy,
      ...(policy.createDate ? { CreateDate: new Date(policy.createDate) } : {}),
      ...(policy.updateDate ? { UpdateDate: new Date(policy.updateDate) } : {}),
    };
  }
  const { record } = view;
  return {
    PolicyName: record.policyName,
    PolicyId: record.policyId,
    Arn: record.arn,
    Path: record.path,
    DefaultVersionId: record.defaultVersionId,
    ...counts,
    IsAttachable: true,
    ...(detail === 'full' && record.description !== undefined ? { Description: record.description } : {}),
    CreateDate: new Date(record.createDate),
    UpdateDate: new Date(record.updateDate),
    ...(detail === 'full' && record.tags.length > 0 ? { Tags: record.tags.map(({ Key, Value }) => ({ Key, Value })) } : {}),
  };
}

/** A version; the document only where AWS sends it (GetPolicyVersion, ListPolicyVersions), URL-encoded. */
export function versionShape(version: PolicyVersionRecord, defaultVersionId: string, withDocument: boolean): PolicyVersion {
  return {
    ...(withDocument ? { Document: urlEncoded(version.document) } : {}),
    VersionId: version.versionId,
    IsDefaultVersion: version.versionId === defaultVersionId,
    CreateDate: new Date(version.createDate),
  };
}

export function awsVersionShape(version: ManagedPolicyVersion, withDocument: boolean, fallbackDate: string | undefined): PolicyVersion {
  const created = version.createDate ?? fallbackDate;
  return {
    ...(withDocument ? { Document: urlEncoded(version.document) } : {}),
    VersionId: version.versionId,
    IsDefaultVersion: version.isDefaultVersion,
    ...(created ? { CreateDate: new Date(created) } : {}),
  };
}
