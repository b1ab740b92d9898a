// `anchor auth status`: which profile, API URL and key are in use, and whether the API accepts it.
import type { Context } from '../../context.js';
import { AuthError, CliError } from '../../errors.js';
import { findCredentials, profileName, resolveApiUrl } from '../../config/credentials.js';
import { escapeControl, maskKey, style } from '../../ui/format.js';

export async function run(_input: unknown, ctx: Context): Promise<void> {
  const profile = profileName(ctx);
  const { url, source: urlSource } = await resolveApiUrl(ctx);
  const creds = await findCredentials(ctx);
  const status: Record<string, unknown> = { profile, api_url: url, api_url_source: urlSource };
  let failure: CliError | undefined;
  if (!creds) {
    status.logged_in = false;
    failure = new AuthError(`no API key for profile "${profile}"`, {
      hint: 'Run `anchor auth login`, or set ANCHOR_API_KEY.',
    });
  } else {
    ctx.addSecret(creds.key);
    Object.assign(status, { logged_in: true, key_source: creds.source, key: maskKey(creds.key) });
    const { createApiClient } = await import('../../api/client.js');
    const api = await createApiClient(ctx, { baseUrl: url, key: creds.key });
    try {
      await ctx.withSpinner('Checking the key…', () => api.listWebhooks());
      status.valid = true;
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      status.valid = e instanceof AuthError ? false : null;
      status.error = e.message;
      failure = e;
    }
  }
  if (ctx.globals.json) {
    ctx.outJson(status);
  } else {
    const s = style(ctx.colorStdout);
    const lines = [`Profile:   ${s.bold(profile)}`, `API URL:   ${url} (${urlSource})`];
    if (creds) {
      lines.push(`API key:   ${maskKey(creds.key)} (from ${creds.source})`);
      lines.push(
        `Accepted:  ${status.valid === true ? s.green('yes') : status.valid === false ? s.red('no') : s.yellow(`could not check: ${escapeControl(String(status.error))}`)}`,
      );
    } else {
      lines.push(`API key:   ${s.red('none')}`);
    }
    ctx.out(`${lines.join('\n')}\n`);
  }
  if (failure) throw failure;
}
