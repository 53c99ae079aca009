// Trails: what CloudTrail delivers, where, and whether it is logging. A trail lives in
// its home region; a multi-region trail is also visible (a "shadow trail") from every
// other region. Trail names are unique per account here (AWS: per region, with
// multi-region names reserved everywhere).
import { AwsError } from '../../protocol/errors.ts';
import type { Documents } from '../../store/store.ts';
import type { Handlers } from '../handlers.ts';
import type { RequestContext } from '../service.ts';
import { changingLoggingMarkers, LOGGING_ACCOUNTS } from './event-store.ts';
import { mayChangeTrail, organizationForTrail, organizationTrailsSeenBy, syncOrganizationMarkers } from './organization-trails.ts';
import { decodeToken, encodeToken } from './tokens.ts';
import type { AdvancedEventSelector, AggregationConfiguration, EventSelector, InsightSelector, Operations, Tag, Trail } from '../../protocol/types/cloudtrail.ts';

export const TRAILS = 'cloudtrail.trails';
const MAX_TRAILS_PER_REGION = 5;
const MAX_TAGS = 50;
/** AWS documents no page sizes for these: Bulwark's. */
const LIST_TRAILS_PAGE = 50;
const LIST_TAGS_PAGE = 10;
const MAX_LIST_TAGS_RESOURCES = 20;

export interface TrailRecord {
  name: string;
  accountId: string;
  homeRegion: string;
  s3BucketName: string;
  s3KeyPrefix?: string;
  snsTopicName?: string;
  includeGlobalServiceEvents: boolean;
  isMultiRegionTrail: boolean;
  isOrganizationTrail: boolean;
  /** Set while the trail is an organization trail: the organization it logs. */
  organizationId?: string;
  logFileValidationEnabled: boolean;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  kmsKeyId?: string;
  eventSelectors?: EventSelector[];
  advancedEventSelectors?: AdvancedEventSelector[];
  insightSelectors?: InsightSelector[];
  aggregationConfigurations?: AggregationConfiguration[];
  tags: Tag[];
  logging: boolean;
  startLoggingTime?: string;
  stopLoggingTime?: string;
  latestDeliveryTime?: string;
  latestDeliveryError?: string;
  latestDigestDeliveryTime?: string;
}

export function trailArn(trail: Pick<TrailRecord, 'homeRegion' | 'accountId' | 'name'>): string {
  return `arn:aws:cloudtrail:${trail.homeRegion}:${trail.accountId}:trail/${trail.name}`;
}

export function trailKey(accountId: string, name: string): string {
  return `${accountId}/${name}`;
}

const ARN_PATTERN = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;

/** The ARN a Name parameter (a name or an ARN) stands for, in the caller's region when it is a name. */
export function arnForName(nameOrArn: string, context: RequestContext): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return `arn:aws:cloudtrail:${context.region}:${context.principal.accountId}:trail/${nameOrArn}`;
}

function parseName(nameOrArn: string, context: RequestContext): { accountId: string; name: string } {
  if (nameOrArn.startsWith('arn:')) {
    const match = ARN_PATTERN.exec(nameOrArn);
    if (!match) throw new AwsError('CloudTrailARNInvalidException', `Invalid trail ARN: ${nameOrArn}`);
    return { accountId: match[2], name: match[3] };
  }
  return { accountId: context.principal.accountId, name: nameOrArn };
}

/** AWS's trail name rules. */
export function checkTrailName(name: string): void {
  const fail = (message: string) => {
    throw new AwsError('InvalidTrailNameException', message);
  };
  if (name.length < 3 || name.length > 128) fail('Trail name too short. Minimum allowed length: 3 characters. Specified name length: ' + name.length + ' characters.');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) fail('Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).');
  if (!/^[A-Za-z0-9]/.test(name) || !/[A-Za-z0-9]$/.test(name)) fail('Trail name must start and end with a letter or number.');
  if (/[._-]{2}/.test(name)) fail('Trail name cannot have adjacent periods, underscores or dashes.');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) fail('Trail name cannot be formatted as an IP address.');
}

function checkBucketName(bucket: string): void {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) {
    throw new AwsError('InvalidS3BucketNameException', `Bucket name is not valid: ${bucket}`);
  }
}

function checkPrefix(prefix: string | undefined): void {
  if (prefix !== undefined && (prefix.length > 200 || prefix.includes('..') || prefix.startsWith('/'))) {
    throw new AwsError('InvalidS3PrefixException', `Invalid S3 prefix: ${prefix}`);
  }
}

function notFound(nameOrArn: string, context: RequestContext): AwsError {
  return new AwsError('TrailNotFoundException', `Unknown trail: ${arnForName(nameOrArn, context)} for the user: ${context.principal.accountId}`);
}

/** The trails an account sees: its own and, in a member account, its organization's trails. */
async function trailsSeenBy(store: Documents, accountId: string): Promise<TrailRecord[]> {
  const own = (await store.list<TrailRecord>(TRAILS, { prefix: `${accountId}/` })).items.map((i) => i.value);
  return [...own, ...(await organizationTrailsSeenBy(store, accountId))];
}

/** The trail a Name parameter names, if the caller's region can see it. */
export async function findTrail(store: Documents, nameOrArn: string, context: RequestContext): Promise<TrailRecord> {
  const { accountId, name } = parseName(nameOrArn, context);
  const caller = context.principal.accountId;
  const own = accountId === caller ? await store.get<TrailRecord>(TRAILS, trailKey(accountId, name)) : undefined;
  const trail =
    own ?? (await organizationTrailsSeenBy(store, caller)).find((t) => t.name === name && (accountId === caller || t.accountId === accountId));
  if (!trail || !visibleFrom(trail, context.region)) throw notFound(nameOrArn, context);
  return trail;
}

/** An organization trail is changed by its management account or a CloudTrail delegated administrator only. */
async function assertMayChange(store: Documents, trail: TrailRecord, context: RequestContext): Promise<void> {
  if (await mayChangeTrail(store, trail, context.principal.accountId)) return;
  throw new AwsError(
    'NotOrganizationMasterAccountException',
    'An organization trail can only be changed from the management account or a CloudTrail delegated administrator of its organization.',
  );
}

/** Changes go through the home region only, as on AWS. */
export async function findTrailToChange(store: Documents, nameOrArn: string, context: RequestContext): Promise<TrailRecord> {
  const trail = await findTrail(store, nameOrArn, context);
  await assertMayChange(store, trail, context);
  if (trail.homeRegion !== context.region) {
    throw new AwsError(
      'InvalidHomeRegionException',
      `This operation must be called from the trail's home region (${trail.homeRegion}).`,
    );
  }
  return trail;
}

function visibleFrom(trail: TrailRecord, region: string): boolean {
  return trail.homeRegion === region || trail.isMultiRegionTrail;
}

function trailShape(trail: TrailRecord): Trail {
  return {
    Name: trail.name,
    S3BucketName: trail.s3BucketName,
    ...(trail.s3KeyPrefix !== undefined && { S3KeyPrefix: trail.s3KeyPrefix }),
    ...(trail.snsTopicName !== undefined && {
      SnsTopicName: trail.snsTopicName,
      SnsTopicARN: `arn:aws:sns:${trail.homeRegion}:${trail.accountId}:${trail.snsTopicName}`,
    }),
    IncludeGlobalServiceEvents: trail.includeGlobalServiceEvents,
    IsMultiRegionTrail: trail.isMultiRegionTrail,
    HomeRegion: trail.homeRegion,
    TrailARN: trailArn(trail),
    LogFileValidationEnabled: trail.logFileValidationEnabled,
    ...(trail.cloudWatchLogsLogGroupArn !== undefined && { CloudWatchLogsLogGroupArn: trail.cloudWatchLogsLogGroupArn }),
    ...(trail.cloudWatchLogsRoleArn !== undefined && { CloudWatchLogsRoleArn: trail.cloudWatchLogsRoleArn }),
    ...(trail.kmsKeyId !== undefined && { KmsKeyId: trail.kmsKeyId }),
    HasCustomEventSelectors: trail.eventSelectors !== undefined || trail.advancedEventSelectors !== undefined,
    HasInsightSelectors: (trail.insightSelectors?.length ?? 0) > 0,
    IsOrganizationTrail: trail.isOrganizationTrail,
  };
}

/** Create/Update answers: the trail without HomeRegion and the selector flags. */
function writeAnswer(trail: TrailRecord) {
  const { HomeRegion: _h, HasCustomEventSelectors: _c, HasInsightSelectors: _i, ...rest } = trailShape(trail);
  return rest;
}

/** Keeps the account's "logging trails" marker (read by the recorder) in step with the trail. */
async function updateLoggingMarker(tx: Documents, trail: TrailRecord, deleted = false): Promise<void> {
  const marker = (await tx.get<{ trails: string[] }>(LOGGING_ACCOUNTS, trail.accountId)) ?? { trails: [] };
  const others = marker.trails.filter((name) => name !== trail.name);
  const trails = trail.logging && !deleted ? [...others, trail.name] : others;
  if (trails.length === 0) await tx.delete(LOGGING_ACCOUNTS, trail.accountId);
  else await tx.put(LOGGING_ACCOUNTS, trail.accountId, { trails });
  await syncOrganizationMarkers(tx, trail, deleted);
}

/** Only the management account turns a trail into an organization trail or back (not a delegated administrator). */
async function convertTrail(tx: Documents, trail: TrailRecord, toOrganization: boolean, context: RequestContext): Promise<void> {
  if (trail.accountId !== context.principal.accountId) {
    throw new AwsError('NotOrganizationMasterAccountException', 'Only the management account of the organization can convert an organization trail.');
  }
  if (toOrganization) trail.organizationId = (await organizationForTrail(tx, context, true)).organizationId;
  else delete trail.organizationId;
  trail.isOrganizationTrail = toOrganization;
}

function checkTags(tags: Tag[]): void {
  if (tags.length > MAX_TAGS) throw new AwsError('TagsLimitExceededException', `The number of tags exceeds the limit of ${MAX_TAGS}.`);
}

/** Called before a trail stops logging or goes away, so its pending events are delivered first. */
export type FlushDelivery = (context: RequestContext) => Promise<void>;

export function trailHandlers(flush: FlushDelivery): Handlers<Operations> {
  return {
    async CreateTrail(input, context) {
      checkTrailName(input.Name);
      checkBucketName(input.S3BucketName);
      checkPrefix(input.S3KeyPrefix);
      if (input.IsMultiRegionTrail && input.IncludeGlobalServiceEvents === false) {
        throw new AwsError('InvalidParameterCombinationException', 'Multi-Region trail must include global service events.');
      }
      const tags = input.TagsList ?? [];
      checkTags(tags);
      const trail: TrailRecord = {
        name: input.Name,
        accountId: context.principal.accountId,
        homeRegion: context.region,
        s3BucketName: input.S3BucketName,
        ...(input.S3KeyPrefix !== undefined && { s3KeyPrefix: input.S3KeyPrefix }),
        ...(input.SnsTopicName !== undefined && { snsTopicName: input.SnsTopicName }),
        includeGlobalServiceEvents: input.IncludeGlobalServiceEvents ?? true,
        isMultiRegionTrail: input.IsMultiRegionTrail ?? false,
        isOrganizationTrail: input.IsOrganizationTrail ?? false,
        logFileValidationEnabled: input.EnableLogFileValidation ?? false,
        ...(input.CloudWatchLogsLogGroupArn !== undefined && { cloudWatchLogsLogGroupArn: input.CloudWatchLogsLogGroupArn }),
        ...(input.CloudWatchLogsRoleArn !== undefined && { cloudWatchLogsRoleArn: input.CloudWatchLogsRoleArn }),
        ...(input.KmsKeyId !== undefined && { kmsKeyId: input.KmsKeyId }),
        tags,
        logging: false,
      };
      await context.store.transaction(async (tx) => {
        // An organization trail belongs to the management account, also when a delegated administrator makes it.
        if (trail.isOrganizationTrail) {
          const { organizationId, owner } = await organizationForTrail(tx, context);
          trail.organizationId = organizationId;
          trail.accountId = owner;
        }
        const accountId = trail.accountId;
        const page = await tx.list<TrailRecord>(TRAILS, { prefix: `${accountId}/` });
        if (page.items.filter((t) => t.value.homeRegion === context.region).length >= MAX_TRAILS_PER_REGION) {
          throw new AwsError('MaximumNumberOfTrailsExceededException', `User: ${accountId} already has ${MAX_TRAILS_PER_REGION} trails in ${context.region}.`);
        }
        if (!(await tx.insert(TRAILS, trailKey(accountId, input.Name), trail))) {
          throw new AwsError('TrailAlreadyExistsException', `Trail ${input.Name} already exists for customer: ${accountId}`);
        }
      });
      return writeAnswer(trail);
    },

    async UpdateTrail(input, context) {
      return changingLoggingMarkers(context.store, async (tx) => {
        const trail = await findTrailToChange(tx, input.Name, context);
        if (input.S3BucketName !== undefined) {
          checkBucketName(input.S3BucketName);
          trail.s3BucketName = input.S3BucketName;
        }
        if (input.S3KeyPrefix !== undefined) {
          checkPrefix(input.S3KeyPrefix);
          trail.s3KeyPrefix = input.S3KeyPrefix === '' ? undefined : input.S3KeyPrefix;
        }
        if (input.SnsTopicName !== undefined) trail.snsTopicName = input.SnsTopicName === '' ? undefined : input.SnsTopicName;
        if (input.IncludeGlobalServiceEvents !== undefined) trail.includeGlobalServiceEvents = input.IncludeGlobalServiceEvents;
        if (input.IsMultiRegionTrail !== undefined) trail.isMultiRegionTrail = input.IsMultiRegionTrail;
        if (input.IsOrganizationTrail !== undefined && input.IsOrganizationTrail !== trail.isOrganizationTrail) {
          await convertTrail(tx, trail, input.IsOrganizationTrail, context);
        }
        if (input.EnableLogFileValidation !== undefined) trail.logFileValidationEnabled = input.EnableLogFileValidation;
        if (input.CloudWatchLogsLogGroupArn !== undefined) trail.cloudWatchLogsLogGroupArn = input.CloudWatchLogsLogGroupArn || undefined;
        if (input.CloudWatchLogsRoleArn !== undefined) trail.cloudWatchLogsRoleArn = input.CloudWatchLogsRoleArn || undefined;
        if (input.KmsKeyId !== undefined) trail.kmsKeyId = input.KmsKeyId || undefined;
        if (trail.isMultiRegionTrail && !trail.includeGlobalServiceEvents) {
          throw new AwsError('InvalidParameterCombinationException', 'Multi-Region trail must include global service events.');
        }
        await tx.put(TRAILS, trailKey(trail.accountId, trail.name), trail);
        await updateLoggingMarker(tx, trail);
        return writeAnswer(trail);
      });
    },

    async DeleteTrail(input, context) {
      const trail = await findTrailToChange(context.store, input.Name, context);
      if (trail.logging) await flush(context);
      await changingLoggingMarkers(context.store, async (tx) => {
        await tx.delete(TRAILS, trailKey(trail.accountId, trail.name));
        await updateLoggingMarker(tx, trail, true);
      });
      return {};
    },

    async DescribeTrails(input, context) {
      const accountId = context.principal.accountId;
      const includeShadows = input.includeShadowTrails ?? true;
      let trails = (await trailsSeenBy(context.store, accountId)).filter((t) => t.homeRegion === context.region || (includeShadows && t.isMultiRegionTrail));
      if (input.trailNameList && input.trailNameList.length > 0) {
        const wanted = new Set(input.trailNameList.map((n) => (n.startsWith('arn:') ? n : arnForName(n, context))));
        trails = trails.filter((t) => wanted.has(trailArn(t)) || wanted.has(arnForName(t.name, context)));
      }
      return { trailList: trails.map(trailShape) };
    },

    async GetTrail(input, context) {
      return { Trail: trailShape(await findTrail(context.store, input.Name, context)) };
    },

    async ListTrails(input, context) {
      const accountId = context.principal.accountId;
      const after = input.NextToken === undefined ? undefined : decodeToken(input.NextToken, accountId, 'InvalidTokenException', 'Invalid token.');
      // A few hundred trails at most, paged by ARN.
      const all = (await trailsSeenBy(context.store, accountId))
        .map((t) => ({ TrailARN: trailArn(t), Name: t.name, HomeRegion: t.homeRegion }))
        .sort((a, b) => (a.TrailARN < b.TrailARN ? -1 : 1));
      const rest = after === undefined ? all : all.filter((t) => t.TrailARN > after);
      const page = rest.slice(0, LIST_TRAILS_PAGE);
      return {
        Trails: page,
        ...(rest.length > page.length && { NextToken: encodeToken(page.at(-1)!.TrailARN, accountId) }),
      };
    },

    async GetTrailStatus(input, context) {
      const trail = await findTrail(context.store, input.Name, context);
      const date = (text: string | undefined) => (text === undefined ? undefined : new Date(text));
      return {
        IsLogging: trail.logging,
        ...(trail.startLoggingTime && { StartLoggingTime: date(trail.startLoggingTime), TimeLoggingStarted: trail.startLoggingTime }),
        ...(trail.stopLoggingTime && { StopLoggingTime: date(trail.stopLoggingTime), TimeLoggingStopped: trail.stopLoggingTime }),
        ...(trail.latestDeliveryTime && {
          LatestDeliveryTime: date(trail.latestDeliveryTime),
          LatestDeliveryAttemptTime: trail.latestDeliveryTime,
          LatestDeliveryAttemptSucceeded: trail.latestDeliveryTime,
        }),
        ...(trail.latestDeliveryError && { LatestDeliveryError: trail.latestDeliveryError }),
        ...(trail.latestDigestDeliveryTime && { LatestDigestDeliveryTime: date(trail.latestDigestDeliveryTime) }),
      };
    },

    async StartLogging(input, context) {
      await changingLoggingMarkers(context.store, async (tx) => {
        const trail = await findTrailToChange(tx, input.Name, context);
        if (!trail.logging) {
          trail.logging = true;
          trail.startLoggingTime = context.now.toISOString();
        }
        await tx.put(TRAILS, trailKey(trail.accountId, trail.name), trail);
        await updateLoggingMarker(tx, trail);
      });
      return {};
    },

    async StopLogging(input, context) {
      const current = await findTrailToChange(context.store, input.Name, context);
      if (current.logging) await flush(context);
      await changingLoggingMarkers(context.store, async (tx) => {
        const trail = await findTrailToChange(tx, input.Name, context);
        if (trail.logging) {
          trail.logging = false;
          trail.stopLoggingTime = context.now.toISOString();
        }
        await tx.put(TRAILS, trailKey(trail.accountId, trail.name), trail);
        await updateLoggingMarker(tx, trail);
      });
      return {};
    },

    async GetEventSelectors(input, context) {
      const trail = await findTrail(context.store, input.TrailName, context);
      if (trail.advancedEventSelectors) return { TrailARN: trailArn(trail), AdvancedEventSelectors: trail.advancedEventSelectors };
      return { TrailARN: trailArn(trail), EventSelectors: trail.eventSelectors ?? [DEFAULT_EVENT_SELECTOR] };
    },

    async PutEventSelectors(input, context) {
      const basic = input.EventSelectors;
      const advanced = input.AdvancedEventSelectors;
      if ((basic === undefined) === (advanced === undefined)) {
        throw new AwsError('InvalidParameterCombinationException', 'Specify either EventSelectors or AdvancedEventSelectors, but not both.');
      }
      if (basic) checkEventSelectors(basic);
      if (advanced) checkAdvancedEventSelectors(advanced);
      return context.store.transaction(async (tx) => {
        const trail = await findTrailToChange(tx, input.TrailName, context);
        trail.eventSelectors = basic?.map((s) => ({ ...DEFAULT_EVENT_SELECTOR, ...s }));
        trail.advancedEventSelectors = advanced;
        if (!basic) delete trail.eventSelectors;
        if (!advanced) delete trail.advancedEventSelectors;
        await tx.put(TRAILS, trailKey(trail.accountId, trail.name), trail);
        return { TrailARN: trailArn(trail), ...(basic ? { EventSelectors: trail.eventSelectors } : { AdvancedEventSelectors: advanced }) };
      });
    },

    async GetInsightSelectors(input, context) {
      if (!input.TrailName) throw new AwsError('InvalidParameterException', 'You must specify a TrailName.');
      const trail = await findTrail(context.store, input.TrailName, context);
      if (!trail.insightSelectors || trail.insightSelectors.length === 0) {
        throw new AwsError('InsightNotEnabledException', `Trail ${trail.name} does not have Insights enabled.`);
      }
      return { TrailARN: trailArn(trail), InsightSelectors: trail.insightSelectors };
    },

    async PutInsightSelectors(input, context) {
      if (!input.TrailName) throw new AwsError('InvalidParameterException', 'You must specify a TrailName.');
      const types = input.InsightSelectors.map((s) => s.InsightType);
      if (new Set(types).size !== types.length) throw new AwsError('InvalidInsightSelectorsException', 'Duplicate insight types are not allowed.');
      return context.store.transaction(async (tx) => {
        const trail = await findTrailToChange(tx, input.TrailName!, context);
        trail.insightSelectors = input.InsightSelectors;
        await tx.put(TRAILS, trailKey(trail.accountId, trail.name), trail);
        return { TrailARN: trailArn(trail), InsightSelectors: input.InsightSelectors };
      });
    },

    async AddTags(input, context) {
      await context.store.transaction(async (tx) => {
        const trail = await findTrailForTagging(tx, input.ResourceId, context);
        await assertMayChange(tx, trail, context);
        const tags = new Map(trail.tags.map((t) => [t.Key, t]));
        for (const tag of input.TagsList ?? []) tags.set(tag.Key, tag);
        trail.tags = [...tags.values()];
        checkTags(trail.tags);
        await tx.put(TRAILS, trailKey(trail.accountId, trail.name), trail);
      });
      return {};
    },

    async RemoveTags(input, context) {
      await context.store.transaction(async (tx) => {
        const trail = await findTrailForTagging(tx, input.ResourceId, context);
        await assertMayChange(tx, trail, context);
        const removed = new Set(input.TagsList.map((t) => t.Key));
        trail.tags = trail.tags.filter((t) => !removed.has(t.Key));
        await tx.put(TRAILS, trailKey(trail.accountId, trail.name), trail);
      });
      return {};
    },

    async ListTags(input, context) {
      if (input.ResourceIdList.length > MAX_LIST_TAGS_RESOURCES) {
        throw new AwsError('InvalidParameterException', `The ResourceIdList has a limit of ${MAX_LIST_TAGS_RESOURCES} ARNs.`);
      }
      // A page holds the tags of LIST_TAGS_PAGE resources; the token says where the next page starts.
      const query = JSON.stringify(input.ResourceIdList);
      const from = input.NextToken === undefined ? 0 : Number(decodeToken(input.NextToken, query, 'InvalidTokenException', 'Invalid token.'));
      if (!Number.isSafeInteger(from) || from < 0) throw new AwsError('InvalidTokenException', 'Invalid token.');
      const ids = input.ResourceIdList.slice(from, from + LIST_TAGS_PAGE);
      const list = [];
      for (const id of ids) {
        const trail = await findTrailForTagging(context.store, id, context);
        list.push({ ResourceId: trailArn(trail), TagsList: trail.tags });
      }
      const next = from + ids.length;
      return { ResourceTagList: list, ...(next < input.ResourceIdList.length && { NextToken: encodeToken(String(next), query) }) };
    },
  };
}

async function findTrailForTagging(store: Documents, resourceId: string, context: RequestContext): Promise<TrailRecord> {
  if (!ARN_PATTERN.test(resourceId)) {
    throw new AwsError('CloudTrailARNInvalidException', `Invalid trail ARN: ${resourceId}`);
  }
  try {
    return await findTrail(store, resourceId, context);
  } catch (error) {
    if (error instanceof AwsError && error.code === 'TrailNotFoundException') {
      throw new AwsError('ResourceNotFoundException', `Resource not found: ${resourceId}`);
    }
    throw error;
  }
}

export const DEFAULT_EVENT_SELECTOR: EventSelector = {
  ReadWriteType: 'All',
  IncludeManagementEvents: true,
  DataResources: [],
  ExcludeManagementEventSources: [],
};

function checkEventSelectors(selectors: EventSelector[]): void {
  if (selectors.length > 5) throw new AwsError('InvalidEventSelectorsException', 'You can specify up to 5 event selectors.');
}

const ADVANCED_FIELDS = new Set([
  'eventCategory',
  'readOnly',
  'eventSource',
  'eventName',
  'eventType',
  'resources.type',
  'resources.ARN',
  'userIdentity.arn',
  'errorCode',
  'sessionCredentialFromConsole',
  'vpcEndpointId',
]);

function checkAdvancedEventSelectors(selectors: AdvancedEventSelector[]): void {
  for (const selector of selectors) {
    for (const field of selector.FieldSelectors) {
      if (!ADVANCED_FIELDS.has(field.Field)) {
        throw new AwsError('InvalidEventSelectorsException', `Invalid Field value: ${field.Field}`);
      }
    }
    if (!selector.FieldSelectors.some((f) => f.Field === 'eventCategory')) {
      throw new AwsError('InvalidEventSelectorsException', 'Each advanced event selector must include an eventCategory field selector.');
    }
  }
}
