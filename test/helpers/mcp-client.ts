// `anchor mcp`'s server in this process, with the SDK's own client on an in-memory transport: the
// handlers are called through `invoke`, as the command runs them, without a child process.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { invoke } from '../../src/cli.js';
import { createServer } from '../../src/mcp/server.js';

export interface ToolResult {
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface InMemoryMcp {
  call: (name: string, args: Record<string, unknown>) => Promise<ToolResult>;
  close: () => Promise<void>;
}

export async function connectInMemory(o: {
  name: string;
  env: Record<string, string>;
  secretDir: string;
  readOnly: boolean;
}): Promise<InMemoryMcp> {
  const server = createServer({
    readOnly: o.readOnly,
    secretDir: o.secretDir,
    env: o.env,
    now: () => new Date(),
    invoke,
    version: 'test',
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: o.name, version: '1.0.0' });
  await client.connect(clientSide);
  return {
    call: (name, args) => client.callTool({ name, arguments: args }) as Promise<ToolResult>,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
