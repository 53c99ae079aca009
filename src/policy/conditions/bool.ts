// Bool: "true" / "false" (JSON booleans or strings).
import { joined, type OperatorFamily } from './operator.ts';

export const boolOperators: OperatorFamily = {
  supportsVariables: true,
  operators: {
    Bool: (parts) => {
      const wanted = joined(parts).toLowerCase();
      if (wanted !== 'true' && wanted !== 'false') return undefined;
      return (value) => value.toLowerCase() === wanted;
    },
  },
};
