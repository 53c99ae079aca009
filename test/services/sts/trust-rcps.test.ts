// The trust decision of the role-assuming calls the authorizer does not see (web
// identity, SAML): the RCPs of the role's account bind them too.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePolicy } from '../../../src/policy/index.ts';
import type { RoleRecord } from '../../../src/services/iam/records.ts';
import type { OrganizationControls } from '../../../src/services/principal-policies.ts';
import { deniedTrustAction } from '../../../src/services/sts/trust.ts';

const PROVIDER = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';
const role = {
  accountId: '111122223333',
  arn: 'arn:aws:iam::111122223333:role/deploy',
  assumeRolePolicyDocument: JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity' }],
  }),
} as RoleRecord;

const rcp = (document: object, id: string) => compilePolicy(JSON.stringify(document), id);
const RCP_FULL_ACCESS = rcp({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }, 'p-RCPFullAWSAccess');
const ONLY_IN_ORG_PATH = rcp(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Resource: '*',
        Condition: { StringNotLike: { 'aws:ResourceOrgPaths': 'o-a1b2c3d4e5/r-ab12/ou-ab12-cicd0001/*' } },
      },
    ],
  },
  'p-cicdonly01',
);

function owner(levels: OrganizationControls['rcps'], managementAccount = false): OrganizationControls {
  return { rcps: levels, managementAccount, orgId: 'o-a1b2c3d4e5', orgPaths: ['o-a1b2c3d4e5/r-ab12/ou-ab12-prod0001/'] };
}

const question = (controls?: OrganizationControls) => ({
  role,
  principal: { type: 'federated' as const, arn: PROVIDER },
  actions: ['sts:AssumeRoleWithWebIdentity'],
  context: { 'aws:FederatedProvider': PROVIDER },
  ...(controls ? { owner: controls } : {}),
});

describe('Trust decisions with the RCPs of the role account', () => {
  it('a trust policy allowing the provider is enough outside an organization and under RCPFullAWSAccess', () => {
    assert.equal(deniedTrustAction(question()), undefined);
    assert.equal(deniedTrustAction(question(owner([[RCP_FULL_ACCESS], [RCP_FULL_ACCESS]]))), undefined);
  });

  it('an RCP denying by aws:ResourceOrgPaths stops AssumeRoleWithWebIdentity the trust policy allows', () => {
    assert.equal(deniedTrustAction(question(owner([[RCP_FULL_ACCESS, ONLY_IN_ORG_PATH]]))), 'sts:AssumeRoleWithWebIdentity');
  });

  it('a level without RCPFullAWSAccess denies implicitly; a role of the management account is exempt', () => {
    assert.equal(deniedTrustAction(question(owner([[RCP_FULL_ACCESS], []]))), 'sts:AssumeRoleWithWebIdentity');
    assert.equal(deniedTrustAction(question(owner([[RCP_FULL_ACCESS, ONLY_IN_ORG_PATH]], true))), undefined);
  });
});
