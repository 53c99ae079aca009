// IAM temporary delegation, handler by handler: a partner account creates delegation
// requests, a customer account claims, forwards, accepts or rejects them and releases
// their token, and every state expires on Bulwark's clock.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { Principal } from '../../../src/auth/principal.ts';
import { Clock } from '../../../src/lib/clock.ts';
import { compilePolicy, evaluate } from '../../../src/policy/index.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import type { CreateDelegationRequestRequest, Operations } from '../../../src/protocol/types/iam.ts';
import type { Handlers } from '../../../src/services/handlers.ts';
import { delegationAccess, delegationHandlers } from '../../../src/services/iam/delegation.ts';
import { identityHandlers } from '../../../src/services/iam/identities.ts';
import { policyHandlers } from '../../../src/services/iam/policies.ts';
import type { RequestContext } from '../../../src/services/service.ts';
import { openStore, type Store } from '../../../src/store/index.ts';

const PARTNER = '111122223333';
const CUSTOMER = '444455556666';
const STRANGER = '777788889999';
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

const ALL: Handlers<Operations> = { ...identityHandlers, ...policyHandlers, ...delegationHandlers };

const root = (accountId: string): Principal => ({ type: 'Root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId });
const user = (accountId: string, userName: string): Principal => ({
  type: 'IAMUser',
  accountId,
  arn: `arn:aws:iam::${accountId}:user/${userName}`,
  userId: `AIDA${userName.toUpperCase().padEnd(17, 'X')}`,
  userName,
  path: '/',
});

let store: Store;
let now: Date;

function contextFor(principal: Principal): RequestContext {
  return {
    requestId: 'test',
    principal,
    accessKeyId: undefined,
    region: 'us-east-1',
    now,
    clock: new Clock(),
    store,
    defaultAccountId: PARTNER,
    sourceIp: undefined,
  };
}

async function call<K extends keyof Operations>(
  operation: K,
  input: Operations[K]['input'],
  principal: Principal = root(PARTNER),
): Promise<Operations[K]['output']> {
  const handler = ALL[operation];
  assert.ok(handler, `no handler for ${operation}`);
  return handler(input, contextFor(principal));
}

function awsError(code: string, message?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  };
}

const TEMPLATE_ARN = `arn:aws:iam::${PARTNER}:policy/delegation/LogReader`;
const TEMPLATE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['logs:GetLogEvents'], Resource: 'arn:aws:logs:{{Region}}:*:log-group:{{LogGroup}}' },
    { Effect: 'Allow', Action: 'sagemaker:DescribeEndpoint', Resource: 'arn:aws:sagemaker:{{Region}}:444455556666:endpoint/{{Endpoints}}' },
  ],
});

async function registerTemplate(): Promise<void> {
  await call('CreatePolicy', { PolicyName: 'LogReader', Path: '/delegation/', PolicyDocument: TEMPLATE });
}

let workflow = 0;
function requestInput(overrides: Partial<CreateDelegationRequestRequest> = {}): CreateDelegationRequestRequest {
  workflow += 1;
  return {
    Description: 'Read the endpoint logs to troubleshoot',
    Permissions: {
      PolicyTemplateArn: TEMPLATE_ARN,
      Parameters: [
        { Name: 'Region', Values: ['us-east-1'], Type: 'string' },
        { Name: 'LogGroup', Values: ['/aws/sagemaker/Endpoints/ep'], Type: 'string' },
        { Name: 'Endpoints', Values: ['ep', 'ep2'], Type: 'stringList' },
      ],
    },
    RequestorWorkflowId: `workflow-${workflow}`,
    NotificationChannel: `arn:aws:sns:us-east-1:${PARTNER}:delegations`,
    SessionDuration: 3600,
    ...overrides,
  };
}

async function createRequest(overrides: Partial<CreateDelegationRequestRequest> = {}): Promise<string> {
  const created = await call('CreateDelegationRequest', requestInput(overrides));
  return created.DelegationRequestId!;
}

async function get(id: string, principal: Principal = root(PARTNER)) {
  return (await call('GetDelegationRequest', { DelegationRequestId: id }, principal)).DelegationRequest!;
}

/** A request targeted at CUSTOMER and claimed there by `owner`. */
async function ownedRequest(owner: Principal = user(CUSTOMER, 'alice'), overrides: Partial<CreateDelegationRequestRequest> = {}) {
  const id = await createRequest({ OwnerAccountId: CUSTOMER, ...overrides });
  await call('AssociateDelegationRequest', { DelegationRequestId: id }, owner);
  return id;
}

beforeEach(async () => {
  store = await openStore('memory:');
  now = new Date('2025-11-20T09:00:00.000Z');
  await registerTemplate();
});

function advance(ms: number): void {
  now = new Date(now.getTime() + ms);
}

describe('CreateDelegationRequest', () => {
  it('creates an UNASSIGNED request that expires in one day, with the template filled in', async () => {
    const created = await call('CreateDelegationRequest', requestInput({ RequestMessage: 'Ticket 42', RedirectUrl: 'https://partner.example.com/back' }));
    const id = created.DelegationRequestId!;
    assert.match(id, /^[\w-]{16,128}$/);
    assert.ok(created.ConsoleDeepLink!.endsWith(id));
    const request = await get(id);
    assert.equal(request.State, 'UNASSIGNED');
    assert.equal(request.RequestorId, PARTNER);
    assert.equal(request.OwnerAccountId, undefined);
    assert.equal(request.OwnerId, undefined);
    assert.equal(request.RequestMessage, 'Ticket 42');
    assert.equal(request.RedirectUrl, 'https://partner.example.com/back');
    assert.equal(request.SessionDuration, 3600);
    assert.equal(request.OnlySendByOwner, false);
    assert.deepEqual(request.CreateDate, now);
    assert.deepEqual(request.ExpirationTime, new Date(now.getTime() + DAY));
    assert.deepEqual(JSON.parse(request.PermissionPolicy!), {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['logs:GetLogEvents'], Resource: 'arn:aws:logs:us-east-1:*:log-group:/aws/sagemaker/Endpoints/ep' },
        {
          Effect: 'Allow',
          Action: 'sagemaker:DescribeEndpoint',
          Resource: ['arn:aws:sagemaker:us-east-1:444455556666:endpoint/ep', 'arn:aws:sagemaker:us-east-1:444455556666:endpoint/ep2'],
        },
      ],
    });
  });

  it('rejects a second request with the same RequestorWorkflowId: EntityAlreadyExists; another account may reuse it', async () => {
    await createRequest({ RequestorWorkflowId: 'wf-unique' });
    await assert.rejects(createRequest({ RequestorWorkflowId: 'wf-unique' }), awsError('EntityAlreadyExistsException', /wf-unique/));
    // Another partner has its own workflow ids (and its own template).
    await call('CreatePolicy', { PolicyName: 'T', PolicyDocument: TEMPLATE }, root(STRANGER));
    const other = await call(
      'CreateDelegationRequest',
      requestInput({
        RequestorWorkflowId: 'wf-unique',
        NotificationChannel: `arn:aws:sns:us-east-1:${STRANGER}:t`,
        Permissions: { ...requestInput().Permissions, PolicyTemplateArn: `arn:aws:iam::${STRANGER}:policy/T` },
      }),
      root(STRANGER),
    );
    assert.ok(other.DelegationRequestId);
  });

  it('accepts only an SNS topic of the requestor account as NotificationChannel: InvalidInput', async () => {
    await assert.rejects(createRequest({ NotificationChannel: 'https-endpoint' }), awsError('InvalidInputException', /not an SNS topic/));
    await assert.rejects(
      createRequest({ NotificationChannel: `arn:aws:sns:us-east-1:${CUSTOMER}:t` }),
      awsError('InvalidInputException', /requestor account/),
    );
  });

  it('needs a policy template the requestor owns, filled completely: InvalidInput', async () => {
    const parameters = requestInput().Permissions.Parameters!;
    const withPermissions = (Permissions: CreateDelegationRequestRequest['Permissions']) => createRequest({ Permissions });
    await assert.rejects(withPermissions({ Parameters: parameters }), awsError('InvalidInputException', /PolicyTemplateArn/));
    await assert.rejects(
      withPermissions({ PolicyTemplateArn: `arn:aws:iam::${PARTNER}:policy/Missing`, Parameters: parameters }),
      awsError('InvalidInputException', /does not exist/),
    );
    // The customer's policies are not the partner's templates.
    await call('CreatePolicy', { PolicyName: 'Theirs', PolicyDocument: TEMPLATE }, root(CUSTOMER));
    await assert.rejects(
      withPermissions({ PolicyTemplateArn: `arn:aws:iam::${CUSTOMER}:policy/Theirs`, Parameters: parameters }),
      awsError('InvalidInputException', /does not exist/),
    );
    await assert.rejects(
      withPermissions({ PolicyTemplateArn: TEMPLATE_ARN, Parameters: parameters.slice(1) }),
      awsError('InvalidInputException', /Region has no value/),
    );
    await assert.rejects(
      withPermissions({ PolicyTemplateArn: TEMPLATE_ARN, Parameters: [...parameters, { Name: 'Unused', Values: ['x'], Type: 'string' }] }),
      awsError('InvalidInputException', /no parameter Unused/),
    );
    await assert.rejects(
      withPermissions({
        PolicyTemplateArn: TEMPLATE_ARN,
        Parameters: [{ Name: 'Region', Values: ['a', 'b'], Type: 'string' }, ...parameters.slice(1)],
      }),
      awsError('InvalidInputException', /exactly one value/),
    );
  });

  it('lists the permissions boundaries the policy demands on roles it lets the partner create', async () => {
    const boundary = `arn:aws:iam::${CUSTOMER}:policy/PartnerBoundary`;
    await call('CreatePolicy', {
      PolicyName: 'RoleMaker',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:CreateRole', Resource: '*', Condition: { StringEquals: { 'iam:PermissionsBoundary': '{{Boundary}}' } } },
        ],
      }),
    });
    const id = await createRequest({
      Permissions: { PolicyTemplateArn: `arn:aws:iam::${PARTNER}:policy/RoleMaker`, Parameters: [{ Name: 'Boundary', Values: [boundary] }] },
    });
    assert.deepEqual((await get(id)).RolePermissionRestrictionArns, [boundary]);
  });
});

describe('GetDelegationRequest', () => {
  it('answers NoSuchEntity (404) for an unknown id', async () => {
    await assert.rejects(call('GetDelegationRequest', { DelegationRequestId: 'dr-doesnotexist0000' }), awsError('NoSuchEntityException', /cannot be found/));
  });

  it('shows a targeted request to the requestor and the owner account only: AccessDenied for others', async () => {
    const id = await createRequest({ OwnerAccountId: CUSTOMER });
    assert.equal((await get(id, root(PARTNER))).OwnerAccountId, CUSTOMER);
    assert.equal((await get(id, user(CUSTOMER, 'bob'))).State, 'UNASSIGNED');
    await assert.rejects(get(id, root(STRANGER)), awsError('AccessDenied', /iam:GetDelegationRequest/));
  });

  it('shows an untargeted request to any account until one owns it', async () => {
    const id = await createRequest();
    assert.equal((await get(id, root(STRANGER))).State, 'UNASSIGNED');
    await call('AssociateDelegationRequest', { DelegationRequestId: id }, user(CUSTOMER, 'alice'));
    await assert.rejects(get(id, root(STRANGER)), awsError('AccessDenied'));
  });

  it('checks whether the caller holds the permissions it would delegate', async () => {
    const id = await ownedRequest();
    const check = (principal: Principal) =>
      call('GetDelegationRequest', { DelegationRequestId: id, DelegationPermissionCheck: true }, principal);
    const byRoot = await check(root(CUSTOMER));
    assert.equal(byRoot.PermissionCheckStatus, 'COMPLETE');
    assert.equal(byRoot.PermissionCheckResult, 'ALLOWED');

    await call('CreateUser', { UserName: 'alice' }, root(CUSTOMER));
    assert.equal((await check(user(CUSTOMER, 'alice'))).PermissionCheckResult, 'DENIED');

    await call(
      'PutUserPolicy',
      {
        UserName: 'alice',
        PolicyName: 'observe',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['logs:Get*', 'sagemaker:Describe*'], Resource: '*' }],
        }),
      },
      root(CUSTOMER),
    );
    assert.equal((await check(user(CUSTOMER, 'alice'))).PermissionCheckResult, 'ALLOWED');

    // Allowed on one endpoint only: the wildcard log group cannot be decided, the second endpoint is denied.
    await call(
      'PutUserPolicy',
      {
        UserName: 'alice',
        PolicyName: 'observe',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['sagemaker:DescribeEndpoint'], Resource: 'arn:aws:sagemaker:us-east-1:444455556666:endpoint/ep' }],
        }),
      },
      root(CUSTOMER),
    );
    assert.equal((await check(user(CUSTOMER, 'alice'))).PermissionCheckResult, 'DENIED');
    // Without the check, no check fields.
    assert.equal((await call('GetDelegationRequest', { DelegationRequestId: id }, root(CUSTOMER))).PermissionCheckStatus, undefined);
  });
});

describe('AssociateDelegationRequest', () => {
  it('lets the targeted account claim the request: ASSIGNED, owned by the caller, seven days to act', async () => {
    const id = await createRequest({ OwnerAccountId: CUSTOMER });
    advance(HOUR);
    await call('AssociateDelegationRequest', { DelegationRequestId: id }, user(CUSTOMER, 'alice'));
    const request = await get(id);
    assert.equal(request.State, 'ASSIGNED');
    assert.equal(request.OwnerId, `arn:aws:iam::${CUSTOMER}:user/alice`);
    assert.deepEqual(request.UpdatedTime, now);
    assert.deepEqual(request.ExpirationTime, new Date(now.getTime() + 7 * DAY));
  });

  it('refuses any other account for a targeted request: AccessDenied', async () => {
    const id = await createRequest({ OwnerAccountId: CUSTOMER });
    await assert.rejects(
      call('AssociateDelegationRequest', { DelegationRequestId: id }, root(STRANGER)),
      awsError('AccessDenied', /is for account 444455556666/),
    );
  });

  it('lets any account claim an untargeted request, which then belongs to that account', async () => {
    const id = await createRequest();
    await call('AssociateDelegationRequest', { DelegationRequestId: id }, root(STRANGER));
    const request = await get(id);
    assert.equal(request.OwnerAccountId, STRANGER);
    assert.equal(request.OwnerId, `arn:aws:iam::${STRANGER}:root`);
  });

  it('cannot claim a request twice: ConcurrentModification', async () => {
    const id = await ownedRequest();
    await assert.rejects(
      call('AssociateDelegationRequest', { DelegationRequestId: id }, user(CUSTOMER, 'bob')),
      awsError('ConcurrentModificationException', /is ASSIGNED and cannot be associated/),
    );
  });

  it('answers NoSuchEntity for an unknown id', async () => {
    await assert.rejects(call('AssociateDelegationRequest', { DelegationRequestId: 'dr-unknown-request-1' }, root(CUSTOMER)), awsError('NoSuchEntityException'));
  });
});

describe('UpdateDelegationRequest', () => {
  it('forwards the request for approval: PENDING_APPROVAL with the notes', async () => {
    const id = await ownedRequest();
    await call('UpdateDelegationRequest', { DelegationRequestId: id, Notes: 'Please approve, ticket 42' }, user(CUSTOMER, 'alice'));
    let request = await get(id);
    assert.equal(request.State, 'PENDING_APPROVAL');
    assert.equal(request.Notes, 'Please approve, ticket 42');
    await call('UpdateDelegationRequest', { DelegationRequestId: id, Notes: 'Still waiting' }, user(CUSTOMER, 'alice'));
    request = await get(id);
    assert.equal(request.State, 'PENDING_APPROVAL');
    assert.equal(request.Notes, 'Still waiting');
  });

  it('is for the owner account only: AccessDenied for the requestor, and before anyone owns it', async () => {
    const id = await createRequest({ OwnerAccountId: CUSTOMER });
    await assert.rejects(call('UpdateDelegationRequest', { DelegationRequestId: id }, root(CUSTOMER)), awsError('AccessDenied'));
    await call('AssociateDelegationRequest', { DelegationRequestId: id }, user(CUSTOMER, 'alice'));
    await assert.rejects(call('UpdateDelegationRequest', { DelegationRequestId: id }, root(PARTNER)), awsError('AccessDenied'));
  });
});

describe('AcceptDelegationRequest', () => {
  it('accepts an assigned or forwarded request and records the approver', async () => {
    const direct = await ownedRequest();
    await call('AcceptDelegationRequest', { DelegationRequestId: direct }, user(CUSTOMER, 'alice'));
    const accepted = await get(direct);
    assert.equal(accepted.State, 'ACCEPTED');
    assert.equal(accepted.ApproverId, `arn:aws:iam::${CUSTOMER}:user/alice`);

    const forwarded = await ownedRequest();
    await call('UpdateDelegationRequest', { DelegationRequestId: forwarded, Notes: 'for admin' }, user(CUSTOMER, 'alice'));
    await call('AcceptDelegationRequest', { DelegationRequestId: forwarded }, user(CUSTOMER, 'admin'));
    const approved = await get(forwarded);
    assert.equal(approved.State, 'ACCEPTED');
    assert.equal(approved.ApproverId, `arn:aws:iam::${CUSTOMER}:user/admin`);
    assert.equal(approved.OwnerId, `arn:aws:iam::${CUSTOMER}:user/alice`);
  });

  it('cannot accept an unowned request (AccessDenied) or one already accepted (ConcurrentModification)', async () => {
    const unowned = await createRequest({ OwnerAccountId: CUSTOMER });
    await assert.rejects(call('AcceptDelegationRequest', { DelegationRequestId: unowned }, root(CUSTOMER)), awsError('AccessDenied'));
    const id = await ownedRequest();
    await call('AcceptDelegationRequest', { DelegationRequestId: id }, root(CUSTOMER));
    await assert.rejects(
      call('AcceptDelegationRequest', { DelegationRequestId: id }, root(CUSTOMER)),
      awsError('ConcurrentModificationException', /is ACCEPTED and cannot be accepted/),
    );
  });

  it('lets the root user approve at most 4 hours of delegation: AccessDenied beyond', async () => {
    const long = await ownedRequest(user(CUSTOMER, 'alice'), { SessionDuration: 4 * 3600 + 1 });
    await assert.rejects(call('AcceptDelegationRequest', { DelegationRequestId: long }, root(CUSTOMER)), awsError('AccessDenied', /4 hours/));
    await call('AcceptDelegationRequest', { DelegationRequestId: long }, user(CUSTOMER, 'admin'));
    const fourHours = await ownedRequest(user(CUSTOMER, 'alice'), { SessionDuration: 4 * 3600 });
    await call('AcceptDelegationRequest', { DelegationRequestId: fourHours }, root(CUSTOMER));
    assert.equal((await get(fourHours)).State, 'ACCEPTED');
  });
});

describe('RejectDelegationRequest', () => {
  it('rejects from ASSIGNED, PENDING_APPROVAL or ACCEPTED, keeping the reason; rejected requests stay rejected', async () => {
    for (const prepare of [
      async (_id: string) => {},
      async (id: string) => call('UpdateDelegationRequest', { DelegationRequestId: id }, user(CUSTOMER, 'alice')),
      async (id: string) => call('AcceptDelegationRequest', { DelegationRequestId: id }, user(CUSTOMER, 'admin')),
    ]) {
      const id = await ownedRequest();
      await prepare(id);
      await call('RejectDelegationRequest', { DelegationRequestId: id, Notes: 'Not needed' }, user(CUSTOMER, 'admin'));
      const request = await get(id);
      assert.equal(request.State, 'REJECTED');
      assert.equal(request.RejectionReason, 'Not needed');
      assert.deepEqual(request.ExpirationTime, new Date(now.getTime() + 7 * DAY));
      for (const operation of ['AcceptDelegationRequest', 'UpdateDelegationRequest', 'SendDelegationToken', 'RejectDelegationRequest'] as const) {
        await assert.rejects(
          call(operation, { DelegationRequestId: id }, user(CUSTOMER, 'admin')),
          awsError('ConcurrentModificationException', /is REJECTED/),
        );
      }
    }
  });

  it('cannot reject a request nobody owns yet', async () => {
    const id = await createRequest({ OwnerAccountId: CUSTOMER });
    await assert.rejects(call('RejectDelegationRequest', { DelegationRequestId: id }, root(CUSTOMER)), awsError('AccessDenied'));
  });
});

describe('SendDelegationToken', () => {
  it('finalizes an accepted request, for good', async () => {
    const id = await ownedRequest();
    await assert.rejects(
      call('SendDelegationToken', { DelegationRequestId: id }, user(CUSTOMER, 'alice')),
      awsError('ConcurrentModificationException', /is ASSIGNED and cannot be finalized; it must be ACCEPTED/),
    );
    await call('AcceptDelegationRequest', { DelegationRequestId: id }, user(CUSTOMER, 'admin'));
    await call('SendDelegationToken', { DelegationRequestId: id }, user(CUSTOMER, 'admin'));
    assert.equal((await get(id)).State, 'FINALIZED');
    await assert.rejects(
      call('RejectDelegationRequest', { DelegationRequestId: id }, user(CUSTOMER, 'admin')),
      awsError('ConcurrentModificationException', /is FINALIZED/),
    );
  });

  it('with OnlySendByOwner, only the identity that claimed the request may send: AccessDenied for others', async () => {
    const id = await ownedRequest(user(CUSTOMER, 'alice'), { OnlySendByOwner: true });
    await call('AcceptDelegationRequest', { DelegationRequestId: id }, user(CUSTOMER, 'admin'));
    await assert.rejects(call('SendDelegationToken', { DelegationRequestId: id }, user(CUSTOMER, 'admin')), awsError('AccessDenied', /only its owner/));
    await assert.rejects(call('SendDelegationToken', { DelegationRequestId: id }, root(PARTNER)), awsError('AccessDenied'));
    await call('SendDelegationToken', { DelegationRequestId: id }, user(CUSTOMER, 'alice'));
    assert.equal((await get(id)).State, 'FINALIZED');
  });
});

describe('expiry on Bulwark clock', () => {
  it('an unclaimed request expires after one day and can no longer be claimed', async () => {
    const id = await createRequest({ OwnerAccountId: CUSTOMER });
    const expiresAt = (await get(id)).ExpirationTime!;
    advance(DAY - 1);
    assert.equal((await get(id)).State, 'UNASSIGNED');
    advance(1);
    const expired = await get(id);
    assert.equal(expired.State, 'EXPIRED');
    assert.deepEqual(expired.UpdatedTime, expiresAt);
    await assert.rejects(
      call('AssociateDelegationRequest', { DelegationRequestId: id }, root(CUSTOMER)),
      awsError('ConcurrentModificationException', /is EXPIRED/),
    );
  });

  it('each later state gives seven days from when it was entered', async () => {
    const id = await ownedRequest();
    advance(6 * DAY);
    await call('UpdateDelegationRequest', { DelegationRequestId: id }, user(CUSTOMER, 'alice'));
    advance(6 * DAY);
    await call('AcceptDelegationRequest', { DelegationRequestId: id }, user(CUSTOMER, 'admin'));
    advance(7 * DAY);
    await assert.rejects(call('SendDelegationToken', { DelegationRequestId: id }, user(CUSTOMER, 'admin')), awsError('ConcurrentModificationException', /is EXPIRED/));
  });

  it('a finalized request expires seven days after its token was sent', async () => {
    const id = await ownedRequest();
    await call('AcceptDelegationRequest', { DelegationRequestId: id }, user(CUSTOMER, 'admin'));
    await call('SendDelegationToken', { DelegationRequestId: id }, user(CUSTOMER, 'admin'));
    advance(7 * DAY - 1);
    assert.equal((await get(id)).State, 'FINALIZED');
    advance(1);
    assert.equal((await get(id)).State, 'EXPIRED');
  });
});

describe('ListDelegationRequests', () => {
  it("lists the account's owned requests only, filters by owner and pages with Marker/MaxItems", async () => {
    const alice = user(CUSTOMER, 'alice');
    const bob = user(CUSTOMER, 'bob');
    const ids = [];
    for (const owner of [alice, bob, alice]) {
      ids.push(await ownedRequest(owner));
      advance(1000);
    }
    await createRequest({ OwnerAccountId: CUSTOMER }); // targeted but unowned: not listed
    await ownedRequest(root(STRANGER), { OwnerAccountId: STRANGER }); // another account's

    const all = await call('ListDelegationRequests', {}, root(CUSTOMER));
    assert.deepEqual(all.DelegationRequests!.map((request) => request.DelegationRequestId), ids);
    assert.equal(all.isTruncated, false);

    const alices = await call('ListDelegationRequests', { OwnerId: alice.arn }, root(CUSTOMER));
    assert.deepEqual(alices.DelegationRequests!.map((request) => request.DelegationRequestId), [ids[0], ids[2]]);

    const first = await call('ListDelegationRequests', { MaxItems: 2 }, root(CUSTOMER));
    assert.equal(first.isTruncated, true);
    assert.deepEqual(first.DelegationRequests!.map((request) => request.DelegationRequestId), ids.slice(0, 2));
    const rest = await call('ListDelegationRequests', { MaxItems: 2, Marker: first.Marker! }, root(CUSTOMER));
    assert.equal(rest.isTruncated, false);
    assert.deepEqual(rest.DelegationRequests!.map((request) => request.DelegationRequestId), ids.slice(2));

    assert.deepEqual((await call('ListDelegationRequests', {}, root(PARTNER))).DelegationRequests, []);
    await assert.rejects(call('ListDelegationRequests', { Marker: 'not a marker!' }, root(CUSTOMER)), awsError('InvalidInputException'));
  });
});

describe('authorization of delegation requests', () => {
  const decide = async (operation: string, id: string, principal: Principal) => {
    const [requirement] = await delegationAccess[operation]!({ DelegationRequestId: id }, contextFor(principal));
    const resource = requirement!.resourcePolicy ? compilePolicy(requirement!.resourcePolicy.document, requirement!.resourcePolicy.id) : undefined;
    const requestPrincipal = { type: 'user' as const, arn: principal.arn, accountId: principal.accountId };
    return {
      requirement: requirement!,
      decision: evaluate(
        { principal: requestPrincipal, action: requirement!.action, resource: requirement!.resource, context: { ...requirement!.context, 'aws:PrincipalAccount': principal.accountId } },
        resource ? { resource } : {},
      ).decision,
    };
  };

  it('names the request by its ARN in the caller account, with iam:DelegationRequestOwner once owned', async () => {
    const id = await ownedRequest();
    const { requirement } = await decide('AcceptDelegationRequest', id, user(CUSTOMER, 'admin'));
    assert.equal(requirement.action, 'iam:AcceptDelegationRequest');
    assert.equal(requirement.resource, `arn:aws:iam::${CUSTOMER}:delegation-request/${id}`);
    assert.deepEqual(requirement.context, { 'iam:DelegationRequestOwner': `arn:aws:iam::${CUSTOMER}:user/alice` });
    const [create] = await delegationAccess.CreateDelegationRequest!(requestInput() as unknown as Record<string, unknown>, contextFor(root(PARTNER)));
    assert.equal(create!.resource, `arn:aws:iam::${PARTNER}:delegation-request/*`);
    assert.deepEqual(create!.context, {
      'iam:NotificationChannel': `arn:aws:sns:us-east-1:${PARTNER}:delegations`,
      'iam:DelegationDuration': '3600',
      'iam:TemplateArn': TEMPLATE_ARN,
    });
  });

  it('gives the owner default permission to get and update, but not to accept', async () => {
    const id = await ownedRequest();
    const alice = user(CUSTOMER, 'alice');
    assert.equal((await decide('GetDelegationRequest', id, alice)).decision, 'Allow');
    assert.equal((await decide('UpdateDelegationRequest', id, alice)).decision, 'Allow');
    assert.notEqual((await decide('AcceptDelegationRequest', id, alice)).decision, 'Allow');
    assert.notEqual((await decide('GetDelegationRequest', id, user(CUSTOMER, 'bob'))).decision, 'Allow');
  });

  it('lets identities of the targeted account read and claim an unowned request by default', async () => {
    const id = await createRequest({ OwnerAccountId: CUSTOMER });
    assert.equal((await decide('AssociateDelegationRequest', id, user(CUSTOMER, 'bob'))).decision, 'Allow');
    assert.equal((await decide('GetDelegationRequest', id, user(CUSTOMER, 'bob'))).decision, 'Allow');
    assert.notEqual((await decide('AssociateDelegationRequest', id, user(STRANGER, 'eve'))).decision, 'Allow');
  });
});
