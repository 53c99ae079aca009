// IAM temporary delegation: delegation requests, their life cycle and who may act on them.
export { delegationAccess } from './access.ts';
import { delegationHandlers as lifeCycleHandlers } from './handlers.ts';
import { summaryHandlers } from './summary.ts';

export const delegationHandlers = { ...lifeCycleHandlers, ...summaryHandlers };
