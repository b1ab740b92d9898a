// `anchor mcp`: the Model Context Protocol server on stdio (src/mcp/, with the SDK, loaded here only).
import { join, resolve } from 'node:path';
import { secretDirProblem } from '../lib/secret-dir.js';
import type { Context } from '../context.js';
import type { RawInput } from '../program.js';
import { stateDir } from '../local/record.js';
import { declarationsOf } from '../mcp/declarations.js';
import type { mcpCommand } from './mcp.decl.js';

export async function run(input: RawInput, ctx: Context): Promise<void> {
  const o = input.flags<typeof mcpCommand>();
  const secretDir = resolve(o.secretDir ?? join(stateDir(ctx.env), 'secrets'));
  // A folder others can write is refused before serving: no tool call could use it safely.
  const problem = secretDirProblem(secretDir, '--secret-dir');
  if (problem) throw problem;
  const { serveMcp } = await import('../mcp/server.js');
  await serveMcp({
    readOnly: o.readOnly,
    secretDir,
    env: ctx.env,
    now: () => ctx.now(),
    main: input.main!,
    declarations: declarationsOf(input.root),
    version: __ANCHOR_VERSION__,
    debug: ctx.globals.debug,
    // Stdout is the protocol's: the trace goes to stderr, through the context's redaction.
    log: (text) => ctx.err(text),
  });
}
