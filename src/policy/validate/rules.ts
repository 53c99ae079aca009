// What each kind of policy document may and must contain, as a table.
import type { PolicyKind } from '../kinds.ts';

export type Dialect = 'iam' | 'organizations';

export interface KindRules {
  /** Who validates it, and so which messages and error code the caller gets. */
  dialect: Dialect;
  /**
   * `forbidden`: identity-side policies (the principal is whoever the policy is attached to);
   * `required`: resource-side policies; `anyone`: RCPs, whose Principal can only be "*".
   */
  principal: 'forbidden' | 'required' | 'anyone';
  notPrincipal: boolean;
  /** Whether statements need Resource/NotResource; a trust policy's resource is its role. */
  resource: 'required' | 'optional' | 'forbidden';
  notAction: boolean;
  effects: readonly ('Allow' | 'Deny')[];
  versionRequired: boolean;
  /** The Version values accepted. */
  versions: readonly string[];
  /** How a text that is not JSON at all is reported. */
  notJson: 'syntax' | 'invalidJson';
  /** Sids must match this (IAM's own documents); undefined: any string (S3, KMS, ... accept spaces). */
  sidPattern: RegExp | undefined;
  /** Which actions statements may name: any, only the STS actions that assume a role, or RCP-enabled services. */
  actions: 'any' | 'assumeRole' | 'rcpServices';
}

const ALPHANUMERIC = /^[0-9A-Za-z]*$/;

const IDENTITY: KindRules = {
  dialect: 'iam',
  principal: 'forbidden',
  notPrincipal: false,
  resource: 'required',
  notAction: true,
  effects: ['Allow', 'Deny'],
  versionRequired: false,
  versions: ['2012-10-17', '2008-10-17'],
  notJson: 'syntax',
  sidPattern: ALPHANUMERIC,
  actions: 'any',
};

export const KIND_RULES: Record<PolicyKind, KindRules> = {
  identity: IDENTITY,
  boundary: IDENTITY,
  session: IDENTITY,
  resource: { ...IDENTITY, principal: 'required', notPrincipal: true, sidPattern: undefined },
  // CreateRole words a trust policy that is not JSON differently from the other calls.
  trust: { ...IDENTITY, principal: 'required', resource: 'forbidden', actions: 'assumeRole', notJson: 'invalidJson' },
  // Since September 2025 SCPs take the full IAM language, except Principal.
  scp: { ...IDENTITY, dialect: 'organizations', resource: 'optional' },
  rcp: {
    dialect: 'organizations',
    principal: 'anyone',
    notPrincipal: false,
    resource: 'required',
    notAction: false,
    effects: ['Deny'], // Allow only in the AWS managed RCPFullAWSAccess
    versionRequired: true,
    versions: ['2012-10-17'],
    notJson: 'syntax',
    sidPattern: ALPHANUMERIC,
    actions: 'rcpServices',
  },
};

/** The actions a role trust policy may grant: the ones that assume a role or travel with it. */
export const ASSUME_ROLE_ACTIONS: readonly string[] = [
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
  'sts:TagSession',
  'sts:SetSourceIdentity',
  'sts:SetContext',
];
