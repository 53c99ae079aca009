// Hourly digest delivery on Bulwark's clock. Each (trail, account, region) with log file
// validation has a chain: the start of its open hour and a link to its last digest. Log
// files delivered meanwhile wait as pending entries; when the hour is over (checked on
// every delivery tick) the digest naming them is signed and written, also when the hour
// delivered nothing (AWS does that too). When a trail stops logging, loses validation or
// is deleted, its chain gets a last digest for the open hour and ends: the next one starts
// afresh, and validate-logs sees the gap. Stored as:
//
//   cloudtrail.digest-chains    TRAIL_ACCOUNT/TRAIL/ACCOUNT/REGION -> DigestChain
//   cloudtrail.digest-pending   TRAIL_ACCOUNT/TRAIL/ACCOUNT/REGION/DELIVERED_MS/ID -> PendingLogFile
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../lib/log.ts';
import type { Store } from '../../store/store.ts';
import { digestDocument, METADATA_SUFFIX, signDigest, SIGNATURE_ALGORITHM, type DigestLink, type DigestLogFile, type DigestMetadata } from './digests.ts';
import { digestFileKey, objectPath, trailDestination, writeGzippedObject, type Destination } from './layout.ts';
import { isoSeconds } from './record.ts';
import { currentSigningKey, privateKeyOf } from './signing-keys.ts';
import { TRAILS, trailKey, type TrailRecord } from './trails.ts';

export const DIGEST_CHAINS = 'cloudtrail.digest-chains';
export const DIGEST_PENDING = 'cloudtrail.digest-pending';
const HOUR_MS = 60 * 60 * 1000;
/** A chain further behind than this (Bulwark's clock jumped) restarts instead of catching up hour by hour. */
const MAX_CATCH_UP_MS = 7 * 24 * HOUR_MS;

interface DigestChain {
  trailAccountId: string;
  trailName: string;
  homeRegion: string;
  accountId: string;
  region: string;
  /** Where the last digest went (kept for a trail deleted mid-hour). */
  destination: Destination;
  /** Start of the open hour, ISO with milliseconds. */
  windowStart: string;
  previous?: DigestLink;
}

interface PendingLogFile {
  deliveredMs: number;
  file: DigestLogFile;
}

function chainKey(trail: Pick<TrailRecord, 'accountId' | 'name'>, accountId: string, region: string): string {
  return `${trail.accountId}/${trail.name}/${accountId}/${region}`;
}

function validating(trail: TrailRecord | undefined): boolean {
  return trail !== undefined && trail.logging && trail.logFileValidationEnabled;
}

export class DigestDelivery {
  readonly #store: Store;
  readonly #dataDir: string;
  readonly #logger: Logger;

  constructor(store: Store, dataDir: string, logger: Logger) {
    this.#store = store;
    this.#dataDir = dataDir;
    this.#logger = logger;
  }

  /** Remembers a log file a validating trail delivered, for the digest of its hour. */
  async noteLogFile(trail: TrailRecord, destination: Destination, region: string, file: DigestLogFile, at: Date): Promise<void> {
    const key = chainKey(trail, destination.accountId, region);
    await this.#store.transaction(async (tx) => {
      await tx.insert(DIGEST_CHAINS, key, newChain(trail, destination, region, at));
      await tx.put(DIGEST_PENDING, `${key}/${String(at.getTime()).padStart(13, '0')}/${randomUUID()}`, { deliveredMs: at.getTime(), file });
    });
  }

  /** Starts chains for validating trails and delivers every digest whose hour is over. */
  async deliverDue(now: Date): Promise<void> {
    const trails = (await this.#store.list<TrailRecord>(TRAILS)).items.map((i) => i.value).filter(validating);
    const chains = (await this.#store.list<DigestChain>(DIGEST_CHAINS)).items;
    const open = new Set(chains.map((c) => c.key));
    for (const trail of trails) {
      const key = chainKey(trail, trail.accountId, trail.homeRegion);
      if (open.has(key)) continue;
      const chain = newChain(trail, trailDestination(trail), trail.homeRegion, now);
      if (await this.#store.insert(DIGEST_CHAINS, key, chain)) chains.push({ key, value: chain, version: 0 });
    }
    for (const { key, value } of chains) {
      let chain: DigestChain | undefined = value;
      while (chain && Date.parse(chain.windowStart) + HOUR_MS <= now.getTime()) {
        chain = await this.#closeHour(key, chain, now);
      }
    }
  }

  /** Delivers the digest of the chain's open hour; returns the chain as it goes on (undefined once it ends). */
  async #closeHour(key: string, chain: DigestChain, now: Date): Promise<DigestChain | undefined> {
    if (now.getTime() - Date.parse(chain.windowStart) > MAX_CATCH_UP_MS) return this.#restart(key, chain, now);
    const end = new Date(Date.parse(chain.windowStart) + HOUR_MS);
    const signingKey = await currentSigningKey(this.#store, chain.region, end);
    const outcome = await this.#store.transaction(async (tx) => {
      const current = await tx.get<DigestChain>(DIGEST_CHAINS, key);
      if (!current || current.windowStart !== chain.windowStart) return { next: current };
      const trail = await tx.get<TrailRecord>(TRAILS, trailKey(chain.trailAccountId, chain.trailName));
      const destination = trail ? trailDestination(trail, chain.accountId) : chain.destination;
      const pending = (await tx.list<PendingLogFile>(DIGEST_PENDING, { prefix: `${key}/` })).items;
      const included = pending.filter((p) => p.value.deliveredMs <= end.getTime());
      const object = digestFileKey(destination, chain.region, { name: chain.trailName, homeRegion: chain.homeRegion }, end);
      const signed = signDigest(
        digestDocument({
          accountId: chain.accountId,
          start: isoSeconds(new Date(chain.windowStart)),
          end: isoSeconds(end),
          bucket: destination.bucket,
          object,
          fingerprint: signingKey.fingerprint,
          logFiles: included.map((p) => p.value.file),
          previous: chain.previous,
        }),
        privateKeyOf(signingKey),
      );
      const ends = !validating(trail);
      for (const p of ends ? pending : included) await tx.delete(DIGEST_PENDING, p.key);
      let next: DigestChain | undefined;
      if (ends) await tx.delete(DIGEST_CHAINS, key);
      else {
        next = { ...chain, destination, windowStart: end.toISOString(), previous: { bucket: destination.bucket, object, hashValue: signed.hashValue, signature: signed.signature } };
        await tx.put(DIGEST_CHAINS, key, next);
      }
      if (trail) await tx.put(TRAILS, trailKey(trail.accountId, trail.name), { ...trail, latestDigestDeliveryTime: now.toISOString() });
      return { next, written: { destination, object, signed } };
    });
    if (outcome.written) {
      const { destination, object, signed } = outcome.written;
      await this.#write(destination.bucket, object, signed.body, { signature: signed.signature, 'signature-algorithm': SIGNATURE_ALGORITHM });
    }
    return outcome.next;
  }

  /** Bulwark's clock jumped far ahead: the chain starts again in the current hour, without a link. */
  async #restart(key: string, chain: DigestChain, now: Date): Promise<DigestChain | undefined> {
    return this.#store.transaction(async (tx) => {
      const current = await tx.get<DigestChain>(DIGEST_CHAINS, key);
      if (!current || current.windowStart !== chain.windowStart) return current;
      const trail = await tx.get<TrailRecord>(TRAILS, trailKey(chain.trailAccountId, chain.trailName));
      if (!validating(trail)) {
        await tx.delete(DIGEST_CHAINS, key);
        return undefined;
      }
      const behind = now.getTime() - Date.parse(chain.windowStart);
      const restarted: DigestChain = { ...chain, windowStart: wholeSeconds(new Date(now.getTime() - (behind % HOUR_MS))).toISOString() };
      delete restarted.previous;
      await tx.put(DIGEST_CHAINS, key, restarted);
      return restarted;
    });
  }

  async #write(bucket: string, object: string, body: string, metadata: DigestMetadata): Promise<void> {
    const path = objectPath(this.#dataDir, bucket, object);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(`${path}${METADATA_SUFFIX}`, JSON.stringify(metadata));
      await writeGzippedObject(path, body);
    } catch (error) {
      this.#logger.error('cloudtrail digest file not written', { bucket, object, error: (error as Error).message });
    }
  }
}

function newChain(trail: TrailRecord, destination: Destination, region: string, at: Date): DigestChain {
  return {
    trailAccountId: trail.accountId,
    trailName: trail.name,
    homeRegion: trail.homeRegion,
    accountId: destination.accountId,
    region,
    destination,
    windowStart: wholeSeconds(at).toISOString(),
  };
}

/** Digest times are written to the second: hours start on one. */
function wholeSeconds(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}
