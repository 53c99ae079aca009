// The HTTP server: reads each request whole, hands it to the admin endpoints or the
// pipeline, writes the answer. Shutdown stops accepting, lets calls in flight finish,
// then closes the store, so no acknowledged write is lost.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { credentialResolverFor } from '../services/credentials.ts';
import { Clock } from '../lib/clock.ts';
import { Logger } from '../lib/log.ts';
import type { HttpRequest, HttpResponse } from '../protocol/http.ts';
import { loadModel } from '../protocol/model.ts';
import { MODEL_NAMES } from '../protocol/model-names.ts';
import { SERVICES } from '../services/registry.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/store.ts';
import { CLOCK_TOPIC, handleAdmin, isAdminPath, restoreClock, type AdminDeps } from './admin.ts';
import { EventBus } from '../events/bus.ts';
import { ActivityRecorder } from '../services/activity.ts';
import { Authorizer } from './authorize.ts';
import { Pipeline } from './pipeline.ts';
import { Router } from './route.ts';
import { handleConsole, isConsolePath, type ConsoleDeps } from './console.ts';
import { ensureRootPassword } from './root-password.ts';
import type { Settings } from './settings.ts';

/** AWS's largest request bodies are far below this; past it we answer 413. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface RunningServer {
  /** The port actually bound (differs from the setting when it was 0). */
  port: number;
  url: string;
  store: Store;
  clock: Clock;
  events: EventBus;
  /** The root password made at this start because the default account had none: shown once. */
  rootPassword?: string;
  close(): Promise<void>;
}

export async function startServer(settings: Settings, logger = new Logger(settings.logLevel)): Promise<RunningServer> {
  const store = await openStore(settings.store);
  const clock = new Clock();
  await restoreClock(store, clock);
  const models = MODEL_NAMES.map(loadModel);
  const services = new Map(SERVICES.map((service) => [service.model as string, service]));
  const authorizer = new Authorizer(store, logger, settings.iamMode);
  const credentials = credentialResolverFor(store);
  const forgetCached = () => {
    authorizer.invalidate();
    credentials.invalidate();
  };
  /** After a committed IAM change (or a reset, or a sign-out): forget here, and tell the other nodes on the database. */
  const permissionsChanged = async () => {
    forgetCached();
    try {
      await store.notify?.('iam');
    } catch (error) {
      // The change itself is committed; other nodes will see it once their caches turn over.
      logger.warn('could not tell other nodes of an IAM change', { error: (error as Error).message });
    }
  };
  // Other nodes on the same database announce their IAM changes (PostgreSQL store).
  store.onChange?.('iam', forgetCached);
  // ... and moves of the test clock, so every node keeps one time.
  store.onChange?.(CLOCK_TOPIC, () => {
    restoreClock(store, clock).catch((error) => logger.warn('could not re-read the test clock', { error: (error as Error).message }));
  });
  const activity = new ActivityRecorder(store, logger);
  const events = new EventBus(logger);
  const runtime = {
    store,
    clock,
    events,
    logger,
    defaultAccountId: settings.accountId,
    defaultRegion: settings.region,
    dataDir: settings.dataDir,
    cloudTrailRecording: settings.cloudTrailRecording,
    cloudTrailDeliveryMs: settings.cloudTrailDeliveryMs,
    kmsAttestationRoots: settings.kmsAttestationRoots,
  };
  for (const service of SERVICES) await service.start?.(runtime);
  if (settings.iamMode !== 'enforce') {
    logger.warn(`IAM authorization is ${settings.iamMode === 'soft' ? 'soft: denials are only logged' : 'off'}`, { iamMode: settings.iamMode });
  }
  const pipeline = new Pipeline({
    settings,
    authorizer,
    activity,
    events,
    store,
    clock,
    logger,
    router: new Router(models),
    services,
    credentials,
    permissionsChanged,
  });
  const onReset = () => {
    activity.reset();
    return permissionsChanged();
  };
  const admin: AdminDeps = { settings, store, clock, models, services, onReset };
  const consoleDeps: ConsoleDeps = {
    store,
    clock,
    events,
    region: settings.region,
    credentialsChanged: permissionsChanged,
  };
  const rootPassword = await ensureRootPassword(consoleDeps, settings.accountId);

  let inFlight = 0;
  let drained: (() => void) | undefined;
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    inFlight++;
    serve(req, res, pipeline, admin, consoleDeps, logger).finally(() => {
      if (--inFlight === 0) drained?.();
    });
  });
  await listen(server, settings.port, settings.host);
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      server.closeAllConnections();
      await stopped;
      await activity.flush();
      for (const service of SERVICES) await service.stop?.();
      await store.close();
    })());

  return { port, url: `http://${urlHost(settings.host)}:${port}`, store, clock, events, rootPassword, close };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  pipeline: Pipeline,
  admin: AdminDeps,
  consoleDeps: ConsoleDeps,
  logger: Logger,
): Promise<void> {
  let response: HttpResponse;
  try {
    const request = await readRequest(req);
    if (isConsolePath(request.path)) response = await handleConsole(request, consoleDeps);
    else response = isAdminPath(request.path) ? await handleAdmin(request, admin) : await pipeline.handle(request);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      response = { status: 413, headers: { 'content-type': 'text/plain' }, body: 'Request entity too large' };
    } else {
      logger.error('request failed before reaching a service', { error: (error as Error).stack });
      response = { status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal error' };
    }
  }
  if (res.destroyed) return;
  res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
  res.end(response.body);
}

class BodyTooLarge extends Error {}

async function readRequest(req: IncomingMessage): Promise<HttpRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  // Repeated headers are joined with ',' as SigV4 canonicalises them (node's own
  // req.headers would use ', ' for some and drop repeats of others).
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (values) headers[name] = values.length === 1 ? values[0] : values.join(',');
  }
  return {
    method: req.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    headers,
    body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
    remoteAddress: req.socket.remoteAddress?.replace(/^::ffff:/, ''),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
