// `anchor auth login`: stores the API key for a profile — from a masked prompt, or from stdin with
// --with-key — after checking it against the API (unless --no-verify). Never from a flag's value.
import type { Context } from '../../../context.js';
import { AuthError, UsageError } from '../../../errors.js';
import { keyProblem, profileName, resolveApiUrl } from '../../../config/credentials.js';
import { firstSet, URL_VARIABLES } from '../../../config/lookup.js';
import { MAX_SECRET_BYTES, readStreamBounded } from '../../../lib/read.js';
import { maskKey, style } from '../../../ui/format.js';
import { handler } from '../../handler.js';
import { keyVariablesSet } from '../shared/key-variables.js';
import { loginCommand } from './decl.js';

/** What --json prints: the profile, the API the key belongs to, the key masked, where it is kept. */
export interface LoginResult {
  profile: string;
  api_url: string;
  key: string;
  verified: boolean;
  config_path: string;
}

const PIPE_HINT = 'Pipe it in: printf %s "$ANCHOR_KEY" | anchor auth login --with-key';

async function readStdin(ctx: Context): Promise<string> {
  if (ctx.stdinIsTTY)
    throw new UsageError('--with-key reads the key from stdin, but stdin is a terminal', { hint: PIPE_HINT });
  return (await readStreamBounded(ctx.io.stdin, MAX_SECRET_BYTES, 'the key on stdin')).toString('utf8');
}

/**
 * Whether the API URL was given for this login (--api-url, ANCHOR_API_URL, …: the first sources of
 * resolveApiUrl) rather than read from the profile or defaulted. A key checked against such an API
 * belongs to it: the URL is stored with the key, so the key is never sent to another API
 * (production) later.
 */
function urlGivenForLogin(ctx: Context): boolean {
  return Boolean(ctx.globals.apiUrl) || firstSet(ctx.env, URL_VARIABLES) !== undefined;
}

function renderLogin(result: LoginResult, ctx: Context): void {
  const s = style(ctx.colorStdout);
  ctx.out(
    `${s.green('✓')} Logged in: profile ${s.bold(result.profile)}, key ${result.key}${result.verified ? `, accepted by ${result.api_url}` : ' (not verified)'}\n`,
  );
  const bound = urlGivenForLogin(ctx) ? `, with the API URL ${result.api_url} for this profile` : '';
  ctx.out(`  Stored in ${result.config_path} (mode 0600)${bound}\n`);
}

export default handler(
  loginCommand,
  async (options, _args, ctx): Promise<LoginResult> => {
    let key: string;
    if (options.withKey) {
      key = (await readStdin(ctx)).trim();
      if (!key)
        throw new UsageError('no key on stdin: it was empty', {
          hint: `A variable piped in (printf %s "$ANCHOR_KEY") is empty or unset in this shell: set it first, or paste the key at the prompt of \`anchor auth login\`. ${PIPE_HINT}`,
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
    const { url } = await resolveApiUrl(ctx);
    if (options.verify) {
      const { createApiClient } = await import('../../../api/client.js');
      // The same URL, resolved again by the client, which then knows whether the config file named it.
      const api = await createApiClient(ctx, { key });
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
    if (urlGivenForLogin(ctx)) store.set(profile, 'api-url', url.replace(/\/$/, ''));
    for (const name of keyVariablesSet(ctx.env))
      ctx.err(`Note: ${name} is set, and it takes precedence over the stored key.\n`);
    return { profile, api_url: url, key: maskKey(key), verified: options.verify, config_path: store.path };
  },
  renderLogin,
);
