// IpAddress (NotIpAddress in operators.ts): IPv4 and IPv6 CIDR blocks or single addresses.
import { cidrContains, parseCidr, parseIp } from '../values/ip.ts';
import { joined, type OperatorFamily } from './operator.ts';

export const ipOperators: OperatorFamily = {
  supportsVariables: false,
  operators: {
    IpAddress: (parts) => {
      const block = parseCidr(joined(parts));
      if (!block) return undefined;
      return (value) => {
        const address = parseIp(value);
        return address !== undefined && cidrContains(block, address);
      };
    },
  },
};
