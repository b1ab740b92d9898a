// The emulator's state: projects (one per API key), their webhooks and delivery logs, in memory.
import { createHash, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import type { DeliveryRecord } from './dispatcher.js';

export { MAX_WEBHOOKS_PER_PROJECT } from '../core/limits.js';
export const SECRET_OVERLAP_MS = 24 * 3600 * 1000;
export const RETENTION_MS = 7 * 24 * 3600 * 1000;

export interface StoredWebhook {
  id: string;
  project_id: string;
  url: string;
  description: string | null;
  subscribed_events: string[];
  enabled: boolean;
  created_at: string;
  updated_at: string;
  secret: string;
  previous?: { secret: string; expiresAt: number };
  deletedAt?: number;
  deliveries: DeliveryRecord[];
}

export interface Project {
  id: string;
  webhooks: StoredWebhook[];
}

export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

export function newWebhookId(): string {
  return `wh_${ulid()}`;
}

/** A stable project UUID for a key, so a restarted emulator gives the same key the same project. */
export function projectIdFor(key: string): string {
  const h = createHash('sha256').update(`anchor-emulator:${key}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class Store {
  private readonly projects = new Map<string, Project>();

  project(key: string): Project {
    let p = this.projects.get(key);
    if (!p) {
      p = { id: projectIdFor(key), webhooks: [] };
      this.projects.set(key, p);
    }
    return p;
  }

  active(project: Project): StoredWebhook[] {
    return project.webhooks.filter((w) => w.deletedAt === undefined);
  }

  findActive(project: Project, id: string): StoredWebhook | undefined {
    return project.webhooks.find((w) => w.id === id && w.deletedAt === undefined);
  }

  /** A webhook whose log can still be read: active, or deleted less than 7 days ago. */
  findReadable(project: Project, id: string, nowMs: number): StoredWebhook | undefined {
    return project.webhooks.find(
      (w) => w.id === id && (w.deletedAt === undefined || nowMs - w.deletedAt < RETENTION_MS),
    );
  }

  /** The secrets that sign a delivery now. */
  signingSecrets(w: StoredWebhook, nowMs: number): string[] {
    return w.previous && w.previous.expiresAt > nowMs ? [w.secret, w.previous.secret] : [w.secret];
  }
}

export function toPublic(w: StoredWebhook) {
  return {
    id: w.id,
    project_id: w.project_id,
    url: w.url,
    description: w.description,
    subscribed_events: [...w.subscribed_events],
    enabled: w.enabled,
    created_at: w.created_at,
    updated_at: w.updated_at,
  };
}
