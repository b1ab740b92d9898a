// The MCP server of `anchor mcp`, on stdio with the official SDK (loaded by this command only): one
// tool per command an agent should have (tools.ts), each call run by call.ts in this process.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
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
  for (const tool of buildTools()) {
    if (o.readOnly && !tool.readOnly) continue;
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        annotations: {
          title: tool.title,
          readOnlyHint: tool.readOnly,
          destructiveHint: tool.destructive === true,
          idempotentHint: tool.readOnly,
          openWorldHint: !tool.name.startsWith('list_event') && tool.name !== 'describe_event_type',
        },
      },
      async (args: ToolArgs) => {
        try {
          return await callTool(tool, args, o);
        } catch (e) {
          return toolError(`anchor could not run ${tool.name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      },
    );
  }
  return server;
}

/** Serves on stdio until the client closes it or stdin ends. */
export async function serveMcp(o: McpOptions): Promise<void> {
  const server = createServer(o);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.close();
}
