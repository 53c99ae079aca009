// Service-linked roles: roles an AWS service creates for itself, named and placed by
// the service (AWSServiceRoleForAutoScaling under /aws-service-role/autoscaling.amazonaws.com/),
// trusting only that service, changeable only through these operations.
import { randomUUID } from 'node:crypto';
import type { Operations } from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { invalidInput, noSuchEntity } from '../common.ts';
import {
  attachmentKey,
  COLLECTIONS,
  type AttachmentRecord,
  type RoleRecord,
  type ServiceLinkedRoleDeletionRecord,
} from '../records.ts';
import { DEFAULT_MAX_SESSION_DURATION, createRoleRecord, removeRoleRecord } from './roles.ts';
import { roleShape } from './shapes.ts';
import { accountOf, accountPrefix, listAll, load } from './shared.ts';

interface LinkedService {
  /** The role's name without a custom suffix. */
  roleName: string;
  /** Whether the service accepts CustomSuffix (most do not). */
  customSuffix: boolean;
}

/** The role names AWS's services give their service-linked roles (IAM User Guide, "AWS services that work with IAM"). */
export const LINKED_SERVICES: Readonly<Record<string, LinkedService>> = {
  'autoscaling.amazonaws.com': { roleName: 'AWSServiceRoleForAutoScaling', customSuffix: true },
  'elasticbeanstalk.amazonaws.com': { roleName: 'AWSServiceRoleForElasticBeanstalk', customSuffix: true },
  'ecs.amazonaws.com': { roleName: 'AWSServiceRoleForECS', customSuffix: false },
  'eks.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonEKS', customSuffix: false },
  'eks-nodegroup.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonEKSNodegroup', customSuffix: false },
  'elasticloadbalancing.amazonaws.com': { roleName: 'AWSServiceRoleForElasticLoadBalancing', customSuffix: false },
  'rds.amazonaws.com': { roleName: 'AWSServiceRoleForRDS', customSuffix: false },
  'es.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonElasticsearchService', customSuffix: false },
  'opensearchservice.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonOpenSearchService', customSuffix: false },
  'spot.amazonaws.com': { roleName: 'AWSServiceRoleForEC2Spot', customSuffix: false },
  'spotfleet.amazonaws.com': { roleName: 'AWSServiceRoleForEC2SpotFleet', customSuffix: false },
  'guardduty.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonGuardDuty', customSuffix: false },
  'config.amazonaws.com': { roleName: 'AWSServiceRoleForConfig', customSuffix: false },
  'securityhub.amazonaws.com': { roleName: 'AWSServiceRoleForSecurityHub', customSuffix: false },
  'cloudtrail.amazonaws.com': { roleName: 'AWSServiceRoleForCloudTrail', customSuffix: false },
  'access-analyzer.amazonaws.com': { roleName: 'AWSServiceRoleForAccessAnalyzer', customSuffix: false },
  'organizations.amazonaws.com': { roleName: 'AWSServiceRoleForOrganizations', customSuffix: false },
  'inspector2.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonInspector2', customSuffix: false },
  'macie.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonMacie', customSuffix: false },
  'sso.amazonaws.com': { roleName: 'AWSServiceRoleForSSO', customSuffix: false },
  'ssm.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonSSM', customSuffix: false },
  'support.amazonaws.com': { roleName: 'AWSServiceRoleForSupport', customSuffix: false },
  'trustedadvisor.amazonaws.com': { roleName: 'AWSServiceRoleForTrustedAdvisor', customSuffix: false },
  'elasticmapreduce.amazonaws.com': { roleName: 'AWSServiceRoleForEMRCleanup', customSuffix: false },
  'dynamodb.application-autoscaling.amazonaws.com': {
    roleName: 'AWSServiceRoleForApplicationAutoScaling_DynamoDBTable',
    customSuffix: false,
  },
  'ecs.application-autoscaling.amazonaws.com': {
    roleName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
    customSuffix: false,
  },
  'lex.amazonaws.com': { roleName: 'AWSServiceRoleForLexBots', customSuffix: true },
};

const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/;

/** A service outside the table gets AWS's usual pattern: AWSServiceRoleFor + its capitalised prefix. */
function linkedService(serviceName: string): LinkedService {
  const known = LINKED_SERVICES[serviceName];
  if (known) return known;
  if (!SERVICE_PRINCIPAL.test(serviceName)) throw invalidInput(`Invalid service name: ${serviceName}`);
  const prefix = serviceName.slice(0, -'.amazonaws.com'.length).split(/[.-]/).reverse()[0]!;
  return { roleName: `AWSServiceRoleFor${prefix.charAt(0).toUpperCase()}${prefix.slice(1)}`, customSuffix: false };
}

/** The trust policy AWS writes: only the service may assume the role. */
export function serviceTrustPolicy(serviceName: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: [serviceName] }, Action: ['sts:AssumeRole'] }],
  });
}

/** Creates the service's role in the caller's account (CreateServiceLinkedRole, and services that make their own). */
export async function createServiceLinkedRole(context: RequestContext, serviceName: string, customSuffix?: string, description?: string): Promise<RoleRecord> {
  const service = linkedService(serviceName);
  if (customSuffix !== undefined && !service.customSuffix) {
    throw invalidInput(`Custom suffix is not allowed for ${serviceName}`);
  }
  const roleName = customSuffix ? `${service.roleName}_${customSuffix}` : service.roleName;
  return createRoleRecord(
    context,
    {
      roleName,
      path: `/aws-service-role/${serviceName}/`,
      assumeRolePolicyDocument: serviceTrustPolicy(serviceName),
      description,
      maxSessionDuration: DEFAULT_MAX_SESSION_DURATION,
      tags: [],
      serviceLinkedTo: serviceName,
    },
    (name) => invalidInput(`Service role name ${name} has been taken in this account, please try a different suffix.`),
  );
}

/** `task/aws-service-role/<service-principal-name>/<role-name>/<task-uuid>`, as the API reference documents. */
const DELETION_TASK_ID = /^task\/aws-service-role\/[^/]+\/[^/]+\/[0-9a-f-]{36}$/;

export const serviceLinkedRoleHandlers: Handlers<Operations> = {
  async CreateServiceLinkedRole(input, context) {
    const role = await createServiceLinkedRole(context, input.AWSServiceName, input.CustomSuffix, input.Description);
    return { Role: roleShape(role, 'full') };
  },

  /**
   * Bulwark has no service resources that could still use the role, so the deletion
   * task succeeds at once; the role's policies go with it, as the service removes them.
   */
  async DeleteServiceLinkedRole(input, context) {
    const accountId = accountOf(context);
    return context.store.transaction(async (tx) => {
      const role = await load(tx, 'role', accountId, input.RoleName);
      if (!role.serviceLinkedTo) {
        throw invalidInput(`Role ${role.roleName} is not a service-linked role and cannot be deleted with DeleteServiceLinkedRole.`);
      }
      await removeRolePolicies(tx, role);
      await removeRoleRecord(tx, role);
      const taskId = `task/aws-service-role/${role.serviceLinkedTo}/${role.roleName}/${randomUUID()}`;
      const task: ServiceLinkedRoleDeletionRecord = {
        accountId,
        roleName: role.roleName,
        status: 'SUCCEEDED',
        createDate: context.now.toISOString(),
      };
      await tx.put(COLLECTIONS.serviceLinkedRoleDeletions, taskId, task);
      return { DeletionTaskId: taskId };
    });
  },

  async GetServiceLinkedRoleDeletionStatus(input, context) {
    if (!DELETION_TASK_ID.test(input.DeletionTaskId)) {
      throw invalidInput(`Invalid deletion task id: ${input.DeletionTaskId}`);
    }
    const task = await context.store.get<ServiceLinkedRoleDeletionRecord>(
      COLLECTIONS.serviceLinkedRoleDeletions,
      input.DeletionTaskId,
    );
    if (!task || task.accountId !== accountOf(context)) {
      throw noSuchEntity(`Deletion task ${input.DeletionTaskId} cannot be found.`);
    }
    return { Status: task.status };
  },
};

async function removeRolePolicies(tx: Documents, role: RoleRecord): Promise<void> {
  const inlinePrefix = `${role.accountId}/role/${role.roleName.toLowerCase()}/`;
  for (const { key } of await listAll(tx, COLLECTIONS.inlinePolicies, inlinePrefix)) {
    await tx.delete(COLLECTIONS.inlinePolicies, key);
  }
  for (const { value } of await listAll<AttachmentRecord>(tx, COLLECTIONS.attachments, accountPrefix(role.accountId))) {
    if (value.kind === 'role' && value.name.toLowerCase() === role.roleName.toLowerCase()) {
      await tx.delete(COLLECTIONS.attachments, attachmentKey(role.accountId, value.policyArn, 'role', value.name));
    }
  }
}
