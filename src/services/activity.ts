// What callers did, kept for IAM's last-used data: each access key's last use
// (GetAccessKeyLastUsed, the credential report) and each user's, group's and role's
// last access per service and action (service last accessed). AWS's own figures are
// hours coarse, so each (key) and (entity, action) is written at most once a minute:
// the hot path does not pay a durable write per call.
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../lib/log.ts';
import type { Store } from '../store/store.ts';
import { recordAccessKeyUse } from './iam/credentials/index.ts';
import { groupsOf } from './iam/policies/principal.ts';
import { recordServiceAccess } from './iam/reports.ts';

export interface Activity {
  principal: Principal;
  accessKeyId: string | undefined;
  region: string;
  now: Date;
  /** The service's action prefix (e.g. 'iam'), as GetAccessKeyLastUsed names it. */
  service: string;
  /** The actions the call was allowed to perform. */
  actions: readonly string[];
}

const WRITE_INTERVAL_MS = 60_000;
const MAX_REMEMBERED = 100_000;

export class ActivityRecorder {
  readonly #store: Store;
  readonly #logger: Logger;
  /** When each key or (entity, action) was last written, by Bulwark's clock. */
  readonly #written = new Map<string, number>();
  readonly #pending = new Set<Promise<void>>();

  constructor(store: Store, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
  }

  /** Records in the background; failures are logged, never the caller's problem. */
  record(activity: Activity): void {
    const work = this.#write(activity).catch((error) =>
      this.#logger.warn('could not record activity', { error: (error as Error).message }),
    );
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  /** Waits for writes under way (before the store closes). */
  async flush(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  /** Forgets what was written (after a reset, the store is empty again). */
  reset(): void {
    this.#written.clear();
  }

  #due(key: string, now: number): boolean {
    const last = this.#written.get(key);
    if (last !== undefined && now - last < WRITE_INTERVAL_MS) return false;
    if (this.#written.size >= MAX_REMEMBERED) this.#written.clear();
    this.#written.set(key, now);
    return true;
  }

  async #write(activity: Activity): Promise<void> {
    const now = activity.now.getTime();
    const { principal } = activity;
    if (activity.accessKeyId && this.#due(`key\n${activity.accessKeyId}`, now)) {
      await recordAccessKeyUse(this.#store, activity.accessKeyId, { date: activity.now, service: activity.service, region: activity.region });
    }
    if (principal.type !== 'IAMUser' && principal.type !== 'AssumedRole') return;
    const actions = activity.actions.filter((action) => this.#due(`${principal.arn}\n${action}`, now));
    if (actions.length === 0) return;
    const entityChain =
      principal.type === 'IAMUser'
        ? [principal.arn, ...(await groupsOf(this.#store, principal.accountId, principal.userName)).map((group) => group.arn)]
        : [principal.roleArn];
    for (const action of actions) {
      await recordServiceAccess(this.#store, {
        accountId: principal.accountId,
        principalArn: principal.arn,
        entityChain,
        serviceNamespace: action.slice(0, action.indexOf(':')),
        action,
        region: activity.region,
        date: activity.now,
      });
    }
  }
}
