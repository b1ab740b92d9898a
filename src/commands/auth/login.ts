// `anchor auth login`: stores the API key for a profile — from a masked prompt, or from stdin with
// --with-key — after checking it against the API (unless --no-verify). Never from a flag's value.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { AuthError, UsageError } from '../../errors.js';
import { keyProblem, profileName, resolveApiUrl } from '../../config/credentials.js';
import { maskKey, style } from '../../ui/format.js';
import { MAX_SECRET_BYTES, readStreamBounded } from '../../lib/read.js';
import type { loginCommand } from './auth.decl.js';

export interface LoginOptions {
  withKey: boolean;
  verify: boolean;
}

async function readStdin(ctx: Context): Promise<string> {
  if (ctx.stdinIsTTY) {
    throw new UsageError('--with-key reads the key from stdin, but stdin is a terminal', {
      hint: 'Pipe it in: printf %s "$ANCHOR_KEY" | anchor auth login --with-key',
    });
  }
  return (await readStreamBounded(ctx.io.stdin, MAX_SECRET_BYTES, 'the key on stdin')).toString('utf8');
}

export async function runLogin(options: LoginOptions, ctx: Context): Promise<void> {
  let key: string;
  if (options.withKey) {
    key = (await readStdin(ctx)).trim();
    if (!key)
      throw new UsageError('no key on stdin', {
        hint: 'Pipe it in: printf %s "$ANCHOR_KEY" | anchor auth login --with-key',
      });
  } else {
    const prompter = await ctx.prompter();
    prompter.ensureInteractive('--with-key');
    key = (await prompter.password('Anchor API key (from app.anchorbrowser.io → API Access):', '--with-key')).trim();
  }
  const problem = keyProblem(key);
  if (problem)
    throw new UsageError(`the key contains ${problem}; nothing was saved`, {
      hint: 'API keys are printable ASCII with no spaces: paste only the key itself.',
    });
  ctx.addSecret(key);

  const profile = profileName(ctx);
  const { url, source } = await resolveApiUrl(ctx);
  if (options.verify) {
    const { createApiClient } = await import('../../api/client.js');
    const api = await createApiClient(ctx, { baseUrl: url, key });
    try {
      await ctx.withSpinner('Checking the key…', () => api.listWebhooks());
    } catch (e) {
      if (e instanceof AuthError) {
        throw new AuthError(`${url} did not accept this key; nothing was saved`, {
          hint: 'Copy the key again from app.anchorbrowser.io → API Access.',
          status: e.status,
        });
      }
      throw e;
    }
  }
  const store = await ctx.config();
  store.set(profile, 'api-key', key);
  // A key checked against an API given for this login (--api-url, ANCHOR_API_URL) belongs to that
  // API: the URL is stored with it, so the key is never sent to another API (production) later.
  const bound = source !== 'default' && source !== store.path;
  if (bound) store.set(profile, 'api-url', url.replace(/\/$/, ''));
  if (ctx.globals.json) {
    ctx.outJson({ profile, api_url: url, key: maskKey(key), verified: options.verify, config_path: store.path });
  } else {
    const s = style(ctx.colorStdout);
    ctx.out(
      `${s.green('✓')} Logged in: profile ${s.bold(profile)}, key ${maskKey(key)}${options.verify ? `, accepted by ${url}` : ' (not verified)'}\n`,
    );
    ctx.out(`  Stored in ${store.path} (mode 0600)${bound ? `, with the API URL ${url} for this profile` : ''}\n`);
  }
  for (const name of ['ANCHOR_API_KEY', 'ANCHORBROWSER_API_KEY']) {
    if (ctx.env[name]) ctx.err(`Note: ${name} is set, and it takes precedence over the stored key.\n`);
  }
}

export async function run(input: RawInput, ctx: Context): Promise<void> {
  await runLogin(input.flags<typeof loginCommand>(), ctx);
}
