// The kinds of policy documents AWS has. Validation rules (which elements are allowed,
// size limits) and evaluation roles differ by kind.
export const POLICY_KINDS = [
  'identity', // inline or managed policy attached to a user, group or role
  'resource', // resource-based policy (bucket, key, secret, ...): needs Principal
  'trust', // a role's trust (assume-role) policy: a resource policy on the role
  'boundary', // permissions boundary: an identity policy used as a ceiling
  'session', // session policy passed to AssumeRole / GetFederationToken
  'scp', // service control policy (Organizations)
  'rcp', // resource control policy (Organizations)
] as const;

export type PolicyKind = (typeof POLICY_KINDS)[number];
