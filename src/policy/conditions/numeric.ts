// NumericEquals, NumericLessThan(Equals), NumericGreaterThan(Equals); NumericNotEquals in operators.ts.
// Values are JSON numbers or numeric strings; anything else matches nothing.
import { joined, type OperatorFamily, type ValueTest } from './operator.ts';

const NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

export function parseNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}

function numeric(compare: (request: number, policy: number) => boolean) {
  return (parts: Parameters<typeof joined>[0]): ValueTest | undefined => {
    const policy = parseNumber(joined(parts));
    if (policy === undefined) return undefined;
    return (value) => {
      const request = parseNumber(value);
      return request !== undefined && compare(request, policy);
    };
  };
}

export const numericOperators: OperatorFamily = {
  supportsVariables: false,
  operators: {
    NumericEquals: numeric((r, p) => r === p),
    NumericLessThan: numeric((r, p) => r < p),
    NumericLessThanEquals: numeric((r, p) => r <= p),
    NumericGreaterThan: numeric((r, p) => r > p),
    NumericGreaterThanEquals: numeric((r, p) => r >= p),
  },
};
