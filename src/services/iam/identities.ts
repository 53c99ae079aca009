// IAM identities: users, groups, roles (service-linked ones too), instance profiles
// and the account alias. One handler table for the IAM service to merge; the pieces
// live in ./identities/.
import type { Operations } from '../../protocol/types/iam.ts';
import type { Handlers } from '../handlers.ts';
import { accountAliasHandlers } from './identities/account-aliases.ts';
import { groupHandlers } from './identities/groups.ts';
import { instanceProfileHandlers } from './identities/instance-profiles.ts';
import { roleHandlers } from './identities/roles.ts';
import { serviceLinkedRoleHandlers } from './identities/service-linked-roles.ts';
import { userHandlers } from './identities/users.ts';

export const identityHandlers: Handlers<Operations> = {
  ...userHandlers,
  ...groupHandlers,
  ...roleHandlers,
  ...serviceLinkedRoleHandlers,
  ...instanceProfileHandlers,
  ...accountAliasHandlers,
};

export { registerUserDependent, type DependentCheck, type RenameMove, type UserDependentSlot } from './identities/dependents.ts';
export { LINKED_SERVICES } from './identities/service-linked-roles.ts';
export { QUOTAS } from './identities/shared.ts';
