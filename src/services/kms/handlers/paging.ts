// KMS's Limit/Marker pagination over a store prefix. The marker is the store key of the
// last item returned; `keep` may drop items (e.g. keys whose deletion date has passed)
// or transform them.
import { AwsError } from '../../../protocol/errors.ts';
import type { RequestContext } from '../../service.ts';

export interface KmsPage<T> {
  items: T[];
  truncated: boolean;
  nextMarker?: string;
}

export async function pageOf<T, R = T>(
  context: RequestContext,
  collection: string,
  prefix: string,
  input: { Limit?: number; Marker?: string },
  keep: (value: T) => R | undefined | Promise<R | undefined> = (value) => value as unknown as R,
  defaultLimit = 100,
): Promise<KmsPage<R>> {
  const limit = input.Limit ?? defaultLimit;
  let after: string | undefined;
  if (input.Marker !== undefined) {
    after = Buffer.from(input.Marker, 'base64url').toString('utf8');
    if (!after.startsWith(prefix)) throw new AwsError('InvalidMarkerException', 'The marker that specifies where pagination should next begin is not valid.');
  }
  const items: R[] = [];
  let lastKey: string | undefined;
  for (;;) {
    const page = await context.store.list<T>(collection, { prefix, after, limit: limit + 1 - items.length });
    for (const entry of page.items) {
      if (items.length === limit) return { items, truncated: true, nextMarker: Buffer.from(lastKey!, 'utf8').toString('base64url') };
      const kept = await keep(entry.value);
      if (kept !== undefined) items.push(kept);
      lastKey = entry.key;
    }
    if (!page.next) return { items, truncated: false };
    after = page.next;
  }
}
