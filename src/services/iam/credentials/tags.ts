// Tags on MFA devices and server certificates: IAM's tag rules as for users and roles
// (keys case-insensitive, "aws:" reserved, at most 50 per resource).
import { limitExceeded } from '../common.ts';
import type { Tag } from '../records.ts';
import { checkRequestTags, MAX_TAGS_PER_RESOURCE } from '../identities/tags.ts';

export function mergeCredentialTags(existing: readonly Tag[], incoming: readonly Tag[], resource: 'MFADevice' | 'ServerCertificate'): Tag[] {
  checkRequestTags(incoming);
  const replaced = (tag: Tag) => incoming.some((next) => next.Key.toLowerCase() === tag.Key.toLowerCase());
  const merged = [...existing.filter((tag) => !replaced(tag)), ...incoming.map(({ Key, Value }) => ({ Key, Value }))];
  if (merged.length > MAX_TAGS_PER_RESOURCE) throw limitExceeded(`Cannot exceed quota for TagsPer${resource}: ${MAX_TAGS_PER_RESOURCE}`);
  return merged;
}
