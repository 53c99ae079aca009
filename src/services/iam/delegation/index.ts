// IAM temporary delegation: delegation requests, their life cycle and who may act on them.
export { delegationAccess } from './access.ts';
export { delegationHandlers } from './handlers.ts';
