// AWS Identity and Access Management. Each area keeps its own handler table; the
// service is their union.
import type { Operations } from '../../protocol/types/iam.ts';
import type { Handlers } from '../handlers.ts';
import type { ServiceDefinition } from '../service.ts';
import { identityHandlers } from './identities.ts';

const handlers: Handlers<Operations> = {
  ...identityHandlers,
};

export const iam: ServiceDefinition = { model: 'iam', handlers };
