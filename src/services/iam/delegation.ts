// IAM temporary delegation (delegation requests): see delegation/.
export { delegationAccess, delegationHandlers } from './delegation/index.ts';
