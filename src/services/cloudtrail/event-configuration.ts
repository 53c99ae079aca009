// Get/PutEventConfiguration for trails: a trail's aggregation settings (templates that
// summarize its data events). Stored and answered as AWS does; Bulwark records management
// events only, so nothing is aggregated yet. MaxEventSize and context key selectors belong
// to event data stores, which Bulwark does not implement.
import { AwsError } from '../../protocol/errors.ts';
import type { Handlers } from '../handlers.ts';
import type { RequestContext } from '../service.ts';
import type { Operations } from '../../protocol/types/cloudtrail.ts';
import { findTrail, findTrailToChange, TRAILS, trailArn, trailKey } from './trails.ts';

/** The trail a request names; event data stores are not implemented. */
function trailNameOf(input: { TrailName?: string; EventDataStore?: string }): string {
  if (input.TrailName !== undefined && input.EventDataStore !== undefined) {
    throw new AwsError('InvalidParameterCombinationException', 'Specify either a trail or an event data store, but not both.');
  }
  if (input.EventDataStore !== undefined) {
    throw new AwsError('UnsupportedOperationException', 'Event data stores are not implemented in Bulwark.');
  }
  if (input.TrailName === undefined || input.TrailName === '') {
    throw new AwsError('InvalidParameterException', 'You must specify a trail or an event data store.');
  }
  return input.TrailName;
}

export const eventConfigurationHandlers: Handlers<Operations> = {
  async GetEventConfiguration(input, context: RequestContext) {
    const trail = await findTrail(context.store, trailNameOf(input), context);
    return { TrailARN: trailArn(trail), ...(trail.aggregationConfigurations && { AggregationConfigurations: trail.aggregationConfigurations }) };
  },

  async PutEventConfiguration(input, context: RequestContext) {
    const name = trailNameOf(input);
    if (input.MaxEventSize !== undefined || input.ContextKeySelectors !== undefined) {
      throw new AwsError('InvalidParameterCombinationException', 'MaxEventSize and ContextKeySelectors apply to event data stores only, not to trails.');
    }
    const configurations = input.AggregationConfigurations ?? [];
    for (const configuration of configurations) {
      if (new Set(configuration.Templates).size !== configuration.Templates.length) {
        throw new AwsError('InvalidParameterException', 'Aggregation templates must not repeat.');
      }
    }
    return context.store.transaction(async (tx) => {
      const trail = await findTrailToChange(tx, name, context);
      if (configurations.length > 0) trail.aggregationConfigurations = configurations;
      else delete trail.aggregationConfigurations;
      await tx.put(TRAILS, trailKey(trail.accountId, trail.name), trail);
      return { TrailARN: trailArn(trail), AggregationConfigurations: configurations };
    });
  },
};
