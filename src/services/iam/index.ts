// AWS Identity and Access Management. Each area keeps its own handler table; the
// service is their union.
import type { Operations } from '../../protocol/types/iam.ts';
import type { Handlers } from '../handlers.ts';
import type { ServiceDefinition } from '../service.ts';
import { loadModel } from '../../protocol/model.ts';
import { iamAccessDeclarations } from './authorization.ts';
import { credentialHandlers } from './credentials/index.ts';
import { delegationAccess, delegationHandlers } from './delegation.ts';
import { identityHandlers } from './identities.ts';
import { policyHandlers } from './policies.ts';
import { providerHandlers } from './providers.ts';
import { reportHandlers } from './reports.ts';
import { simulationHandlers } from './simulation.ts';

const handlers: Handlers<Operations> = {
  ...identityHandlers,
  ...policyHandlers,
  ...credentialHandlers,
  ...providerHandlers,
  ...reportHandlers,
  ...simulationHandlers,
  ...delegationHandlers,
};

export const iam: ServiceDefinition = {
  model: 'iam',
  handlers,
  // Delegation requests declare their own resources and condition keys.
  access: { ...iamAccessDeclarations(Object.keys(loadModel('iam').operations)), ...delegationAccess },
};
