// Each command id → its handler module, loaded when the command runs (each literal import() is a
// chunk of its own). Typed by the tree: a missing id, or a module whose handler is bound to another
// command's declaration, fails `npm run typecheck`.
import type { Handler } from './handler.js';
import type { CommandId, SpecOf } from './tree.js';

export type Registry = { [Id in CommandId]: () => Promise<{ default: Handler<SpecOf<Id>> }> };

export const registry: Registry = {
  emulator: () => import('./emulator/handler.js'),
  completion: () => import('./completion/handler.js'),
  mcp: () => import('./mcp/handler.js'),
  doctor: () => import('./doctor/handler.js'),
  'auth login': () => import('./auth/login/handler.js'),
  'auth status': () => import('./auth/status/handler.js'),
  'auth logout': () => import('./auth/logout/handler.js'),
  'config path': () => import('./config/path/handler.js'),
  'config list': () => import('./config/list/handler.js'),
  'config get': () => import('./config/get/handler.js'),
  'config set': () => import('./config/set/handler.js'),
  'config unset': () => import('./config/unset/handler.js'),
  'webhooks create': () => import('./webhooks/create/handler.js'),
  'webhooks list': () => import('./webhooks/list/handler.js'),
  'webhooks get': () => import('./webhooks/get/handler.js'),
  'webhooks update': () => import('./webhooks/update/handler.js'),
  'webhooks enable': () => import('./webhooks/enable/handler.js'),
  'webhooks disable': () => import('./webhooks/disable/handler.js'),
  'webhooks delete': () => import('./webhooks/delete/handler.js'),
  'webhooks rotate-secret': () => import('./webhooks/rotate-secret/handler.js'),
  'webhooks test': () => import('./webhooks/test/handler.js'),
  'webhooks deliveries': () => import('./webhooks/deliveries/handler.js'),
  'webhooks verify': () => import('./webhooks/verify/handler.js'),
  'webhooks sign': () => import('./webhooks/sign/handler.js'),
  'webhooks listen': () => import('./webhooks/listen/handler.js'),
  'webhooks received list': () => import('./webhooks/received/list/handler.js'),
  'webhooks received show': () => import('./webhooks/received/show/handler.js'),
  'webhooks received clear': () => import('./webhooks/received/clear/handler.js'),
  'webhooks replay': () => import('./webhooks/replay/handler.js'),
  'webhooks inspect': () => import('./webhooks/inspect/handler.js'),
  'webhooks check-receiver': () => import('./webhooks/check-receiver/handler.js'),
  'webhooks export': () => import('./webhooks/export/handler.js'),
  'webhooks apply': () => import('./webhooks/apply/handler.js'),
  'events trigger': () => import('./events/trigger/handler.js'),
  'events list': () => import('./events/list/handler.js'),
  'events show': () => import('./events/show/handler.js'),
  'events scenarios': () => import('./events/scenarios/handler.js'),
};
