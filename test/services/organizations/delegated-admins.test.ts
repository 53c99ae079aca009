// Trusted access for integrated services and delegated administrators: AWS's rules and
// errors, and the read-only access a delegated administrator gets.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { Store } from '../../../src/store/index.ts';
import { call, callAt, createMember, MANAGEMENT, NOW, OUTSIDER, rejects, storeWithOrganization } from './helpers.ts';

const GUARDDUTY = 'guardduty.amazonaws.com';
const CONFIG = 'config.amazonaws.com';

describe('Organizations: trusted access', () => {
  let store: Store;
  let memberId: string;
  beforeEach(async () => {
    ({ store } = await storeWithOrganization());
    memberId = await createMember(store, 'member@example.com');
  });

  it('EnableAWSServiceAccess lists the service with the date it was enabled; enabling it again keeps that date', async () => {
    await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: GUARDDUTY });
    const first = await call(store, 'ListAWSServiceAccessForOrganization');
    assert.deepEqual(first.EnabledServicePrincipals.map((s: { ServicePrincipal: string }) => s.ServicePrincipal), [GUARDDUTY]);
    assert.ok(first.EnabledServicePrincipals[0].DateEnabled instanceof Date);
    await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: GUARDDUTY });
    assert.deepEqual(await call(store, 'ListAWSServiceAccessForOrganization'), first);
  });

  it('an unknown service principal: InvalidInputException UNRECOGNIZED_SERVICE_PRINCIPAL', async () => {
    await rejects(call(store, 'EnableAWSServiceAccess', { ServicePrincipal: 'nosuch.amazonaws.com' }), 'InvalidInputException', 'UNRECOGNIZED_SERVICE_PRINCIPAL');
    await rejects(call(store, 'DisableAWSServiceAccess', { ServicePrincipal: 'guardduty' }), 'InvalidInputException', 'UNRECOGNIZED_SERVICE_PRINCIPAL');
  });

  it('only the management account enables trusted access; an account in no organization: AWSOrganizationsNotInUseException', async () => {
    await rejects(call(store, 'EnableAWSServiceAccess', { ServicePrincipal: GUARDDUTY }, memberId), 'AccessDeniedException');
    await rejects(call(store, 'EnableAWSServiceAccess', { ServicePrincipal: GUARDDUTY }, OUTSIDER), 'AWSOrganizationsNotInUseException');
    await rejects(call(store, 'ListAWSServiceAccessForOrganization', {}, memberId), 'AccessDeniedException');
  });

  it('an organization with consolidated billing only: ConstraintViolationException ORGANIZATION_NOT_IN_ALL_FEATURES_MODE', async () => {
    const { store: billing } = await storeWithOrganization('CONSOLIDATED_BILLING');
    await rejects(
      call(billing, 'EnableAWSServiceAccess', { ServicePrincipal: GUARDDUTY }),
      'ConstraintViolationException',
      'ORGANIZATION_NOT_IN_ALL_FEATURES_MODE',
    );
  });

  it('DisableAWSServiceAccess removes the service and deregisters its delegated administrators', async () => {
    await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: GUARDDUTY });
    await call(store, 'RegisterDelegatedAdministrator', { AccountId: memberId, ServicePrincipal: GUARDDUTY });
    await call(store, 'DisableAWSServiceAccess', { ServicePrincipal: GUARDDUTY });
    assert.deepEqual((await call(store, 'ListAWSServiceAccessForOrganization')).EnabledServicePrincipals, []);
    assert.deepEqual((await call(store, 'ListDelegatedAdministrators')).DelegatedAdministrators, []);
    // Disabling a service without trusted access is not an error.
    await call(store, 'DisableAWSServiceAccess', { ServicePrincipal: GUARDDUTY });
  });

  it('a service whose policy type is enabled keeps its access: POLICY_TYPE_ENABLED_FOR_THIS_SERVICE', async () => {
    const rootId = (await call(store, 'ListRoots')).Roots[0].Id;
    await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: 'securityhub.amazonaws.com' });
    await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: 'SECURITYHUB_POLICY' });
    await rejects(
      call(store, 'DisableAWSServiceAccess', { ServicePrincipal: 'securityhub.amazonaws.com' }),
      'ConstraintViolationException',
      'POLICY_TYPE_ENABLED_FOR_THIS_SERVICE',
    );
    await call(store, 'DisablePolicyType', { RootId: rootId, PolicyType: 'SECURITYHUB_POLICY' });
    await call(store, 'DisableAWSServiceAccess', { ServicePrincipal: 'securityhub.amazonaws.com' });
  });

  it('ListAWSServiceAccessForOrganization pages with MaxResults and NextToken', async () => {
    for (const service of [GUARDDUTY, CONFIG, 'sso.amazonaws.com']) await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: service });
    const first = await call(store, 'ListAWSServiceAccessForOrganization', { MaxResults: 2 });
    assert.equal(first.EnabledServicePrincipals.length, 2);
    const second = await call(store, 'ListAWSServiceAccessForOrganization', { MaxResults: 2, NextToken: first.NextToken });
    assert.deepEqual(second.EnabledServicePrincipals.map((s: { ServicePrincipal: string }) => s.ServicePrincipal), ['sso.amazonaws.com']);
    assert.equal(second.NextToken, undefined);
  });
});

describe('Organizations: delegated administrators', () => {
  let store: Store;
  let memberId: string;
  let otherId: string;
  beforeEach(async () => {
    ({ store } = await storeWithOrganization());
    memberId = await createMember(store, 'security@example.com', 'security');
    otherId = await createMember(store, 'other@example.com', 'other');
    await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: GUARDDUTY });
  });

  it('RegisterDelegatedAdministrator: the account is listed with its details and the date; the service is listed for the account', async () => {
    await call(store, 'RegisterDelegatedAdministrator', { AccountId: memberId, ServicePrincipal: GUARDDUTY });
    const { DelegatedAdministrators } = await call(store, 'ListDelegatedAdministrators');
    assert.equal(DelegatedAdministrators.length, 1);
    const [admin] = DelegatedAdministrators;
    assert.equal(admin.Id, memberId);
    assert.equal(admin.Name, 'security');
    assert.equal(admin.Email, 'security@example.com');
    assert.match(admin.Arn, new RegExp(`^arn:aws:organizations::${MANAGEMENT}:account/o-[a-z0-9]{10}/${memberId}$`));
    assert.ok(admin.DelegationEnabledDate instanceof Date);
    assert.equal(admin.Paths, undefined);
    const { DelegatedServices } = await call(store, 'ListDelegatedServicesForAccount', { AccountId: memberId });
    assert.deepEqual(DelegatedServices.map((s: { ServicePrincipal: string }) => s.ServicePrincipal), [GUARDDUTY]);
  });

  it('registering twice: AccountAlreadyRegisteredException; a second account for a one-administrator service: DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE', async () => {
    await call(store, 'RegisterDelegatedAdministrator', { AccountId: memberId, ServicePrincipal: GUARDDUTY });
    await rejects(call(store, 'RegisterDelegatedAdministrator', { AccountId: memberId, ServicePrincipal: GUARDDUTY }), 'AccountAlreadyRegisteredException');
    await rejects(
      call(store, 'RegisterDelegatedAdministrator', { AccountId: otherId, ServicePrincipal: GUARDDUTY }),
      'ConstraintViolationException',
      'DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE',
    );
  });

  it('AWS Config takes up to three administrators, then MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED', async () => {
    await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: CONFIG });
    const third = await createMember(store, 'third@example.com');
    const fourth = await createMember(store, 'fourth@example.com');
    for (const accountId of [memberId, otherId, third]) await call(store, 'RegisterDelegatedAdministrator', { AccountId: accountId, ServicePrincipal: CONFIG });
    await rejects(
      call(store, 'RegisterDelegatedAdministrator', { AccountId: fourth, ServicePrincipal: CONFIG }),
      'ConstraintViolationException',
      'MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED',
    );
    const { DelegatedAdministrators } = await call(store, 'ListDelegatedAdministrators', { ServicePrincipal: CONFIG, MaxResults: 2 });
    assert.equal(DelegatedAdministrators.length, 2);
  });

  it('the management account cannot be registered: CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR; an outside account: AccountNotFoundException', async () => {
    await rejects(
      call(store, 'RegisterDelegatedAdministrator', { AccountId: MANAGEMENT, ServicePrincipal: GUARDDUTY }),
      'ConstraintViolationException',
      'CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR',
    );
    await rejects(call(store, 'RegisterDelegatedAdministrator', { AccountId: OUTSIDER, ServicePrincipal: GUARDDUTY }), 'AccountNotFoundException');
  });

  it('a closed (SUSPENDED) account: CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR', async () => {
    await call(store, 'CloseAccount', { AccountId: otherId });
    const suspended = new Date(NOW.getTime() + 10 * 60 * 1000);
    await rejects(
      callAt(store, suspended, 'RegisterDelegatedAdministrator', { AccountId: otherId, ServicePrincipal: GUARDDUTY }),
      'ConstraintViolationException',
      'CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR',
    );
  });

  it('a service without trusted access: SERVICE_ACCESS_NOT_ENABLED; one that supports no delegated administrator: UNRECOGNIZED_SERVICE_PRINCIPAL', async () => {
    await rejects(
      call(store, 'RegisterDelegatedAdministrator', { AccountId: memberId, ServicePrincipal: 'macie.amazonaws.com' }),
      'ConstraintViolationException',
      'SERVICE_ACCESS_NOT_ENABLED',
    );
    await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: 'ram.amazonaws.com' });
    await rejects(
      call(store, 'RegisterDelegatedAdministrator', { AccountId: memberId, ServicePrincipal: 'ram.amazonaws.com' }),
      'InvalidInputException',
      'UNRECOGNIZED_SERVICE_PRINCIPAL',
    );
  });

  it('DeregisterDelegatedAdministrator: an account not registered for the service: AccountNotRegisteredException', async () => {
    await rejects(call(store, 'DeregisterDelegatedAdministrator', { AccountId: memberId, ServicePrincipal: GUARDDUTY }), 'AccountNotRegisteredException');
    await rejects(call(store, 'DeregisterDelegatedAdministrator', { AccountId: OUTSIDER, ServicePrincipal: GUARDDUTY }), 'AccountNotFoundException');
    await call(store, 'RegisterDelegatedAdministrator', { AccountId: memberId, ServicePrincipal: GUARDDUTY });
    await call(store, 'DeregisterDelegatedAdministrator', { AccountId: memberId, ServicePrincipal: GUARDDUTY });
    await rejects(call(store, 'ListDelegatedServicesForAccount', { AccountId: memberId }), 'AccountNotRegisteredException');
  });

  it('ListDelegatedAdministrators lists an account once, however many services it administers', async () => {
    await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: CONFIG });
    await call(store, 'RegisterDelegatedAdministrator', { AccountId: memberId, ServicePrincipal: GUARDDUTY });
    await call(store, 'RegisterDelegatedAdministrator', { AccountId: memberId, ServicePrincipal: CONFIG });
    assert.equal((await call(store, 'ListDelegatedAdministrators')).DelegatedAdministrators.length, 1);
    assert.equal((await call(store, 'ListDelegatedServicesForAccount', { AccountId: memberId })).DelegatedServices.length, 2);
    assert.deepEqual((await call(store, 'ListDelegatedAdministrators', { ServicePrincipal: 'sso.amazonaws.com' })).DelegatedAdministrators, []);
  });

  it('a delegated administrator reads the organization (accounts, OUs, policies, admins) but changes nothing; other members are refused', async () => {
    await call(store, 'RegisterDelegatedAdministrator', { AccountId: memberId, ServicePrincipal: GUARDDUTY });
    assert.equal((await call(store, 'ListAccounts', {}, memberId)).Accounts.length, 3);
    assert.equal((await call(store, 'ListRoots', {}, memberId)).Roots.length, 1);
    assert.equal((await call(store, 'DescribeAccount', { AccountId: otherId }, memberId)).Account.Id, otherId);
    assert.equal((await call(store, 'ListDelegatedAdministrators', {}, memberId)).DelegatedAdministrators.length, 1);
    assert.equal((await call(store, 'ListAWSServiceAccessForOrganization', {}, memberId)).EnabledServicePrincipals.length, 1);
    const rootId = (await call(store, 'ListRoots')).Roots[0].Id;
    await rejects(call(store, 'CreateOrganizationalUnit', { ParentId: rootId, Name: 'x' }, memberId), 'AccessDeniedException');
    await rejects(call(store, 'RegisterDelegatedAdministrator', { AccountId: otherId, ServicePrincipal: GUARDDUTY }, memberId), 'AccessDeniedException');
    await rejects(call(store, 'ListAccounts', {}, otherId), 'AccessDeniedException');
    await rejects(call(store, 'ListDelegatedAdministrators', {}, otherId), 'AccessDeniedException');
  });
});
