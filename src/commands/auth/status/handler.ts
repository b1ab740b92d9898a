// `anchor auth status`: which profile, API URL and key are in use, and whether the API accepts it.
import type { Context } from '../../../context.js';
import { AuthError, CliError } from '../../../errors.js';
import { findCredentials, profileName, resolveApiUrl } from '../../../config/credentials.js';
import { escapeControl, maskKey, style } from '../../../ui/format.js';
import { handler } from '../../handler.js';
import { statusCommand } from './decl.js';

/** What --json prints; the key's fields only when there is a key. */
export interface AuthStatus {
  profile: string;
  api_url: string;
  api_url_source: string;
  logged_in: boolean;
  key_source?: string;
  /** Masked. */
  key?: string;
  /** null: the API could not be asked (network, server error). */
  valid?: boolean | null;
  error?: string;
}

function renderStatus(status: AuthStatus, ctx: Context): void {
  const s = style(ctx.colorStdout);
  const lines = [`Profile:   ${s.bold(status.profile)}`, `API URL:   ${status.api_url} (${status.api_url_source})`];
  if (status.logged_in) {
    lines.push(`API key:   ${status.key} (from ${status.key_source})`);
    lines.push(
      `Accepted:  ${status.valid === true ? s.green('yes') : status.valid === false ? s.red('no') : s.yellow(`could not check: ${escapeControl(String(status.error))}`)}`,
    );
  } else {
    lines.push(`API key:   ${s.red('none')}`);
  }
  ctx.out(`${lines.join('\n')}\n`);
}

export default handler(
  statusCommand,
  async (_flags, _args, ctx): Promise<AuthStatus> => {
    const profile = profileName(ctx);
    const { url, source: urlSource } = await resolveApiUrl(ctx);
    const creds = await findCredentials(ctx);
    const status: AuthStatus = { profile, api_url: url, api_url_source: urlSource, logged_in: false };
    let failure: CliError | undefined;
    if (!creds) {
      failure = new AuthError(`no API key for profile "${profile}"`, {
        hint: 'Run `anchor auth login`, or set ANCHOR_API_KEY.',
      });
    } else {
      ctx.addSecret(creds.key);
      Object.assign(status, { logged_in: true, key_source: creds.source, key: maskKey(creds.key) });
      const { createApiClient } = await import('../../../api/client.js');
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
    // No key, or one the API refused, is still a status to show, and then the error's exit code:
    // a thrown error carries no result to print, so it is printed here first.
    if (failure) {
      if (ctx.globals.json) ctx.outJson(status);
      else renderStatus(status, ctx);
      throw failure;
    }
    return status;
  },
  renderStatus,
);
