// IAM tags on users, roles and instance profiles. The model already checks each key
// (1-128 characters), value (0-256) and at most 50 tags per request; what remains is
// IAM's own rules: keys are case-insensitive (a second "env" replaces "Env"), the
// "aws:" prefix is reserved, and a resource holds at most 50 tags.
import { decodeMarker, DEFAULT_MAX_ITEMS, encodeMarker, invalidInput, limitExceeded } from '../common.ts';
import type { Tag } from '../records.ts';
import type { ListRequest } from './shared.ts';

export const MAX_TAGS_PER_RESOURCE = 50;

/** Which IAM quota a resource's tag count is (the LimitExceeded message names it). */
export type TaggedResource = 'User' | 'Role' | 'InstanceProfile';

const sameKey = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Rejects a request's tags that IAM refuses whatever the resource already has. */
export function checkRequestTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    const folded = tag.Key.toLowerCase();
    if (seen.has(folded)) {
      throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    }
    seen.add(folded);
    if (folded.startsWith('aws:')) {
      throw invalidInput(`Tag keys starting with 'aws:' are reserved for internal AWS use: ${tag.Key}.`);
    }
  }
}

/** The resource's tags after TagX: same keys (any case) take the new key and value. */
export function mergeTags(existing: readonly Tag[], incoming: readonly Tag[], resource: TaggedResource): Tag[] {
  checkRequestTags(incoming);
  const merged = existing.filter((tag) => !incoming.some((next) => sameKey(next.Key, tag.Key)));
  merged.push(...incoming.map(({ Key, Value }) => ({ Key, Value })));
  if (merged.length > MAX_TAGS_PER_RESOURCE) {
    throw limitExceeded(`Cannot exceed quota for TagsPer${resource}: ${MAX_TAGS_PER_RESOURCE}`);
  }
  return merged;
}

/** The resource's tags after UntagX: keys match case-insensitively; unknown keys are ignored. */
export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  return existing.filter((tag) => !keys.some((key) => sameKey(key, tag.Key)));
}

/** ListXTags: the tags in the order they were added, paged by position. */
export function tagPage(tags: readonly Tag[], request: ListRequest): { Tags: Tag[]; IsTruncated: boolean; Marker?: string } {
  const maxItems = request.MaxItems ?? DEFAULT_MAX_ITEMS;
  const marker = decodeMarker(request.Marker);
  const start = marker === undefined ? 0 : Number(marker);
  if (!Number.isInteger(start) || start < 0) throw invalidInput('Invalid Marker.');
  const end = start + maxItems;
  const truncated = end < tags.length;
  return {
    Tags: tags.slice(start, end).map(({ Key, Value }) => ({ Key, Value })),
    IsTruncated: truncated,
    ...(truncated ? { Marker: encodeMarker(String(end)) } : {}),
  };
}
