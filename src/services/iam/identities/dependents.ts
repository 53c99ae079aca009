// What hangs off a user, group or role: IAM refuses to delete the entity while any of
// it remains (DeleteConflict, 409, with a message naming the first thing found), and
// renaming a user or group moves all of it to the new name.
//
// The tables list AWS's checks in the order of the DeleteUser documentation, each
// with AWS's message. Checks on records this area knows (records.ts: inline policies,
// attachments, memberships, instance profiles) are filled in here; the credentials
// area fills the slots for the records it owns by calling registerUserDependent()
// from its own module (login profile, access keys, MFA devices, ...). A slot nobody
// has filled never blocks a deletion.
import type { Documents } from '../../../store/store.ts';
import { deleteConflict } from '../common.ts';
import {
  attachmentKey,
  COLLECTIONS,
  inlinePolicyKey,
  membershipKeys,
  type AttachmentRecord,
  type EntityKind,
  type InlinePolicyRecord,
  type InstanceProfileRecord,
  type MembershipRecord,
} from '../records.ts';
import { accountPrefix, listAll } from './shared.ts';

/** Whether an entity still has some dependent of one kind. */
export type DependentCheck = (docs: Documents, accountId: string, name: string) => Promise<boolean>;

/** Moves one kind of dependent from a user's or group's old name to its new one. */
export type RenameMove = (docs: Documents, accountId: string, oldName: string, newName: string) => Promise<void>;

interface Slot {
  /** AWS's DeleteConflict message. */
  message: string;
  has?: DependentCheck;
  rename?: RenameMove;
}

const conflict = (what: string) => `Cannot delete entity, must ${what} first.`;

// ---- checks and moves over the records in records.ts ----

function hasInlinePolicies(kind: EntityKind): DependentCheck {
  return async (docs, accountId, name) =>
    (await docs.count(COLLECTIONS.inlinePolicies, `${accountId}/${kind}/${name.toLowerCase()}/`)) > 0;
}

function moveInlinePolicies(kind: EntityKind): RenameMove {
  return async (docs, accountId, oldName, newName) => {
    const prefix = `${accountId}/${kind}/${oldName.toLowerCase()}/`;
    for (const { key, value } of await listAll<InlinePolicyRecord>(docs, COLLECTIONS.inlinePolicies, prefix)) {
      await docs.delete(COLLECTIONS.inlinePolicies, key);
      await docs.put(COLLECTIONS.inlinePolicies, inlinePolicyKey(accountId, kind, newName, value.policyName), {
        ...value,
        entityName: newName,
      });
    }
  };
}

/** Attachment keys start with the policy ARN, so an entity's attachments are found by scanning its account. */
async function attachmentsOf(docs: Documents, accountId: string, kind: EntityKind, name: string) {
  const all = await listAll<AttachmentRecord>(docs, COLLECTIONS.attachments, accountPrefix(accountId));
  return all.filter(({ value }) => value.kind === kind && value.name.toLowerCase() === name.toLowerCase());
}

function hasAttachedPolicies(kind: EntityKind): DependentCheck {
  return async (docs, accountId, name) => (await attachmentsOf(docs, accountId, kind, name)).length > 0;
}

function moveAttachments(kind: EntityKind): RenameMove {
  return async (docs, accountId, oldName, newName) => {
    for (const { key, value } of await attachmentsOf(docs, accountId, kind, oldName)) {
      await docs.delete(COLLECTIONS.attachments, key);
      await docs.put(COLLECTIONS.attachments, attachmentKey(accountId, value.policyArn, kind, newName), {
        ...value,
        name: newName,
      });
    }
  };
}

const userHasGroups: DependentCheck = async (docs, accountId, name) =>
  (await docs.count(COLLECTIONS.memberships, `${accountId}/u/${name.toLowerCase()}/`)) > 0;

const groupHasMembers: DependentCheck = async (docs, accountId, name) =>
  (await docs.count(COLLECTIONS.memberships, `${accountId}/g/${name.toLowerCase()}/`)) > 0;

/** Rewrites both keys of each membership of the renamed user or group. */
function moveMemberships(side: 'u' | 'g'): RenameMove {
  return async (docs, accountId, oldName, newName) => {
    const prefix = `${accountId}/${side}/${oldName.toLowerCase()}/`;
    for (const { value } of await listAll<MembershipRecord>(docs, COLLECTIONS.memberships, prefix)) {
      const old = membershipKeys(accountId, value.groupName, value.userName);
      await docs.delete(COLLECTIONS.memberships, old.byGroup);
      await docs.delete(COLLECTIONS.memberships, old.byUser);
      const moved: MembershipRecord =
        side === 'u' ? { ...value, userName: newName } : { ...value, groupName: newName };
      const keys = membershipKeys(accountId, moved.groupName, moved.userName);
      await docs.put(COLLECTIONS.memberships, keys.byGroup, moved);
      await docs.put(COLLECTIONS.memberships, keys.byUser, moved);
    }
  };
}

const roleInInstanceProfile: DependentCheck = async (docs, accountId, name) => {
  const profiles = await listAll<InstanceProfileRecord>(docs, COLLECTIONS.instanceProfiles, accountPrefix(accountId));
  return profiles.some(({ value }) => value.roleNames.some((role) => role.toLowerCase() === name.toLowerCase()));
};

// ---- the tables ----

/** A user's dependents, in the order of the DeleteUser documentation. */
const USER_SLOTS = {
  loginProfile: { message: conflict('delete login profile') },
  accessKeys: { message: conflict('delete access keys') },
  signingCertificates: { message: conflict('delete certificates') },
  sshPublicKeys: { message: conflict('remove referenced objects') },
  serviceSpecificCredentials: { message: conflict('remove referenced objects') },
  mfaDevices: { message: conflict('delete MFA device') },
  inlinePolicies: {
    message: conflict('delete policies'),
    has: hasInlinePolicies('user'),
    rename: moveInlinePolicies('user'),
  },
  attachedPolicies: {
    message: conflict('detach all policies'),
    has: hasAttachedPolicies('user'),
    rename: moveAttachments('user'),
  },
  groups: { message: conflict('remove users from group'), has: userHasGroups, rename: moveMemberships('u') },
} satisfies Record<string, Slot>;

export type UserDependentSlot = keyof typeof USER_SLOTS;

const userSlots: Record<UserDependentSlot, Slot> = USER_SLOTS;

const GROUP_SLOTS: Slot[] = [
  { message: conflict('remove users from group'), has: groupHasMembers, rename: moveMemberships('g') },
  { message: conflict('delete policies'), has: hasInlinePolicies('group'), rename: moveInlinePolicies('group') },
  { message: conflict('detach all policies'), has: hasAttachedPolicies('group'), rename: moveAttachments('group') },
];

const ROLE_SLOTS: Slot[] = [
  { message: conflict('remove roles from instance profile'), has: roleInInstanceProfile },
  { message: conflict('delete policies'), has: hasInlinePolicies('role') },
  { message: conflict('detach all policies'), has: hasAttachedPolicies('role') },
];

/**
 * For the area that owns a user's credentials: how to tell whether a user still has
 * them (DeleteUser refuses) and how to move them when the user is renamed.
 */
export function registerUserDependent(slot: UserDependentSlot, has: DependentCheck, rename?: RenameMove): void {
  userSlots[slot] = { message: userSlots[slot].message, has, rename };
}

async function firstConflict(slots: readonly Slot[], docs: Documents, accountId: string, name: string): Promise<void> {
  for (const slot of slots) {
    if (slot.has && (await slot.has(docs, accountId, name))) throw deleteConflict(slot.message);
  }
}

export function assertUserDeletable(docs: Documents, accountId: string, userName: string): Promise<void> {
  return firstConflict(Object.values(userSlots), docs, accountId, userName);
}

export function assertGroupDeletable(docs: Documents, accountId: string, groupName: string): Promise<void> {
  return firstConflict(GROUP_SLOTS, docs, accountId, groupName);
}

export function assertRoleDeletable(docs: Documents, accountId: string, roleName: string): Promise<void> {
  return firstConflict(ROLE_SLOTS, docs, accountId, roleName);
}

export async function moveUserDependents(docs: Documents, accountId: string, oldName: string, newName: string): Promise<void> {
  for (const slot of Object.values(userSlots)) await slot.rename?.(docs, accountId, oldName, newName);
}

export async function moveGroupDependents(docs: Documents, accountId: string, oldName: string, newName: string): Promise<void> {
  for (const slot of GROUP_SLOTS) await slot.rename?.(docs, accountId, oldName, newName);
}
