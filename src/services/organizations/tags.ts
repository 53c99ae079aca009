// Tags on the root, OUs, accounts, customer managed policies and the delegation policy.
import type { RequestContext } from '../service.ts';
import { constraintViolation, targetNotFound } from './errors.ts';
import type { OrganizationRecord, Tag } from './records.ts';
import { changeDelegable, managedOrganization, page } from './shared.ts';

/** AWS's quota of tags on one resource. */
export const MAX_TAGS = 50;

/** The tag list a resource id names, edited in place. */
function tagsOf(org: OrganizationRecord, resourceId: string): Tag[] {
  if (resourceId === org.rootId) return org.rootTags;
  if (org.resourcePolicy && resourceId === org.resourcePolicy.id) return org.resourcePolicy.tags;
  const holder = org.units[resourceId] ?? org.accounts[resourceId] ?? org.policies[resourceId];
  if (!holder) throw targetNotFound();
  return holder.tags;
}

function replaceTags(tags: Tag[], next: Tag[]): void {
  tags.splice(0, tags.length, ...next);
}

export const tagHandlers = {
  /** A key already present takes the new value. */
  async TagResource(input: { ResourceId: string; Tags: Tag[] }, context: RequestContext) {
    await changeDelegable(context, (org) => {
      const tags = tagsOf(org, input.ResourceId);
      const merged = new Map(tags.map((tag) => [tag.Key, tag.Value]));
      for (const tag of input.Tags) merged.set(tag.Key, tag.Value);
      if (merged.size > MAX_TAGS) throw constraintViolation('MAX_TAG_LIMIT_EXCEEDED');
      replaceTags(tags, [...merged].map(([Key, Value]) => ({ Key, Value })));
    });
    return {};
  },

  async UntagResource(input: { ResourceId: string; TagKeys: string[] }, context: RequestContext) {
    await changeDelegable(context, (org) => {
      const tags = tagsOf(org, input.ResourceId);
      replaceTags(tags, tags.filter((tag) => !input.TagKeys.includes(tag.Key)));
    });
    return {};
  },

  async ListTagsForResource(input: { ResourceId: string; NextToken?: string }, context: RequestContext) {
    const org = await managedOrganization(context);
    const { items, NextToken } = page(tagsOf(org, input.ResourceId), input);
    return { Tags: items, ...(NextToken ? { NextToken } : {}) };
  },
};
