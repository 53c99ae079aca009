// The one path every request takes (DESIGN.md): route -> authenticate -> parse ->
// validate -> execute -> serialize -> log. No service does any of this itself.
import { randomUUID } from 'node:crypto';
import { authenticate, credentialScopeOf, type CredentialResolver } from '../auth/index.ts';
import type { Principal } from '../auth/principal.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { Input } from '../protocol/codec.ts';
import { codecFor } from '../protocol/codecs.ts';
import { AwsError, notImplemented } from '../protocol/errors.ts';
import type { HttpRequest, HttpResponse } from '../protocol/http.ts';
import { signingName, type OperationModel, type ServiceModel } from '../protocol/model.ts';
import { fillIdempotencyTokens, validateOperationInput, validationFailure } from '../protocol/validate.ts';
import type { EventBus } from '../events/bus.ts';
import type { CallEvent } from '../events/call-event.ts';
import type { ModelName } from '../protocol/model-names.ts';
import type { ActivityRecorder } from '../services/activity.ts';
import { ACTION_PREFIX } from '../services/authorization.ts';
import type { ServiceDefinition } from '../services/service.ts';
import type { Store } from '../store/store.ts';
import type { AuthorizationRecord, Authorizer } from './authorize.ts';
import type { Route, Router } from './route.ts';
import type { Settings } from './settings.ts';

export interface PipelineDeps {
  settings: Settings;
  store: Store;
  clock: Clock;
  logger: Logger;
  router: Router;
  services: ReadonlyMap<string, ServiceDefinition>;
  credentials: CredentialResolver;
  authorizer: Authorizer;
  activity: ActivityRecorder;
  events: EventBus;
  /** After a committed IAM or Organizations change: drops this node's caches and tells the others. */
  permissionsChanged(): Promise<void>;
}

/** What the log line and the call's event know about a call as it goes. */
interface CallRecord {
  requestId: string;
  receivedAt: Date;
  service?: string;
  operation?: string;
  region?: string;
  principal?: Principal;
  accessKeyId?: string;
  sessionCredentials?: boolean;
  mfaAuthenticated?: boolean;
  input?: Record<string, unknown>;
  output?: unknown;
  status: number;
  error?: { code: string; message: string };
  /** The policy engine's decision for each action the call needed. */
  authorization?: AuthorizationRecord[];
}

export class Pipeline {
  readonly #deps: PipelineDeps;

  constructor(deps: PipelineDeps) {
    this.#deps = deps;
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const started = performance.now();
    const record: CallRecord = { requestId: randomUUID(), receivedAt: this.#deps.clock.now(), status: 0 };
    const route = this.#route(request);
    let response = route ? await this.#execute(request, record, route) : unroutable(record);
    record.status = response.status;
    // The answer waits for durable subscribers (CloudTrail): no acknowledged call goes
    // unrecorded. A call that could not be recorded is answered as failed (it may have
    // taken effect, as after any InternalFailure), never as done.
    if (route) {
      try {
        await this.#deps.events.publish(callEvent(record, request));
      } catch {
        response = codecFor(route.protocol).serializeError(route.model, internalFailure(), { requestId: record.requestId });
        record.status = response.status;
      }
    }
    this.#log(record, performance.now() - started);
    return response;
  }

  #route(request: HttpRequest): Route | undefined {
    let scope;
    try {
      scope = credentialScopeOf(request);
    } catch {
      scope = undefined; // a malformed signature is reported by authenticate, once routed
    }
    return this.#deps.router.route(request, scope?.service);
  }

  async #execute(request: HttpRequest, record: CallRecord, route: Route): Promise<HttpResponse> {
    const { settings } = this.#deps;
    const { model } = route;
    const codec = codecFor(route.protocol);
    record.service = model.name;
    const context = { requestId: record.requestId };
    try {
      // The operation is resolved before authentication because a few operations are
      // anonymous; an unknown operation is reported only once the caller is known.
      let operation: OperationModel | undefined;
      let unknownOperation: unknown;
      try {
        operation = codec.operationOf(model, request);
        record.operation = operation.name;
      } catch (error) {
        unknownOperation = error;
      }
      const service = this.#deps.services.get(model.name);
      const auth = await authenticate(request, {
        flavor: route.protocol === 'query' || route.protocol === 'ec2' ? 'query' : 'json',
        mode: settings.auth,
        credentials: this.#deps.credentials,
        now: this.#deps.clock.now(),
        // Clients sign with their real clocks, whatever Bulwark's test clock says.
        wallTime: new Date(),
        service: signingName(model),
        defaultAccountId: settings.accountId,
        allowAnonymous: operation !== undefined && (service?.anonymousOperations?.has(operation.name) ?? false),
      });
      record.principal = auth.principal;
      record.accessKeyId = auth.accessKeyId;
      record.sessionCredentials = auth.credential?.sessionToken !== undefined;
      record.mfaAuthenticated = auth.credential?.mfaAuthenticated ?? false;
      record.region = auth.region ?? settings.region;
      if (!operation) throw unknownOperation;

      const parsed = codec.parse(model, operation, request);
      record.input = parsed;
      const input = this.#validated(model, operation, parsed, codec.validationErrorCode(model));
      record.input = input;
      const handler = service?.handlers[operation.name];
      const declaration = service?.access[operation.name];
      if (!handler || !declaration) throw notImplemented(model.metadata.serviceId, operation.name);
      const now = this.#deps.clock.now();
      const region = auth.region ?? settings.region;
      const requestContext = {
        requestId: record.requestId,
        principal: auth.principal,
        accessKeyId: auth.accessKeyId,
        region,
        now,
        clock: this.#deps.clock,
        store: this.#deps.store,
        defaultAccountId: settings.accountId,
        sourceIp: request.remoteAddress,
      };
      record.authorization = [];
      await this.#deps.authorizer.authorize(await declaration(input, requestContext), {
        auth,
        region,
        now,
        sourceIp: request.remoteAddress,
        userAgent: request.headers['user-agent'],
        secureTransport: false,
        flavor: route.protocol === 'query' || route.protocol === 'ec2' ? 'query' : 'json',
      }, record.authorization);
      const output = await handler(input, requestContext);
      record.output = output;
      if (changesPermissions(model.name, operation.name)) await this.#deps.permissionsChanged();
      this.#deps.activity.record({
        principal: auth.principal,
        accessKeyId: auth.verified ? auth.accessKeyId : undefined,
        region,
        now,
        service: ACTION_PREFIX[model.name],
        actions: record.authorization.filter((a) => a.decision.decision === 'Allow').map((a) => a.action),
      });
      return codec.serialize(model, operation, output ?? {}, context);
    } catch (error) {
      const awsError = this.#asAwsError(error, record);
      record.error = { code: awsError.code, message: awsError.message };
      return codec.serializeError(model, awsError, context);
    }
  }

  #validated(model: ServiceModel, operation: OperationModel, parsed: Input, errorCode: string): Input {
    if (!operation.input) return parsed;
    const input = fillIdempotencyTokens(model, operation.input.shape, parsed) as Input;
    const violations = validateOperationInput(model, operation, input);
    if (violations.length > 0) throw validationFailure(errorCode, violations);
    return input;
  }

  #asAwsError(error: unknown, record: CallRecord): AwsError {
    if (error instanceof AwsError) return error;
    this.#deps.logger.error('unhandled error', {
      requestId: record.requestId,
      service: record.service,
      operation: record.operation,
      error: error instanceof Error ? error.stack : String(error),
    });
    return internalFailure();
  }

  #log(record: CallRecord, latencyMs: number): void {
    const { logger } = this.#deps;
    if (!logger.enabled('info')) return;
    logger.info('request', {
      requestId: record.requestId,
      service: record.service,
      operation: record.operation,
      status: record.status,
      errorCode: record.error?.code,
      latencyMs: Math.round(latencyMs * 100) / 100,
      principal: record.principal?.arn,
    });
  }
}

function callEvent(record: CallRecord, request: HttpRequest): CallEvent {
  const model = record.service as ModelName;
  return {
    requestId: record.requestId,
    eventTime: record.receivedAt,
    service: model,
    eventSource: `${EVENT_SOURCE_PREFIX[model] ?? ACTION_PREFIX[model]}.amazonaws.com`,
    operation: record.operation,
    region: record.region ?? 'us-east-1',
    principal: record.principal,
    accessKeyId: record.accessKeyId,
    sessionCredentials: record.sessionCredentials ?? false,
    mfaAuthenticated: record.mfaAuthenticated ?? false,
    sourceIp: request.remoteAddress,
    userAgent: request.headers['user-agent'],
    input: record.input,
    output: record.output,
    error: record.error,
    status: record.status,
    authorization: record.authorization ?? [],
  };
}

/** CloudTrail's eventSource where it differs from the action prefix. */
const EVENT_SOURCE_PREFIX: Partial<Record<ModelName, string>> = { cloudwatch: 'monitoring', accessanalyzer: 'access-analyzer' };

/** IAM and Organizations writes may change what any caller is allowed: cached policies must go. */
function changesPermissions(service: string, operation: string): boolean {
  if (service === 'iam') return !/^(Get|List|Simulate|Generate)/.test(operation);
  return service === 'organizations' && !/^(Describe|List)/.test(operation);
}

/** AWS's answer to a failure on its side: an unexpected error, or a call whose event could not be stored. */
function internalFailure(): AwsError {
  return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error.', { status: 500, senderFault: false });
}

/** Nothing in the request says which AWS service it is for. */
function unroutable(record: CallRecord): HttpResponse {
  record.error = { code: 'UnknownOperationException', message: 'no service named' };
  return {
    status: 400,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': record.requestId },
    body: JSON.stringify({
      __type: 'UnknownOperationException',
      message:
        'Bulwark could not tell which AWS service this request is for: sign it with SigV4 (the credential scope names the service) or send X-Amz-Target.',
    }),
  };
}
