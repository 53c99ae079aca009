// AWS CloudTrail: every call that reaches Bulwark is recorded (recorder.ts), can be
// looked up for 90 days and deleted after (lookup.ts, retention.ts), and is delivered as log files by logging trails
// (trails.ts, delivery.ts), with hourly signed digests where log file validation is on
// (digest-delivery.ts). An organization's trails are managed by its management account and
// CloudTrail's delegated administrators (delegated-admin.ts). Operations without a handler
// answer 501 (README, CloudTrail).
import type { Handlers } from '../handlers.ts';
import type { RequestContext, ServiceDefinition, ServiceRuntime } from '../service.ts';
import type { Store } from '../../store/store.ts';
import { cloudTrailAccess } from './access.ts';
import { organizationDelegatedAdminHandlers } from './delegated-admin.ts';
import { LogDelivery } from './delivery.ts';
import { eventConfigurationHandlers } from './event-configuration.ts';
import { listInsightsMetricData } from './insights-metrics.ts';
import { lookupEvents } from './lookup.ts';
import { listPublicKeys } from './public-keys.ts';
import { EventRetention } from './retention.ts';
import type { Operations } from '../../protocol/types/cloudtrail.ts';
import { cloudTrailSubscriber, type GroupCommitWriter } from './recorder.ts';
import { trailHandlers } from './trails.ts';

/** One per running server (tests may run several in one process), found by its store. */
const running = new Map<Store, { delivery: LogDelivery; retention: EventRetention; writer?: GroupCommitWriter }>();

/** Delivers what the caller's server holds for trails now (StopLogging, DeleteTrail). */
async function flushDelivery(context: RequestContext): Promise<void> {
  const instance = running.get(context.store);
  if (!instance) return;
  await instance.writer?.idle();
  await instance.delivery.deliver();
}

export const cloudTrailHandlers: Handlers<Operations> = {
  LookupEvents: lookupEvents,
  ListPublicKeys: listPublicKeys,
  ListInsightsMetricData: listInsightsMetricData,
  ...trailHandlers(flushDelivery),
  ...eventConfigurationHandlers,
  ...organizationDelegatedAdminHandlers,
};

export const cloudtrail: ServiceDefinition = {
  model: 'cloudtrail',
  handlers: cloudTrailHandlers,
  access: cloudTrailAccess,
  start(runtime: ServiceRuntime) {
    let writer: GroupCommitWriter | undefined;
    if (runtime.cloudTrailRecording) {
      const subscriber = cloudTrailSubscriber(runtime.store, runtime.defaultAccountId);
      runtime.events.subscribe(subscriber);
      writer = subscriber.writer;
    }
    const delivery = new LogDelivery(runtime.store, runtime.clock, runtime.dataDir, runtime.logger);
    delivery.start(runtime.cloudTrailDeliveryMs);
    const retention = new EventRetention(runtime.store, runtime.clock, runtime.logger);
    retention.start(runtime.cloudTrailDeliveryMs);
    running.set(runtime.store, { delivery, retention, writer });
  },
  async stop() {
    for (const [store, instance] of running) {
      running.delete(store);
      await instance.retention.stop();
      await instance.writer?.idle();
      await instance.delivery.stop();
    }
  },
};

export { toCloudTrailRecord, type CloudTrailRecord } from './record.ts';
export { queryEvents, storeEvents } from './event-store.ts';
