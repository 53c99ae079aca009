// Every condition operator AWS has, as a table: its family, and for negated operators
// the positive operator they negate ("Not" operators match when no policy value does:
// several values combine with NOR, and an absent key makes them true).
import type { OperatorFamily, ValueCompiler } from './operator.ts';
import { stringOperators } from './string.ts';
import { numericOperators } from './numeric.ts';
import { dateOperators } from './date.ts';
import { boolOperators } from './bool.ts';
import { binaryOperators } from './binary.ts';
import { ipOperators } from './ip.ts';
import { arnOperators } from './arn.ts';

export interface OperatorSpec {
  compile: ValueCompiler;
  negated: boolean;
  supportsVariables: boolean;
}

const NEGATIONS: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

const FAMILIES: OperatorFamily[] = [
  stringOperators,
  numericOperators,
  dateOperators,
  boolOperators,
  binaryOperators,
  ipOperators,
  arnOperators,
];

const OPERATORS = new Map<string, OperatorSpec>();
for (const family of FAMILIES) {
  for (const [name, compile] of Object.entries(family.operators)) {
    OPERATORS.set(name, { compile, negated: false, supportsVariables: family.supportsVariables });
  }
}
for (const [name, positive] of Object.entries(NEGATIONS)) {
  OPERATORS.set(name, { ...OPERATORS.get(positive)!, negated: true });
}

/** The operator named (without qualifier or IfExists), or undefined. `Null` is handled apart. */
export function operatorSpec(name: string): OperatorSpec | undefined {
  return OPERATORS.get(name);
}

/** All operator names, `Null` included: for validation and documentation. */
export const CONDITION_OPERATORS: readonly string[] = [...OPERATORS.keys(), 'Null'];
