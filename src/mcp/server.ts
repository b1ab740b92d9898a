// The MCP server of `anchor mcp`, on stdio with the official SDK (loaded by this command only): one
// tool per command an agent should have (tools.ts), the ones chosen (tool-selection.ts), each call
// run by call.ts in this process with the request's abort signal and, when the client asked for
// it, progress notifications.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { UsageError } from '../errors.js';
import { callTool, toolError, type CallOptions, type CallProgress } from './call.js';
import { SERVER_INSTRUCTIONS } from './instructions.js';
import type { ToolArgs } from './tool-input.js';
import { selectTools, type ToolChoice } from './tool-selection.js';
import { buildTools } from './tools.js';

export interface McpOptions extends CallOptions, ToolChoice {
  version: string;
}

/** What the SDK hands a tool's callback besides its arguments (the parts a call uses). */
interface RequestExtra {
  signal: AbortSignal;
  _meta?: { progressToken?: string | number };
  sendNotification: (n: {
    method: 'notifications/progress';
    params: { progressToken: string | number; progress: number; total?: number; message?: string };
  }) => Promise<void>;
}

/** Progress notifications for a request whose client gave a progressToken; undefined otherwise. */
function progressOf(extra: RequestExtra): CallProgress | undefined {
  const token = extra._meta?.progressToken;
  if (token === undefined) return undefined;
  let last = -1;
  return (p) => {
    // The spec wants progress to grow with each notification, and none after the answer.
    if (p.progress <= last || extra.signal.aborted) return;
    last = p.progress;
    extra
      .sendNotification({ method: 'notifications/progress', params: { progressToken: token, ...p } })
      .catch(() => {});
  };
}

/** The server with its tools registered (the chosen ones; refuses a choice it cannot serve). */
export function createServer(o: McpOptions): McpServer {
  const all = buildTools();
  const tools = selectTools(all, o);
  // The workflow names every tool: with fewer offered, say which, so a model does not call the others.
  const offered =
    tools.length < all.length
      ? `\n\nThis server offers only these tools: ${tools.map((t) => t.name).join(', ')}${o.readOnly ? ' (read-only: none that changes the project or sends to the app)' : ''}. Where the workflow above names another, tell the user it is not offered here.`
      : '';
  const server = new McpServer(
    { name: 'anchor', version: o.version },
    { instructions: `${SERVER_INSTRUCTIONS}${offered}` },
  );
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        ...(tool.output ? { outputSchema: tool.output } : {}),
        annotations: {
          title: tool.title,
          readOnlyHint: tool.readOnly,
          destructiveHint: tool.destructive === true,
          idempotentHint: tool.readOnly,
          openWorldHint: tool.openWorld !== false,
        },
      },
      async (args: ToolArgs, extra: RequestExtra) => {
        try {
          return await callTool(tool, args, o, { signal: extra.signal, progress: progressOf(extra) }, tools);
        } catch (e) {
          return toolError(`the server could not run ${tool.name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      },
    );
  }
  return server;
}

const MIB = 1024 * 1024;

/**
 * Serves on stdio until the client closes it or stdin ends. A message over the SDK's size limit
 * (its ReadBuffer's, 10 MiB) makes the transport drop it and close: said on stderr and failed
 * (exit 2), never a silent exit 0 the client would take for a clean end.
 */
export async function serveMcp(o: McpOptions): Promise<void> {
  const server = createServer(o);
  const transport = new StdioServerTransport();
  let oversized: Error | undefined;
  transport.onerror = (e) => {
    if (/exceeded maximum size/.test(e.message)) oversized = e;
  };
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.close();
  if (oversized)
    throw new UsageError(
      `a message from the MCP client was over ${STDIO_DEFAULT_MAX_BUFFER_SIZE / MIB} MiB, the largest the server reads on stdio, so it stopped (${oversized.message})`,
      {
        hint: 'Send smaller tool arguments; the client must start the server again.',
      },
    );
}
