// Reads the authorization Bulwark records with each CloudTrail event
// (bulwarkAuthorization) into words: which policy type decided and which statements
// matched, in the terms of AWS's access-denied messages.

export interface MatchedStatement {
  policyId: string;
  policyType: string;
  sid?: string;
  index: number;
  effect: string;
}

export interface RecordedDecision {
  action: string;
  resource: string;
  decision: string;
  decidedBy: string;
  enforced: boolean;
  matchedStatements: MatchedStatement[];
}

export interface CloudTrailRecord {
  eventName?: string;
  errorCode?: string;
  errorMessage?: string;
  userIdentity?: { arn?: string; type?: string; userName?: string };
  bulwarkAuthorization?: RecordedDecision[];
  [field: string]: unknown;
}

/**
 * AWS's names of the policy types, as in its access-denied messages (the server's
 * src/policy/explain.ts has the same words; this build cannot import server code).
 */
export const POLICY_TYPES: Record<string, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  boundary: 'permissions boundary',
  session: 'session policy',
  scp: 'service control policy',
  rcp: 'resource control policy',
  root: "the root user's access",
};

/** "Deny statement 'DenyAll' (#1) of identity-based policy arn:...". */
export function describeStatement(statement: MatchedStatement): string {
  const name = statement.sid ? `'${statement.sid}'` : `#${statement.index + 1}`;
  return `${statement.effect} statement ${name} of ${POLICY_TYPES[statement.policyType] ?? statement.policyType} ${statement.policyId}`;
}

export interface Explanation {
  denied: boolean;
  summary: string;
  decisions: { action: string; resource: string; decision: string; decidedBy: string; statements: string[] }[];
}

export function explainRecord(record: CloudTrailRecord): Explanation {
  const recorded = record.bulwarkAuthorization ?? [];
  const decisions = recorded.map((d) => ({
    action: d.action,
    resource: d.resource,
    decision: d.decision + (d.enforced ? '' : ' (not enforced: --iam-mode soft)'),
    decidedBy: POLICY_TYPES[d.decidedBy] ?? d.decidedBy,
    statements: d.matchedStatements.map(describeStatement),
  }));
  const denial = recorded.find((d) => d.decision !== 'Allow');
  if (denial) {
    const by = POLICY_TYPES[denial.decidedBy] ?? denial.decidedBy;
    const summary =
      denial.decision === 'ExplicitDeny'
        ? `Denied: an explicit deny in a ${by} matched ${denial.action} on ${denial.resource}.`
        : `Denied: no ${by} allows ${denial.action} on ${denial.resource} (implicit deny).`;
    return { denied: true, summary, decisions };
  }
  if (recorded.length > 0) return { denied: false, summary: `Allowed: ${recorded.map((d) => d.action).join(', ')}.`, decisions };
  if (record.eventName === 'ConsoleLogin') return { denied: Boolean(record.errorMessage), summary: 'A console sign-in: no policy is evaluated.', decisions };
  return { denied: false, summary: 'No authorization was recorded for this event (the call failed before it, or needs none).', decisions };
}
