// BinaryEquals: the policy holds base64; the request value is base64 too. Compared as bytes.
import { Buffer } from 'node:buffer';
import { joined, type OperatorFamily } from './operator.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decode(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  return BASE64.test(compact) ? Buffer.from(compact, 'base64') : undefined;
}

export const binaryOperators: OperatorFamily = {
  supportsVariables: false,
  operators: {
    BinaryEquals: (parts) => {
      const wanted = decode(joined(parts));
      if (!wanted) return undefined;
      return (value) => {
        const got = decode(value);
        return got !== undefined && got.equals(wanted);
      };
    },
  },
};
