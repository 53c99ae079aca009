// The simulator's operations: gather the policies (the principal's own from the store,
// the caller's extra ones from the request), then simulate.ts evaluates them.
import type { RequestPrincipal } from '../../../policy/index.ts';
import type { Operations } from '../../../protocol/types/iam.ts';
import type { Handlers } from '../../handlers.ts';
import { organizationControls } from '../../principal-policies.ts';
import type { RequestContext } from '../../service.ts';
import { invalidInput, noSuchEntity } from '../common.ts';
import { contextKeysOf } from './context-keys.ts';
import { simulate, type Simulation } from './simulate.ts';
import { identityPoliciesOf, parseIdentityArn, type SourcedPolicy } from './sources.ts';

function inputPolicies(list: readonly string[] | undefined, name: string): SourcedPolicy[] {
  return (list ?? []).map((document, i) => ({ sourceId: `${name}.${i + 1}`, sourceType: 'none', document }));
}

function inputBoundary(list: readonly string[] | undefined): SourcedPolicy | undefined {
  if (!list || list.length === 0) return undefined;
  if (list.length > 1) throw invalidInput('Only one permissions boundary policy can be simulated.');
  return inputPolicies(list, 'PermissionsBoundaryPolicyInputList')[0];
}

/** CallerArn must name an IAM user (not a role session, federated user or service). */
function callerPrincipal(callerArn: string): RequestPrincipal {
  const caller = parseIdentityArn(callerArn);
  if (!caller || caller.kind !== 'user') throw invalidInput(`Invalid CallerArn: ${callerArn}. Only IAM users can be callers.`);
  return { type: 'user', arn: callerArn, accountId: caller.accountId };
}

/** The entity the simulation runs as, when no CallerArn says otherwise. */
function sourcePrincipal(kind: 'user' | 'group' | 'role', arn: string, accountId: string, name: string): RequestPrincipal {
  if (kind === 'role') {
    return { type: 'assumed-role', arn: `arn:aws:sts::${accountId}:assumed-role/${name}/simulation`, accountId, roleArn: arn };
  }
  // A group has no caller of its own: its policies are simulated for a member.
  return { type: 'user', arn: kind === 'user' ? arn : `arn:aws:iam::${accountId}:user/${name}`, accountId };
}

/** The SCPs that bind the simulated principal, as its account's organization sets them. */
async function simulatedOrganization(context: RequestContext, principal: RequestPrincipal): Promise<Simulation['organization']> {
  const controls = await organizationControls(context.store, principal.accountId!);
  const serviceLinkedRole = principal.roleArn?.includes(':role/aws-service-role/') ?? false;
  if (!controls?.scps) return undefined;
  return { scps: controls.scps, principalInManagementAccount: controls.managementAccount, serviceLinkedRole };
}

async function principalPolicies(context: RequestContext, sourceArn: string) {
  const source = parseIdentityArn(sourceArn);
  if (!source) throw invalidInput(`Invalid ARN: ${sourceArn}. PolicySourceArn must name an IAM user, group or role.`);
  const accountId = context.principal.accountId;
  if (source.accountId !== accountId) throw noSuchEntity(`The ${source.kind} with name ${source.name} cannot be found.`);
  return { source, accountId, policies: await identityPoliciesOf(context.store, accountId, source.kind, source.name) };
}

export const simulationHandlers: Handlers<Operations> = {
  async SimulatePrincipalPolicy(input, context) {
    const { source, accountId, policies } = await principalPolicies(context, input.PolicySourceArn);
    if (input.ResourcePolicy !== undefined && input.CallerArn === undefined && source.kind !== 'user') {
      throw invalidInput('CallerArn is required when a ResourcePolicy is simulated for a group or role.');
    }
    const boundary = inputBoundary(input.PermissionsBoundaryPolicyInputList) ?? policies.boundary;
    const principal = input.CallerArn
      ? callerPrincipal(input.CallerArn)
      : sourcePrincipal(source.kind, policies.entity.arn, accountId, source.name);
    return simulate({
      accountId,
      principal,
      organization: await simulatedOrganization(context, principal),
      identity: [...policies.identity, ...inputPolicies(input.PolicyInputList, 'PolicyInputList')],
      ...(boundary ? { boundary } : {}),
      ...(input.ResourcePolicy !== undefined ? { resourcePolicy: input.ResourcePolicy } : {}),
      request: input,
    });
  },

  async SimulateCustomPolicy(input, context) {
    const accountId = context.principal.accountId;
    if (input.ResourcePolicy !== undefined && input.CallerArn === undefined) {
      throw invalidInput('CallerArn is required when a ResourcePolicy is simulated.');
    }
    const boundary = inputBoundary(input.PermissionsBoundaryPolicyInputList);
    // Without a caller the policies are simulated for an anonymous IAM user of the account.
    const principal: RequestPrincipal = input.CallerArn
      ? callerPrincipal(input.CallerArn)
      : { type: 'user', arn: `arn:aws:iam::${accountId}:user/SimulatedCaller`, accountId };
    return simulate({
      accountId,
      principal,
      organization: await simulatedOrganization(context, principal),
      identity: inputPolicies(input.PolicyInputList, 'PolicyInputList'),
      ...(boundary ? { boundary } : {}),
      ...(input.ResourcePolicy !== undefined ? { resourcePolicy: input.ResourcePolicy } : {}),
      request: input,
    });
  },

  async GetContextKeysForPrincipalPolicy(input, context) {
    const { policies } = await principalPolicies(context, input.PolicySourceArn);
    const documents = [...policies.identity.map((p) => p.document), ...(input.PolicyInputList ?? [])];
    return { ContextKeyNames: contextKeysOf(documents) };
  },

  GetContextKeysForCustomPolicy(input) {
    return { ContextKeyNames: contextKeysOf(input.PolicyInputList) };
  },
};
