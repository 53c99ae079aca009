// ListInsightsMetricData: the per-period counts CloudTrail Insights watches, from the
// recorded management events of the caller's account and region. ApiCallRateInsight
// counts write calls of one EventSource/EventName; ApiErrorRateInsight counts its calls
// that failed with ErrorCode. Periods of 60, 300 and 3600 seconds reach back 15, 63 and 90
// days. Counts exist only while a trail of the account has that Insights type enabled
// (GetInsightSelectors), as on AWS: without one the series is empty. Insights for data
// events (the TrailName form) have nothing to count, Bulwark recording no data events.
import { AwsError } from '../../protocol/errors.ts';
import type { RequestContext } from '../service.ts';
import type { ListInsightsMetricDataRequest, ListInsightsMetricDataResponse } from '../../protocol/types/cloudtrail.ts';
import { queryEvents } from './event-store.ts';
import { findTrail, TRAILS, trailArn, type TrailRecord } from './trails.ts';
import { decodeToken, encodeToken } from './tokens.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How far back each period's data points go. */
const RETENTION_MS: Record<number, number> = { 60: 15 * DAY_MS, 300: 63 * DAY_MS, 3600: 90 * DAY_MS };
const SCAN_PAGE = 1000;

export async function listInsightsMetricData(input: ListInsightsMetricDataRequest, context: RequestContext): Promise<ListInsightsMetricDataResponse> {
  const period = input.Period ?? 3600;
  if (!(period in RETENTION_MS)) throw new AwsError('InvalidParameterException', 'Period must be one of 60, 300 or 3600 seconds.');
  if (input.InsightType === 'ApiErrorRateInsight' && !input.ErrorCode) {
    throw new AwsError('InvalidParameterException', 'ErrorCode is required when InsightType is ApiErrorRateInsight.');
  }
  const trail = input.TrailName === undefined ? undefined : await findTrail(context.store, input.TrailName, context);
  const periodMs = period * 1000;
  const now = context.now.getTime();
  const endMs = Math.min(input.EndTime?.getTime() ?? now, now);
  const earliest = now - RETENTION_MS[period];
  const startMs = Math.ceil(Math.max(input.StartTime?.getTime() ?? now - 90 * DAY_MS, earliest) / periodMs) * periodMs;
  if (input.StartTime && input.EndTime && input.StartTime > input.EndTime) {
    throw new AwsError('InvalidParameterException', 'StartTime must be before EndTime.');
  }
  const fingerprint = JSON.stringify([input.TrailName, input.EventSource, input.EventName, input.InsightType, input.ErrorCode, input.StartTime, input.EndTime, period, input.DataType]);
  const from = input.NextToken === undefined ? startMs : Number(decodeToken(input.NextToken, fingerprint, 'InvalidNextTokenException', 'Invalid NextToken.'));
  const counts = trail || !(await insightsEnabled(context, input.InsightType)) ? new Map<number, number>() : await countCalls(input, context, from, endMs, periodMs);

  const points: [number, number][] =
    input.DataType === 'FillWithZeros'
      ? Array.from({ length: Math.max(0, Math.ceil((endMs - from) / periodMs)) }, (_, i) => [from + i * periodMs, counts.get(from + i * periodMs) ?? 0])
      : [...counts.entries()].sort(([a], [b]) => a - b);
  const max = input.MaxResults ?? 21600;
  const page = points.slice(0, max);
  const more = points.length > max;
  return {
    ...(trail && { TrailARN: trailArn(trail) }),
    EventSource: input.EventSource,
    EventName: input.EventName,
    InsightType: input.InsightType,
    ...(input.ErrorCode && { ErrorCode: input.ErrorCode }),
    Timestamps: page.map(([t]) => new Date(t)),
    Values: page.map(([, v]) => v),
    ...(more && { NextToken: encodeToken(String(points[max][0]), fingerprint) }),
  };
}

/** Whether a trail of the caller's account, seen from this region, has this Insights type on. */
async function insightsEnabled(context: RequestContext, insightType: string): Promise<boolean> {
  const trails = (await context.store.list<TrailRecord>(TRAILS, { prefix: `${context.principal.accountId}/` })).items.map((i) => i.value);
  return trails.some(
    (t) => (t.homeRegion === context.region || t.isMultiRegionTrail) && (t.insightSelectors ?? []).some((s) => s.InsightType === insightType),
  );
}

/** Calls counted by the Insights type, per period start, in [fromMs, endMs). */
async function countCalls(input: ListInsightsMetricDataRequest, context: RequestContext, fromMs: number, endMs: number, periodMs: number): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  if (fromMs >= endMs) return counts;
  let after: string | undefined;
  do {
    const page = await queryEvents(context.store, {
      account: context.principal.accountId,
      region: context.region,
      attribute: { key: 'EventName', value: input.EventName },
      startMs: fromMs,
      endMs: endMs - 1,
      limit: SCAN_PAGE,
      after,
    });
    for (const { t, record } of page.events) {
      if (record.eventSource !== input.EventSource) continue;
      const counted = input.InsightType === 'ApiCallRateInsight' ? !record.readOnly : record.errorCode === input.ErrorCode;
      if (!counted) continue;
      const bucket = Math.floor(t / periodMs) * periodMs;
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    after = page.next;
  } while (after !== undefined);
  return counts;
}
