// The tools of `anchor mcp`: each calls one command in this process (the same checks, messages and
// hints as on the command line) and answers with the data its --json prints. Their input schemas
// are made from the commands' declarations (tool-def.ts); docs/mcp-tools.json holds the listing,
// checked for drift. A bad input never reaches the API, because the command checks it first.
import type { ToolDef } from './tool-def.js';
import { localTools } from './tools-local.js';
import { manageTools } from './tools-manage.js';
import { receiverTools } from './tools-receiver.js';

export type { ToolDef } from './tool-def.js';
export type { ToolArgs } from './tool-input.js';

export function buildTools(): ToolDef[] {
  return [...manageTools(), ...localTools(), ...receiverTools()];
}
