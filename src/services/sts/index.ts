// AWS Security Token Service.
import type { ServiceDefinition } from '../service.ts';
import type { Operations } from '../../protocol/types/sts.ts';
import type { Handlers } from '../handlers.ts';
import { stsAccess } from './access.ts';

const handlers: Handlers<Operations> = {
  GetCallerIdentity(_input, { principal }) {
    return { UserId: principal.userId, Account: principal.accountId, Arn: principal.arn };
  },
};

export const sts: ServiceDefinition = {
  model: 'sts',
  handlers,
  access: stsAccess,
  anonymousOperations: new Set(['AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']),
};
