import type { Agent } from 'node:http';

export interface AttackStats {
  badRequests: number;
  badStatuses: Record<string, number>;
  idleOpened: number;
  idleClosedByServer: number;
  slowOpened: number;
  errors: number;
}
export function startAttack(
  url: string,
  options?: { badSenders?: number; idleSockets?: number; slowSockets?: number; maxBadRequests?: number },
): { stats: AttackStats; stop: () => Promise<AttackStats> };
export function timedLoad(
  url: string,
  secret: string,
  options?: { total?: number; concurrency?: number; tag?: string },
): Promise<{ statuses: Record<string, number>; perSecond: number; p50: number; p99: number; max: number }>;
export function sign(secret: string, body: string): Record<string, string>;
export function post(
  agent: Agent | false,
  url: URL | string,
  body: string,
  headers: Record<string, string>,
): Promise<number>;
export interface HoldStats {
  opened: number;
  /** Answers seen, by status. */
  answered: Record<string, number>;
  closedByServer: number;
}
export function holdBodies(
  url: string,
  options?: { sockets?: number; bodyBytes?: number },
): { stats: HoldStats; stop: () => void };
