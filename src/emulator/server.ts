// The emulator's HTTP API: the 8 webhook operations of ../shared/anchor-webhooks.openapi.yaml,
// with the behaviour of anchor-webhooks-api.md, plus POST /_emulator/events to emit real events.
// The routes live by resource beside it (webhook-routes, event-routes, delivery-routes).
import type { LookupFunction } from 'node:net';
import { closeServer, listenOn } from '../lib/serve.js';
import { Dispatcher } from './dispatcher.js';
import { deliveryRoutes } from './delivery-routes.js';
import { eventRoutes } from './event-routes.js';
import { jsonServer, MAX_BODY_BYTES, type Route } from './http.js';
import { createRouteContext } from './route-context.js';
import { Store } from './store.js';
import { webhookRoutes } from './webhook-routes.js';

export { MAX_BODY_BYTES };

export interface EmulatorOptions {
  port: number;
  host: string;
  /** When set, only these keys are accepted; otherwise any non-empty key is a project of its own. */
  apiKeys?: readonly string[];
  allowLocalTargets: boolean;
  retryDelaysMs: readonly number[];
  deliveryTimeoutMs?: number;
  /** How delivery hosts are resolved (dns.lookup); a test passes a resolver of its own. */
  lookup?: LookupFunction;
  now?: () => Date;
  log?: (line: string) => void;
  /** Called with every response sent (tests check each one against the OpenAPI document). */
  onResponse?: (method: string, path: string, status: number, body: unknown) => void;
}

export interface RunningEmulator {
  url: string;
  port: number;
  dispatcher: Dispatcher;
  close: () => Promise<void>;
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const store = new Store();
  const dispatcher = new Dispatcher({
    retryDelaysMs: options.retryDelaysMs,
    now,
    log,
    allowLocalTargets: options.allowLocalTargets,
    ...(options.lookup ? { lookup: options.lookup } : {}),
    ...(options.deliveryTimeoutMs === undefined ? {} : { timeoutMs: options.deliveryTimeoutMs }),
  });
  const context = createRouteContext({
    store,
    dispatcher,
    now,
    allowLocalTargets: options.allowLocalTargets,
    apiKeys: options.apiKeys,
  });
  const routes: Route[] = [
    ...webhookRoutes(context),
    ...eventRoutes(context),
    ...deliveryRoutes(context),
    { method: 'GET', pattern: /^\/_emulator\/health$/, handle: () => [200, { ok: true }] },
  ];

  const server = jsonServer(routes, { log, ...(options.onResponse ? { onResponse: options.onResponse } : {}) });

  const { port, origin } = await listenOn(server, options.port, options.host);
  return {
    url: origin,
    port,
    dispatcher,
    async close() {
      await dispatcher.close();
      await closeServer(server);
    },
  };
}
