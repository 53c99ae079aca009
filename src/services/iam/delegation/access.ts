// What each delegation operation needs to be allowed (Service Authorization Reference:
// resource type delegation-request, arn:aws:iam::ACCOUNT:delegation-request/ID, and
// the condition keys iam:DelegationRequestOwner, iam:TemplateArn,
// iam:NotificationChannel, iam:DelegationDuration).
//
// The owner's "default permissions" (AWS: an owned request's owner may get and update
// it; an unowned request may be read and claimed by the accounts it is open to) are a
// resource policy on the request, so an explicit Deny in the caller's policies still wins.
import type { ContextValue } from '../../../policy/index.ts';
import type { AccessDeclaration, AccessRequirement } from '../../authorization.ts';
import type { RequestContext } from '../../service.ts';
import { DELEGATION_STORE, type DelegationRequestRecord } from '../records.ts';
import { delegationRequestArn } from './parties.ts';

type Input = Record<string, unknown>;

/** The resource policy that grants the request's default permissions, if any apply. */
export function defaultPermissions(record: DelegationRequestRecord, arn: string): AccessRequirement['resourcePolicy'] {
  const statement = record.ownerId
    ? { Effect: 'Allow', Principal: { AWS: record.ownerId }, Action: ['iam:GetDelegationRequest', 'iam:GetHumanReadableSummary', 'iam:UpdateDelegationRequest'] }
    : {
        Effect: 'Allow',
        Principal: '*',
        Action: ['iam:GetDelegationRequest', 'iam:GetHumanReadableSummary', 'iam:AssociateDelegationRequest'],
        ...(record.ownerAccountId ? { Condition: { StringEquals: { 'aws:PrincipalAccount': record.ownerAccountId } } } : {}),
      };
  const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DelegationRequestDefaults', ...statement, Resource: arn }] });
  return { id: `delegation-request-defaults/${record.id}`, document };
}

function onRequest(operation: string): AccessDeclaration {
  return async (input: Input, context: RequestContext) => {
    // GetHumanReadableSummary names the request by ARN, the others by id.
    const id = (input.DelegationRequestId as string | undefined) ?? String(input.EntityArn).slice(String(input.EntityArn).lastIndexOf('/') + 1);
    const arn = delegationRequestArn(context.principal.accountId, id);
    const record = await context.store.get<DelegationRequestRecord>(DELEGATION_STORE.requests, id);
    const conditions: Record<string, ContextValue> = record?.ownerId ? { 'iam:DelegationRequestOwner': record.ownerId } : {};
    return [
      {
        action: `iam:${operation}`,
        resource: arn,
        context: conditions,
        ...(record ? { resourcePolicy: defaultPermissions(record, arn) } : {}),
      },
    ];
  };
}

const createRequest: AccessDeclaration = (input, context) => {
  const permissions = input.Permissions as { PolicyTemplateArn?: string } | undefined;
  const conditions: Record<string, ContextValue> = {
    'iam:NotificationChannel': input.NotificationChannel as string,
    'iam:DelegationDuration': String(input.SessionDuration),
  };
  if (permissions?.PolicyTemplateArn) conditions['iam:TemplateArn'] = permissions.PolicyTemplateArn;
  return [{ action: 'iam:CreateDelegationRequest', resource: delegationRequestArn(context.principal.accountId, '*'), context: conditions }];
};

const listRequests: AccessDeclaration = (input) => {
  const conditions: Record<string, ContextValue> = {};
  if (typeof input.OwnerId === 'string') conditions['iam:DelegationRequestOwner'] = input.OwnerId;
  return [{ action: 'iam:ListDelegationRequests', resource: '*', context: conditions }];
};

/** Replaces the generic IAM declarations of these operations (merge after iamAccessDeclarations). */
export const delegationAccess: Record<string, AccessDeclaration> = {
  CreateDelegationRequest: createRequest,
  ListDelegationRequests: listRequests,
  GetDelegationRequest: onRequest('GetDelegationRequest'),
  AssociateDelegationRequest: onRequest('AssociateDelegationRequest'),
  UpdateDelegationRequest: onRequest('UpdateDelegationRequest'),
  AcceptDelegationRequest: onRequest('AcceptDelegationRequest'),
  RejectDelegationRequest: onRequest('RejectDelegationRequest'),
  SendDelegationToken: onRequest('SendDelegationToken'),
  GetHumanReadableSummary: onRequest('GetHumanReadableSummary'),
};
