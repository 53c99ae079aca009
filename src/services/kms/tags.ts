// KMS tag rules: keys 1-128 characters, values 0-256, no "aws:" prefix, at most 50 per key.
import { AwsError } from '../../protocol/errors.ts';
import type { Tag } from '../../protocol/types/kms.ts';

const MAX_TAGS = 50;

export function checkTags(tags: readonly Tag[]): void {
  for (const tag of tags) {
    if (tag.TagKey.toLowerCase().startsWith('aws:')) {
      throw new AwsError('TagException', 'Tags beginning with aws: are reserved.');
    }
  }
}

/** Tags merged over existing ones (same key: the new value wins); TagException past 50. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  checkTags(added);
  const merged = new Map(existing.map((tag) => [tag.TagKey, tag.TagValue]));
  for (const tag of added) merged.set(tag.TagKey, tag.TagValue);
  if (merged.size > MAX_TAGS) throw new AwsError('TagException', `The number of tags exceeds the limit of ${MAX_TAGS}.`);
  return [...merged].map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}
