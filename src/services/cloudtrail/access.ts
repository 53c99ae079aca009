// What each CloudTrail operation needs: cloudtrail:<Operation> on the trail it names,
// or on '*' for operations that look across the account. An organization trail exists in
// each member account too: a member's call on it is decided within the member's account.
import { arnAccount } from '../../policy/values/arn.ts';
import type { AccessDeclaration } from '../authorization.ts';
import { deregisterAccess, registerAccess } from './delegated-admin.ts';
import { organizationTrailOwner, organizationTrailsSeenBy } from './organization-trails.ts';
import { arnForName, trailArn } from './trails.ts';

const action = (operation: string) => `cloudtrail:${operation}`;

/** The trail named by `member` (a name or an ARN). */
function onTrail(operation: string, member: string): AccessDeclaration {
  return async (input, context) => {
    const name = input[member];
    if (typeof name !== 'string') return [{ action: action(operation), resource: '*' }];
    const resource = arnForName(name, context);
    const caller = context.principal.accountId;
    const seenInCallerAccount =
      arnAccount(resource) !== caller && (await organizationTrailsSeenBy(context.store, caller)).some((t) => trailArn(t) === resource);
    return [{ action: action(operation), resource, ...(seenInCallerAccount && { resourceAccount: caller }) }];
  };
}

function onAnything(operation: string): AccessDeclaration {
  return () => [{ action: action(operation), resource: '*' }];
}

export const cloudTrailAccess: Record<string, AccessDeclaration> = {
  LookupEvents: onAnything('LookupEvents'),
  DescribeTrails: onAnything('DescribeTrails'),
  ListTrails: onAnything('ListTrails'),
  ListPublicKeys: onAnything('ListPublicKeys'),
  // AWS links it to cloudtrail:LookupEvents, and for a trail's data-event Insights also to cloudtrail:ListInsightsData on the trail.
  ListInsightsMetricData: async (input, context) => [
    { action: action('LookupEvents'), resource: '*' },
    ...(typeof input.TrailName === 'string' ? await onTrail('ListInsightsData', 'TrailName')(input, context) : []),
  ],
  // A delegated administrator's organization trail is the management account's, decided within the caller's account.
  CreateTrail: async (input, context) => {
    const caller = context.principal.accountId;
    const owner = input.IsOrganizationTrail === true ? await organizationTrailOwner(context.store, caller) : caller;
    const resource = trailArn({ homeRegion: context.region, accountId: owner, name: input.Name as string });
    const tagKeys = ((input.TagsList as { Key: string }[] | undefined) ?? []).map((t) => t.Key);
    return [
      {
        action: action('CreateTrail'),
        resource,
        ...(owner !== caller && { resourceAccount: caller }),
        ...(tagKeys.length > 0 && { context: { 'aws:TagKeys': tagKeys } }),
      },
    ];
  },
  UpdateTrail: onTrail('UpdateTrail', 'Name'),
  DeleteTrail: onTrail('DeleteTrail', 'Name'),
  GetTrail: onTrail('GetTrail', 'Name'),
  GetTrailStatus: onTrail('GetTrailStatus', 'Name'),
  StartLogging: onTrail('StartLogging', 'Name'),
  StopLogging: onTrail('StopLogging', 'Name'),
  GetEventSelectors: onTrail('GetEventSelectors', 'TrailName'),
  PutEventSelectors: onTrail('PutEventSelectors', 'TrailName'),
  GetInsightSelectors: onTrail('GetInsightSelectors', 'TrailName'),
  PutInsightSelectors: onTrail('PutInsightSelectors', 'TrailName'),
  GetEventConfiguration: onTrail('GetEventConfiguration', 'TrailName'),
  PutEventConfiguration: onTrail('PutEventConfiguration', 'TrailName'),
  AddTags: onTrail('AddTags', 'ResourceId'),
  RemoveTags: onTrail('RemoveTags', 'ResourceId'),
  RegisterOrganizationDelegatedAdmin: registerAccess,
  DeregisterOrganizationDelegatedAdmin: deregisterAccess,
  ListTags: (input) =>
    ((input.ResourceIdList as string[] | undefined) ?? []).map((resource) => ({ action: action('ListTags'), resource })),
};
