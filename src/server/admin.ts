// Bulwark's own endpoints under /_bulwark/ (and moto's reset path, so suites written
// for moto's server work unchanged). They are for operators and test suites, not AWS
// clients, so they speak plain JSON.
import type { Clock } from '../lib/clock.ts';
import type { HttpRequest, HttpResponse } from '../protocol/http.ts';
import type { ServiceModel } from '../protocol/model.ts';
import type { ServiceDefinition } from '../services/service.ts';
import { redactStoreUrl } from '../store/index.ts';
import type { Store } from '../store/store.ts';
import type { Settings } from './settings.ts';

export const VERSION = '0.1.0';

export interface AdminDeps {
  settings: Settings;
  store: Store;
  clock: Clock;
  models: readonly ServiceModel[];
  services: ReadonlyMap<string, ServiceDefinition>;
  /** Called after a reset so caches above the store forget what they held. */
  onReset?: () => void | Promise<void>;
}

const CLOCK_KEY = 'clock';
const SETTINGS_COLLECTION = 'bulwark.settings';
/** The change topic that tells the other nodes on a shared database the clock moved. */
export const CLOCK_TOPIC = 'clock';

export function isAdminPath(path: string): boolean {
  return path.startsWith('/_bulwark/') || path === '/moto-api/reset';
}

export async function handleAdmin(request: HttpRequest, deps: AdminDeps): Promise<HttpResponse> {
  const route = `${request.method} ${request.path}`;
  switch (route) {
    case 'GET /_bulwark/health':
      return json(200, health(deps));
    case 'POST /_bulwark/reset':
    case 'POST /moto-api/reset':
      await deps.store.wipe();
      deps.clock.reset();
      await deps.onReset?.();
      await announceClock(deps);
      return json(200, { status: 'ok' });
    case 'GET /_bulwark/clock':
      return json(200, clockState(deps.clock));
    case 'POST /_bulwark/clock':
      return advanceClock(request, deps);
    default:
      return json(404, { error: 'NotFound', message: `No Bulwark endpoint ${route}` });
  }
}

/**
 * Sets the test clock to the offset saved by the last POST /_bulwark/clock (none after a
 * reset): at start-up, and on each node when another node on the same database moved it.
 */
export async function restoreClock(store: Store, clock: Clock): Promise<void> {
  const saved = (await store.get(SETTINGS_COLLECTION, CLOCK_KEY)) as { offsetMs?: number } | undefined;
  clock.restore(saved?.offsetMs ?? 0);
}

/** Tells the other nodes on a shared database (if any) to re-read the clock. */
async function announceClock(deps: AdminDeps): Promise<void> {
  await deps.store.notify?.(CLOCK_TOPIC);
}

function health(deps: AdminDeps) {
  const { settings } = deps;
  const services: Record<string, { implemented: number; total: number }> = {};
  for (const model of deps.models) {
    const handlers = deps.services.get(model.name)?.handlers ?? {};
    const operations = Object.keys(model.operations);
    services[model.name] = {
      implemented: operations.filter((name) => name in handlers).length,
      total: operations.length,
    };
  }
  return {
    version: VERSION,
    settings: {
      host: settings.host,
      port: settings.port,
      dataDir: settings.dataDir,
      store: redactStoreUrl(settings.store),
      region: settings.region,
      accountId: settings.accountId,
      auth: settings.auth,
      iamMode: settings.iamMode,
      cloudTrailRecording: settings.cloudTrailRecording,
      cloudTrailDeliveryMs: settings.cloudTrailDeliveryMs,
      kmsAttestationRoots: settings.kmsAttestationRoots,
      logLevel: settings.logLevel,
    },
    services,
  };
}

function clockState(clock: Clock) {
  return { now: clock.now().toISOString(), offsetSeconds: clock.offsetMs / 1000 };
}

/** Body: {"advanceSeconds": N} or {"to": "<ISO 8601 time later than now>"}. */
async function advanceClock(request: HttpRequest, deps: AdminDeps): Promise<HttpResponse> {
  let body: { advanceSeconds?: unknown; to?: unknown };
  try {
    body = JSON.parse(request.body.toString('utf8') || '{}');
  } catch {
    return json(400, { error: 'InvalidRequest', message: 'The body must be JSON: {"advanceSeconds": N} or {"to": "ISO time"}' });
  }
  let advanceMs: number;
  if (typeof body.advanceSeconds === 'number') {
    advanceMs = body.advanceSeconds * 1000;
  } else if (typeof body.to === 'string' && !Number.isNaN(Date.parse(body.to))) {
    advanceMs = Date.parse(body.to) - deps.clock.nowMs();
  } else {
    return json(400, { error: 'InvalidRequest', message: 'Give "advanceSeconds" (a number) or "to" (an ISO 8601 time)' });
  }
  if (!Number.isFinite(advanceMs) || advanceMs < 0) {
    return json(400, { error: 'InvalidRequest', message: "Bulwark's clock only moves forward" });
  }
  deps.clock.advance(advanceMs);
  await deps.store.put(SETTINGS_COLLECTION, CLOCK_KEY, { offsetMs: deps.clock.offsetMs });
  await announceClock(deps);
  return json(200, clockState(deps.clock));
}

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
