// Principal / NotPrincipal matching. Policy values are compiled to canonical keys
// (see request.ts) so a match is a few set look-ups.
import type { ElementList, PrincipalValue } from './ast.ts';
import { accountKey, arnKey, roleKey, serviceKey, type PrincipalIdentities } from './request.ts';
import { parseArn } from './values/arn.ts';

/**
 * How a Principal element matched the caller. The strength matters within one account:
 * a grant to the caller itself stands on its own, a grant to a session's role is still
 * capped by a permissions boundary and session policy, and a grant to the account only
 * delegates to the account's identity-based policies.
 */
export const NO_MATCH = 0;
export const ACCOUNT_MATCH = 1;
export const ROLE_MATCH = 2;
export const DIRECT_MATCH = 3;
export type PrincipalMatch = 0 | 1 | 2 | 3;

export interface CompiledPrincipal {
  negated: boolean;
  everyone: boolean;
  keys: Set<string>;
}

export function compilePrincipal(element: ElementList<PrincipalValue>): CompiledPrincipal {
  const keys = new Set<string>();
  let everyone = false;
  for (const { family, value } of element.values) {
    if (value === '*' && (family === '*' || family === 'AWS')) everyone = true;
    else keys.add(principalKey(family, value));
  }
  return { negated: element.negated, everyone, keys };
}

function principalKey(family: PrincipalValue['family'], value: string): string {
  switch (family) {
    case 'Service':
      return serviceKey(value);
    case 'Federated':
      return 'fed:' + value;
    case 'CanonicalUser':
      return 'cu:' + value;
    default:
      return awsPrincipalKey(value);
  }
}

function awsPrincipalKey(value: string): string {
  if (/^\d{12}$/.test(value)) return accountKey(value);
  const arn = parseArn(value);
  if (!arn) return arnKey(value);
  if (arn.service === 'iam' && arn.resource === 'root') return accountKey(arn.account);
  if (arn.service === 'iam' && arn.resource.startsWith('role/')) {
    return roleKey(arn.partition, arn.account, arn.resource.slice(arn.resource.lastIndexOf('/') + 1));
  }
  return arnKey(value);
}

/** The strongest way the element names the caller (Principal, not NotPrincipal). */
export function matchPrincipal(principal: CompiledPrincipal, who: PrincipalIdentities): PrincipalMatch {
  if (principal.everyone) return DIRECT_MATCH;
  const keys = principal.keys;
  for (const key of who.direct) if (keys.has(key)) return DIRECT_MATCH;
  if (who.role !== undefined && keys.has(who.role)) return ROLE_MATCH;
  if (who.account !== undefined && keys.has(who.account)) return ACCOUNT_MATCH;
  return NO_MATCH;
}

/**
 * Whether a NotPrincipal statement applies to the caller. AWS may check the account,
 * then the role, then the session: the caller escapes the statement only when every one
 * of its identities is listed. A caller with a permissions boundary never escapes it.
 */
export function notPrincipalApplies(
  principal: CompiledPrincipal,
  who: PrincipalIdentities,
  hasPermissionsBoundary: boolean,
): boolean {
  if (hasPermissionsBoundary) return true;
  if (principal.everyone) return false;
  const keys = principal.keys;
  if (who.direct.length > 0 && !who.direct.some((key) => keys.has(key))) return true;
  if (who.role !== undefined && !keys.has(who.role)) return true;
  if (who.account !== undefined && !keys.has(who.account)) return true;
  return who.direct.length === 0; // an anonymous caller is only excluded by "*"
}
