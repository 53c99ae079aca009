// Log file delivery. S3 does not exist in Bulwark: a trail's S3BucketName names a local
// directory, <dataDir>/s3/<bucket>/, and files land there in AWS's layout:
//   [<prefix>/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
//     <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 characters>.json.gz
// each a gzipped {"Records":[...]}. Events wait in the event log's outbox (written with the
// event, only while one of the account's trails logs) until the next delivery, which
// runs on a timer and when a trail stops logging or is deleted. Delivery is at least
// once: a crash between writing a file and clearing the outbox delivers those again.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import type { Store } from '../../store/store.ts';
import { DigestDelivery } from './digest-delivery.ts';
import { HASH_ALGORITHM, sha256Hex } from './digests.ts';
import { markDelivered, undeliveredEvents } from './event-store.ts';
import { refreshOrganizationMarkers, organizationTrailsOf } from './organization-trails.ts';
import { logFileKey, objectPath, trailDestination, writeGzippedObject } from './layout.ts';
import { awsRecord, type CloudTrailRecord } from './record.ts';
import { trailSelects } from './selectors.ts';
import { TRAILS, trailKey, type TrailRecord } from './trails.ts';

const PAGE = 1000;

export class LogDelivery {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #dataDir: string;
  readonly #logger: Logger;
  readonly #digests: DigestDelivery;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(store: Store, clock: Clock, dataDir: string, logger: Logger) {
    this.#store = store;
    this.#clock = clock;
    this.#dataDir = dataDir;
    this.#logger = logger;
    this.#digests = new DigestDelivery(store, dataDir, logger);
  }

  start(intervalMs: number): void {
    this.#timer = setInterval(() => {
      this.deliver().catch((error) => this.#logger.error('cloudtrail delivery failed', { error: (error as Error).stack }));
    }, intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.deliver();
  }

  /**
   * Delivers everything in the outbox now, then the digests whose hour is over (one
   * delivery at a time; a caller arriving mid-way waits for a fresh one).
   */
  async deliver(): Promise<void> {
    while (this.#running) await this.#running;
    this.#running = refreshOrganizationMarkers(this.#store)
      .then(() => this.#deliverOutbox())
      .then(() => this.#digests.deliverDue(this.#clock.now()))
      .finally(() => (this.#running = undefined));
    await this.#running;
  }

  async #deliverOutbox(): Promise<void> {
    for (;;) {
      const page = await undeliveredEvents(this.#store, PAGE);
      if (page.length === 0) return;
      const byAccount = new Map<string, CloudTrailRecord[]>();
      for (const { account, record } of page) byAccount.set(account, [...(byAccount.get(account) ?? []), record]);
      for (const [account, records] of byAccount) await this.#deliverAccount(account, records);
      await markDelivered(this.#store, page.map((e) => e.key));
      if (page.length < PAGE) return;
    }
  }

  async #deliverAccount(account: string, records: CloudTrailRecord[]): Promise<void> {
    const own = (await this.#store.list<TrailRecord>(TRAILS, { prefix: `${account}/` })).items.map((i) => i.value).filter((t) => t.logging);
    const trails = [...own, ...(await organizationTrailsOf(this.#store, account))];
    for (const trail of trails) {
      const byRegion = new Map<string, CloudTrailRecord[]>();
      for (const record of records) {
        if (!trail.isMultiRegionTrail && record.awsRegion !== trail.homeRegion) continue;
        if (!trailSelects(trail, record)) continue;
        byRegion.set(record.awsRegion, [...(byRegion.get(record.awsRegion) ?? []), record]);
      }
      if (byRegion.size === 0) continue;
      const now = this.#clock.now();
      let error: string | undefined;
      for (const [region, regionRecords] of byRegion) {
        try {
          await this.#writeLogFile(trail, account, region, regionRecords, now);
        } catch (failure) {
          error = (failure as Error).message;
          this.#logger.error('cloudtrail log file not written', { trail: trail.name, error });
        }
      }
      await this.#noteDelivery(trail, now, error);
    }
  }

  async #writeLogFile(trail: TrailRecord, account: string, region: string, records: CloudTrailRecord[], now: Date): Promise<void> {
    const destination = trailDestination(trail, account);
    const key = logFileKey(destination, region, now);
    const path = objectPath(this.#dataDir, destination.bucket, key);
    await mkdir(dirname(path), { recursive: true });
    const content = JSON.stringify({ Records: records.map(awsRecord) });
    await writeGzippedObject(path, content);
    if (trail.logFileValidationEnabled) {
      const times = records.map((r) => r.eventTime).sort();
      const file = { s3Bucket: destination.bucket, s3Object: key, hashValue: sha256Hex(content), hashAlgorithm: HASH_ALGORITHM, newestEventTime: times.at(-1)!, oldestEventTime: times[0] };
      await this.#digests.noteLogFile(trail, destination, region, file, now);
    }
  }

  async #noteDelivery(trail: TrailRecord, at: Date, error: string | undefined): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const current = await tx.get<TrailRecord>(TRAILS, trailKey(trail.accountId, trail.name));
      if (!current) return;
      if (error) current.latestDeliveryError = error;
      else {
        current.latestDeliveryTime = at.toISOString();
        delete current.latestDeliveryError;
      }
      await tx.put(TRAILS, trailKey(trail.accountId, trail.name), current);
    });
  }
}
