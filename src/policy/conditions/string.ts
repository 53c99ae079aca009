// StringEquals, StringEqualsIgnoreCase, StringLike (and their Not forms, see operators.ts).
import { partsRegex, wildcardMatcher } from '../values/wildcard.ts';
import { joined, type OperatorFamily } from './operator.ts';

export const stringOperators: OperatorFamily = {
  supportsVariables: true,
  operators: {
    StringEquals: (parts) => {
      const wanted = joined(parts);
      return (value) => value === wanted;
    },
    StringEqualsIgnoreCase: (parts) => {
      const wanted = joined(parts).toLowerCase();
      return (value) => value.toLowerCase() === wanted;
    },
    StringLike: (parts) => {
      if (parts.length === 1 && !parts[0].literal) return wildcardMatcher(parts[0].text, 'plain');
      const regex = partsRegex(parts, 'plain');
      return (value) => regex.test(value);
    },
  },
};
