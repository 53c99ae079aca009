// The policy language as data: what parse() produces and compile() consumes.
// Element names follow the JSON form; every list is normalised to an array.

export type PolicyVersion = '2008-10-17' | '2012-10-17';
export type Effect = 'Allow' | 'Deny';

/** The principal families a Principal / NotPrincipal element can name. */
export type PrincipalFamily = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

export interface PrincipalValue {
  /** '*' means `"Principal": "*"` (everyone, including anonymous callers). */
  family: PrincipalFamily | '*';
  value: string;
}

/** Action / NotAction, Resource / NotResource, Principal / NotPrincipal: a list or its negation. */
export interface ElementList<T> {
  negated: boolean;
  values: T[];
}

export type SetQualifier = 'ForAllValues' | 'ForAnyValue';

/** One `operator: { key: values }` pair of a Condition block. */
export interface ConditionClause {
  /** As written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  /** The operator without qualifier and IfExists, e.g. `StringLike`. */
  baseOperator: string;
  qualifier: SetQualifier | undefined;
  ifExists: boolean;
  key: string;
  /** JSON strings, numbers and booleans, kept as their string form. */
  values: string[];
}

export interface Statement {
  /** Position in the Statement array (0-based). */
  index: number;
  sid: string | undefined;
  effect: Effect;
  action: ElementList<string> | undefined;
  resource: ElementList<string> | undefined;
  principal: ElementList<PrincipalValue> | undefined;
  conditions: ConditionClause[];
}

export interface Policy {
  /** Who this document is (a policy ARN, `user/alice/inline`, ...): reported in matched statements. */
  id: string;
  version: PolicyVersion;
  /** The document's own `Id` element. */
  documentId: string | undefined;
  statements: Statement[];
}
