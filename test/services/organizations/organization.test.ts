// The organization, its OU tree and its accounts, through the handlers.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { COLLECTIONS, type RoleRecord } from '../../../src/services/iam/records.ts';
import { openStore, type Store } from '../../../src/store/index.ts';
import { call, MANAGEMENT, OUTSIDER, rejects, storeWithOrganization } from './helpers.ts';

describe('Organizations: the organization', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore('memory:');
  });

  it('CreateOrganization makes the caller the management account, with AWS id and ARN formats', async () => {
    const { Organization: org } = await call(store, 'CreateOrganization', {});
    assert.match(org.Id, /^o-[a-z0-9]{10}$/);
    assert.equal(org.FeatureSet, 'ALL');
    assert.equal(org.MasterAccountId, MANAGEMENT);
    assert.equal(org.Arn, `arn:aws:organizations::${MANAGEMENT}:organization/${org.Id}`);
    assert.equal(org.MasterAccountArn, `arn:aws:organizations::${MANAGEMENT}:account/${org.Id}/${MANAGEMENT}`);
    const { Roots } = await call(store, 'ListRoots');
    assert.equal(Roots.length, 1);
    assert.match(Roots[0].Id, /^r-[a-z0-9]{4}$/);
    assert.equal(Roots[0].Arn, `arn:aws:organizations::${MANAGEMENT}:root/${org.Id}/${Roots[0].Id}`);
    assert.deepEqual(Roots[0].PolicyTypes, []);
    const { Accounts } = await call(store, 'ListAccounts');
    assert.deepEqual(Accounts.map((a: { Id: string }) => a.Id), [MANAGEMENT]);
  });

  it('CreateOrganization twice: AlreadyInOrganizationException', async () => {
    await call(store, 'CreateOrganization', { FeatureSet: 'CONSOLIDATED_BILLING' });
    await rejects(call(store, 'CreateOrganization', {}), 'AlreadyInOrganizationException');
  });

  it('an account in no organization: AWSOrganizationsNotInUseException with AWS message', async () => {
    await rejects(call(store, 'DescribeOrganization'), 'AWSOrganizationsNotInUseException', undefined, 'Your account is not a member of an organization.');
    await rejects(call(store, 'ListRoots'), 'AWSOrganizationsNotInUseException');
  });

  it('DeleteOrganization removes an organization with no members; with a member: OrganizationNotEmptyException', async () => {
    await call(store, 'CreateOrganization');
    await call(store, 'CreateAccount', { Email: 'a@example.com', AccountName: 'a' });
    await rejects(call(store, 'DeleteOrganization'), 'OrganizationNotEmptyException');

    const other = await openStore('memory:');
    await call(other, 'CreateOrganization');
    await call(other, 'DeleteOrganization');
    await rejects(call(other, 'DescribeOrganization'), 'AWSOrganizationsNotInUseException');
    await call(other, 'CreateOrganization'); // the account is free to make a new one
  });
});

describe('Organizations: OUs', () => {
  let store: Store;
  let rootId: string;
  beforeEach(async () => {
    ({ store, rootId } = await storeWithOrganization());
  });

  it('CreateOrganizationalUnit nests five levels below the root; a sixth: ConstraintViolationException OU_DEPTH_LIMIT_EXCEEDED', async () => {
    let parentId = rootId;
    const ids: string[] = [];
    for (let depth = 1; depth <= 5; depth++) {
      const { OrganizationalUnit: ou } = await call(store, 'CreateOrganizationalUnit', { ParentId: parentId, Name: `level-${depth}` });
      assert.match(ou.Id, new RegExp(`^ou-${rootId.slice(2)}-[a-z0-9]{8}$`));
      ids.push(ou.Id);
      parentId = ou.Id;
    }
    await rejects(call(store, 'CreateOrganizationalUnit', { ParentId: parentId, Name: 'level-6' }), 'ConstraintViolationException', 'OU_DEPTH_LIMIT_EXCEEDED');
    const { OrganizationalUnit: deepest } = await call(store, 'DescribeOrganizationalUnit', { OrganizationalUnitId: ids[4] });
    assert.equal(deepest.Name, 'level-5');
    assert.ok(deepest.Path.endsWith(`/${rootId}/${ids.join('/')}/`));
  });

  it('OU names are unique among siblings: DuplicateOrganizationalUnitException', async () => {
    const { OrganizationalUnit: a } = await call(store, 'CreateOrganizationalUnit', { ParentId: rootId, Name: 'prod' });
    await rejects(call(store, 'CreateOrganizationalUnit', { ParentId: rootId, Name: 'prod' }), 'DuplicateOrganizationalUnitException');
    await call(store, 'CreateOrganizationalUnit', { ParentId: a.Id, Name: 'prod' }); // another parent: fine
    const { OrganizationalUnit: b } = await call(store, 'CreateOrganizationalUnit', { ParentId: rootId, Name: 'dev' });
    await rejects(call(store, 'UpdateOrganizationalUnit', { OrganizationalUnitId: b.Id, Name: 'prod' }), 'DuplicateOrganizationalUnitException');
    const { OrganizationalUnit: renamed } = await call(store, 'UpdateOrganizationalUnit', { OrganizationalUnitId: b.Id, Name: 'test' });
    assert.equal(renamed.Name, 'test');
  });

  it('unknown parent: ParentNotFoundException; unknown OU: OrganizationalUnitNotFoundException', async () => {
    await rejects(call(store, 'CreateOrganizationalUnit', { ParentId: 'ou-zzzz-zzzzzzzz', Name: 'x' }), 'ParentNotFoundException');
    await rejects(call(store, 'DescribeOrganizationalUnit', { OrganizationalUnitId: 'ou-zzzz-zzzzzzzz' }), 'OrganizationalUnitNotFoundException');
  });

  it('DeleteOrganizationalUnit refuses an OU with children: OrganizationalUnitNotEmptyException', async () => {
    const { OrganizationalUnit: parent } = await call(store, 'CreateOrganizationalUnit', { ParentId: rootId, Name: 'p' });
    const { OrganizationalUnit: child } = await call(store, 'CreateOrganizationalUnit', { ParentId: parent.Id, Name: 'c' });
    await rejects(call(store, 'DeleteOrganizationalUnit', { OrganizationalUnitId: parent.Id }), 'OrganizationalUnitNotEmptyException');
    await call(store, 'DeleteOrganizationalUnit', { OrganizationalUnitId: child.Id });
    await call(store, 'DeleteOrganizationalUnit', { OrganizationalUnitId: parent.Id });
    assert.deepEqual((await call(store, 'ListOrganizationalUnitsForParent', { ParentId: rootId })).OrganizationalUnits, []);
  });

  it('ListChildren, ListParents and ListOrganizationalUnitsForParent follow the tree, paginated by MaxResults', async () => {
    for (const name of ['a', 'b', 'c']) await call(store, 'CreateOrganizationalUnit', { ParentId: rootId, Name: name });
    const first = await call(store, 'ListChildren', { ParentId: rootId, ChildType: 'ORGANIZATIONAL_UNIT', MaxResults: 2 });
    assert.equal(first.Children.length, 2);
    assert.ok(first.NextToken);
    const second = await call(store, 'ListChildren', { ParentId: rootId, ChildType: 'ORGANIZATIONAL_UNIT', MaxResults: 2, NextToken: first.NextToken });
    assert.equal(second.Children.length, 1);
    assert.equal(second.NextToken, undefined);
    const { Parents } = await call(store, 'ListParents', { ChildId: second.Children[0].Id });
    assert.deepEqual(Parents, [{ Id: rootId, Type: 'ROOT' }]);
    const accounts = await call(store, 'ListChildren', { ParentId: rootId, ChildType: 'ACCOUNT' });
    assert.deepEqual(accounts.Children, [{ Id: MANAGEMENT, Type: 'ACCOUNT' }]);
  });
});

describe('Organizations: accounts', () => {
  let store: Store;
  let rootId: string;
  beforeEach(async () => {
    ({ store, rootId } = await storeWithOrganization());
  });

  it('CreateAccount answers IN_PROGRESS; DescribeCreateAccountStatus then SUCCEEDED with a new 12-digit account', async () => {
    const { CreateAccountStatus: started } = await call(store, 'CreateAccount', { Email: 'dev@example.com', AccountName: 'dev' });
    assert.equal(started.State, 'IN_PROGRESS');
    assert.match(started.Id, /^car-[a-z0-9]{8,32}$/);
    assert.equal(started.AccountId, undefined);
    const { CreateAccountStatus: done } = await call(store, 'DescribeCreateAccountStatus', { CreateAccountRequestId: started.Id });
    assert.equal(done.State, 'SUCCEEDED');
    assert.match(done.AccountId, /^\d{12}$/);
    assert.notEqual(done.AccountId, MANAGEMENT);
    const { Account } = await call(store, 'DescribeAccount', { AccountId: done.AccountId });
    assert.equal(Account.Email, 'dev@example.com');
    assert.equal(Account.JoinedMethod, 'CREATED');
    assert.equal(Account.Status, 'ACTIVE');
    const { Accounts } = await call(store, 'ListAccountsForParent', { ParentId: rootId });
    assert.equal(Accounts.length, 2);
    const listed = await call(store, 'ListCreateAccountStatus', { States: ['SUCCEEDED'] });
    assert.deepEqual(listed.CreateAccountStatuses.map((s: { Id: string }) => s.Id), [started.Id]);
  });

  it('CreateAccount makes OrganizationAccountAccessRole in the new account, trusting the management account, with AdministratorAccess', async () => {
    const { CreateAccountStatus: started } = await call(store, 'CreateAccount', { Email: 'ops@example.com', AccountName: 'ops' });
    const { AccountId } = (await call(store, 'DescribeCreateAccountStatus', { CreateAccountRequestId: started.Id })).CreateAccountStatus;
    const role = await store.get<RoleRecord>(COLLECTIONS.roles, `${AccountId}/organizationaccountaccessrole`);
    assert.ok(role, 'the role exists in the member account');
    assert.equal(role.arn, `arn:aws:iam::${AccountId}:role/OrganizationAccountAccessRole`);
    assert.deepEqual(JSON.parse(role.assumeRolePolicyDocument).Statement[0].Principal, { AWS: `arn:aws:iam::${MANAGEMENT}:root` });
    const attachments = await store.list<{ policyArn: string }>(COLLECTIONS.attachments, { prefix: `${AccountId}/` });
    assert.deepEqual(attachments.items.map((entry) => entry.value.policyArn), ['arn:aws:iam::aws:policy/AdministratorAccess']);
  });

  it('CreateAccount with an email already in use: the request FAILED with EMAIL_ALREADY_EXISTS', async () => {
    await call(store, 'CreateAccount', { Email: 'same@example.com', AccountName: 'one' });
    const { CreateAccountStatus: started } = await call(store, 'CreateAccount', { Email: 'SAME@example.com', AccountName: 'two' });
    const { CreateAccountStatus: status } = await call(store, 'DescribeCreateAccountStatus', { CreateAccountRequestId: started.Id });
    assert.equal(status.State, 'FAILED');
    assert.equal(status.FailureReason, 'EMAIL_ALREADY_EXISTS');
    assert.equal((await call(store, 'ListAccounts')).Accounts.length, 2);
  });

  it('unknown request id: CreateAccountStatusNotFoundException; unknown account: AccountNotFoundException', async () => {
    await rejects(call(store, 'DescribeCreateAccountStatus', { CreateAccountRequestId: 'car-00000000' }), 'CreateAccountStatusNotFoundException');
    await rejects(call(store, 'DescribeAccount', { AccountId: OUTSIDER }), 'AccountNotFoundException');
  });

  it('a member account may describe the organization but not administer it: AccessDeniedException', async () => {
    const { CreateAccountStatus: started } = await call(store, 'CreateAccount', { Email: 'm@example.com', AccountName: 'm' });
    const { AccountId } = (await call(store, 'DescribeCreateAccountStatus', { CreateAccountRequestId: started.Id })).CreateAccountStatus;
    const { Organization } = await call(store, 'DescribeOrganization', {}, AccountId);
    assert.equal(Organization.MasterAccountId, MANAGEMENT);
    await rejects(call(store, 'ListAccounts', {}, AccountId), 'AccessDeniedException');
    await rejects(call(store, 'CreateOrganizationalUnit', { ParentId: rootId, Name: 'x' }, AccountId), 'AccessDeniedException');
    await rejects(call(store, 'CreateOrganization', {}, AccountId), 'AlreadyInOrganizationException');
  });

  it('MoveAccount: to an OU; from the wrong source: SourceParentNotFoundException; to where it is: DuplicateAccountException', async () => {
    const { OrganizationalUnit: ou } = await call(store, 'CreateOrganizationalUnit', { ParentId: rootId, Name: 'prod' });
    await rejects(call(store, 'MoveAccount', { AccountId: MANAGEMENT, SourceParentId: ou.Id, DestinationParentId: rootId }), 'DuplicateAccountException');
    await rejects(call(store, 'MoveAccount', { AccountId: MANAGEMENT, SourceParentId: ou.Id, DestinationParentId: ou.Id }), 'SourceParentNotFoundException');
    await rejects(
      call(store, 'MoveAccount', { AccountId: MANAGEMENT, SourceParentId: rootId, DestinationParentId: 'ou-zzzz-zzzzzzzz' }),
      'DestinationParentNotFoundException',
    );
    await call(store, 'MoveAccount', { AccountId: MANAGEMENT, SourceParentId: rootId, DestinationParentId: ou.Id });
    assert.deepEqual((await call(store, 'ListParents', { ChildId: MANAGEMENT })).Parents, [{ Id: ou.Id, Type: 'ORGANIZATIONAL_UNIT' }]);
    assert.deepEqual((await call(store, 'ListAccountsForParent', { ParentId: rootId })).Accounts, []);
  });
});
