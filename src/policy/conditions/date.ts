// DateEquals, DateLessThan(Equals), DateGreaterThan(Equals); DateNotEquals in operators.ts.
import { parseDate } from '../values/date.ts';
import { joined, type OperatorFamily, type ValueTest } from './operator.ts';

function date(compare: (request: number, policy: number) => boolean) {
  return (parts: Parameters<typeof joined>[0]): ValueTest | undefined => {
    const policy = parseDate(joined(parts));
    if (policy === undefined) return undefined;
    return (value) => {
      const request = parseDate(value);
      return request !== undefined && compare(request, policy);
    };
  };
}

export const dateOperators: OperatorFamily = {
  supportsVariables: false,
  operators: {
    DateEquals: date((r, p) => r === p),
    DateLessThan: date((r, p) => r < p),
    DateLessThanEquals: date((r, p) => r <= p),
    DateGreaterThan: date((r, p) => r > p),
    DateGreaterThanEquals: date((r, p) => r >= p),
  },
};
