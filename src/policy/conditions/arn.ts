// ArnEquals and ArnLike (ArnNotEquals / ArnNotLike in operators.ts). AWS documents both
// the same way: each of the six colon-separated parts is compared on its own, and
// each may use `*` and `?`.
import { partsRegex, wildcardMatcher } from '../values/wildcard.ts';
import type { OperatorFamily, ValueCompiler } from './operator.ts';

const arnMatch: ValueCompiler = (parts) => {
  if (parts.length === 1 && !parts[0].literal) return wildcardMatcher(parts[0].text, 'arn');
  const regex = partsRegex(parts, 'arn');
  return (value) => regex.test(value);
};

export const arnOperators: OperatorFamily = {
  supportsVariables: true,
  operators: { ArnEquals: arnMatch, ArnLike: arnMatch },
};
