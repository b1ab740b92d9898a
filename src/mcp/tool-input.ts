// Tool arguments an MCP tool refuses before running anything, said in the model's words: the
// argument's name and what to pass instead, never a flag or an exit code.
import type { CommandId } from '../commands/tree.js';
import { MAX_ID_LENGTH, quoteId, unsafeIdReason } from '../lib/safe-name.js';

export class ToolInputError extends Error {}

/** A tool's arguments as the client sent them (checked by each tool before use). */
export interface ToolArgs {
  [key: string]: unknown;
}

/** What a tool may read before it calls its command. */
export interface ToolContext {
  env: Record<string, string | undefined>;
  nowMs: number;
  /** The server's secret folder (absolute). */
  secretDir?: string;
  /** Runs another command for its data (create_webhook's look for a twin); throws what it threw. */
  run?: (command: CommandId, flags: Record<string, unknown>, words?: string[]) => Promise<unknown>;
}

/** An id argument of the safe character set, or a ToolInputError naming the argument. */
export function checkedId(value: unknown, arg: string, kind: string, from: string): string {
  const why = unsafeIdReason(value);
  if (why === undefined && typeof value === 'string') return value;
  throw new ToolInputError(
    `invalid ${arg} ${quoteId(value)}: ${why ?? 'it is not text'}. A ${kind} id has only letters, digits, "_" and "-" (not first), at most ${MAX_ID_LENGTH} characters; take it from ${from}.`,
  );
}
