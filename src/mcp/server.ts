// The MCP server of `anchor mcp`, on stdio with the official SDK (loaded by this command only): one
// tool per command an agent should have (tools.ts), each call run by call.ts in this process.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { UsageError } from '../errors.js';
import { callTool, toolError, type CallOptions } from './call.js';
import type { ToolArgs } from './tool-input.js';
import { buildTools } from './tools.js';

export interface McpOptions extends CallOptions {
  readOnly: boolean;
  version: string;
}

/** The server with its tools registered (only those that change nothing, with readOnly). */
export function createServer(o: McpOptions): McpServer {
  const server = new McpServer({ name: 'anchor', version: o.version });
  const tools = buildTools();
  for (const tool of tools) {
    if (o.readOnly && !tool.readOnly) continue;
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
      async (args: ToolArgs) => {
        try {
          return await callTool(tool, args, o, tools);
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
