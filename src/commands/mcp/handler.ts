// `anchor mcp`: the Model Context Protocol server on stdio (src/mcp/, with the SDK, loaded here
// only). It serves until the client goes: it returns nothing, and stdout is the protocol's.
import { join, resolve } from 'node:path';
import { secretDirProblem } from '../../lib/secret-dir.js';
import { stateDir } from '../../local/record.js';
import { handler } from '../handler.js';
import { mcpCommand } from './decl.js';

export default handler(mcpCommand, async (flags, _args, ctx): Promise<undefined> => {
  const secretDir = resolve(flags.secretDir ?? join(stateDir(ctx.env), 'secrets'));
  // A folder others can write is refused before serving: no tool call could use it safely.
  const problem = secretDirProblem(secretDir, '--secret-dir');
  if (problem) throw problem;
  // Set by cli.ts on every context it builds; a context without it is a bug in the caller.
  if (!ctx.invoke) throw new Error('anchor mcp needs a context that can invoke commands');
  const { serveMcp } = await import('../../mcp/server.js');
  await serveMcp({
    readOnly: flags.readOnly,
    tools: flags.tools,
    excludeTools: flags.excludeTools,
    secretDir,
    env: ctx.env,
    now: () => ctx.now(),
    invoke: ctx.invoke,
    version: __ANCHOR_VERSION__,
    debug: ctx.globals.debug,
    // Stdout is the protocol's: the trace goes to stderr, through the context's redaction.
    log: (text) => ctx.err(text),
  });
  return undefined;
});
