// CloudTrail's organization delegated administrators, called directly: CloudTrail's errors
// for what Organizations refuses, the registration being Organizations' own record, and
// what each registration call must be allowed.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { cloudTrailAccess } from '../../../src/services/cloudtrail/access.ts';
import { cloudTrailHandlers } from '../../../src/services/cloudtrail/index.ts';
import { CLOSURE_DELAY_MS } from '../../../src/services/organizations/shared.ts';
import type { Store } from '../../../src/store/index.ts';
import { call, contextFor, createMember, MANAGEMENT, NOW, rejects, storeWithOrganization } from '../organizations/helpers.ts';

const CLOUDTRAIL = 'cloudtrail.amazonaws.com';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function cloudTrail(store: Store, operation: string, input: object, accountId = MANAGEMENT, now = NOW): Promise<any> {
  const handler = cloudTrailHandlers[operation as keyof typeof cloudTrailHandlers]!;
  return handler(input as never, { ...contextFor(store, accountId), now });
}

const register = (store: Store, accountId: string, now?: Date) =>
  cloudTrail(store, 'RegisterOrganizationDelegatedAdmin', { MemberAccountId: accountId }, MANAGEMENT, now);
const orgTrail = (name: string) => ({ Name: name, S3BucketName: 'org-bucket', IsOrganizationTrail: true });

/** A new organization (all features) with one member account. */
async function organizationWithMember(): Promise<{ store: Store; member: string }> {
  const { store } = await storeWithOrganization();
  return { store, member: await createMember(store, 'logging@example.com') };
}

describe('CloudTrail organization delegated administrators', () => {
  let store: Store;
  let member: string;
  beforeEach(async () => {
    ({ store, member } = await organizationWithMember());
  });

  it('an organization with consolidated billing only: OrganizationNotInAllFeaturesModeException', async () => {
    const { store: billing } = await storeWithOrganization('CONSOLIDATED_BILLING');
    const account = await createMember(billing, 'billing@example.com');
    await rejects(register(billing, account), 'OrganizationNotInAllFeaturesModeException');
    await rejects(cloudTrail(billing, 'DeregisterOrganizationDelegatedAdmin', { DelegatedAdminAccountId: account }), 'OrganizationNotInAllFeaturesModeException');
  });

  it('a closed (SUSPENDED) account cannot be registered: InvalidParameterException', async () => {
    await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: CLOUDTRAIL });
    await call(store, 'CloseAccount', { AccountId: member });
    await rejects(register(store, member, new Date(NOW.getTime() + CLOSURE_DELAY_MS)), 'InvalidParameterException');
  });

  it("an account registered through Organizations' RegisterDelegatedAdministrator is CloudTrail's delegated administrator too", async () => {
    await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: CLOUDTRAIL });
    await rejects(cloudTrail(store, 'CreateTrail', orgTrail('org-trail'), member), 'NotOrganizationMasterAccountException');
    await call(store, 'RegisterDelegatedAdministrator', { AccountId: member, ServicePrincipal: CLOUDTRAIL });
    const created = await cloudTrail(store, 'CreateTrail', orgTrail('org-trail'), member);
    assert.equal(created.TrailARN, `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org-trail`);
    await rejects(register(store, member), 'AccountRegisteredException');
  });

  it('disabling CloudTrail trusted access deregisters its delegated administrators: the trails stay, their administration ends', async () => {
    await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: CLOUDTRAIL });
    await register(store, member);
    await cloudTrail(store, 'CreateTrail', orgTrail('org-trail'), member);
    await call(store, 'DisableAWSServiceAccess', { ServicePrincipal: CLOUDTRAIL });
    await rejects(cloudTrail(store, 'StartLogging', { Name: 'org-trail' }, member), 'NotOrganizationMasterAccountException');
    const { trailList } = await cloudTrail(store, 'DescribeTrails', {});
    assert.deepEqual(trailList.map((t: { Name: string }) => t.Name), ['org-trail']);
  });

  it("a delegated administrator's organization trails count against the management account's five per region", async () => {
    await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: CLOUDTRAIL });
    await register(store, member);
    for (const name of ['one', 'two', 'three', 'four']) await cloudTrail(store, 'CreateTrail', { Name: name, S3BucketName: 'own-bucket' });
    await cloudTrail(store, 'CreateTrail', orgTrail('five'), member);
    await rejects(cloudTrail(store, 'CreateTrail', orgTrail('six'), member), 'MaximumNumberOfTrailsExceededException');
    await cloudTrail(store, 'CreateTrail', { Name: 'own', S3BucketName: 'own-bucket' }, member);
  });
});

describe('CloudTrail organization delegated administrators: what a call must be allowed', () => {
  let store: Store;
  let member: string;
  beforeEach(async () => {
    ({ store, member } = await organizationWithMember());
    await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: CLOUDTRAIL });
  });
  const actionsOf = async (operation: string, input: object, accountId = MANAGEMENT) =>
    (await cloudTrailAccess[operation]!(input as Record<string, unknown>, contextFor(store, accountId))).map((r) => r.action);

  it("registering: Organizations' RegisterDelegatedAdministrator and ListAWSServiceAccessForOrganization, IAM's GetRole, and CreateServiceLinkedRole while the role is missing", async () => {
    const input = { MemberAccountId: member };
    const needed = [
      'cloudtrail:RegisterOrganizationDelegatedAdmin',
      'organizations:RegisterDelegatedAdministrator',
      'organizations:ListAWSServiceAccessForOrganization',
      'iam:GetRole',
    ];
    assert.deepEqual(await actionsOf('RegisterOrganizationDelegatedAdmin', input), [...needed, 'iam:CreateServiceLinkedRole']);
    await register(store, member);
    assert.deepEqual(await actionsOf('RegisterOrganizationDelegatedAdmin', input), needed);
  });

  it("a member's call stops at CloudTrail's own action: CloudTrail refuses it before calling Organizations", async () => {
    assert.deepEqual(await actionsOf('RegisterOrganizationDelegatedAdmin', { MemberAccountId: member }, member), ['cloudtrail:RegisterOrganizationDelegatedAdmin']);
    assert.deepEqual(await actionsOf('DeregisterOrganizationDelegatedAdmin', { DelegatedAdminAccountId: member }, member), [
      'cloudtrail:DeregisterOrganizationDelegatedAdmin',
    ]);
  });

  it("the Organizations action is on the member's account ARN, with organizations:ServicePrincipal", async () => {
    const requirements = await cloudTrailAccess.DeregisterOrganizationDelegatedAdmin!({ DelegatedAdminAccountId: member }, contextFor(store, MANAGEMENT));
    const organizations = requirements.find((r) => r.action === 'organizations:DeregisterDelegatedAdministrator')!;
    assert.match(organizations.resource, new RegExp(`^arn:aws:organizations::${MANAGEMENT}:account/o-[a-z0-9]+/${member}$`));
    assert.equal(organizations.context?.['organizations:ServicePrincipal'], CLOUDTRAIL);
  });
});
