// `anchor auth logout`: forgets the stored key of the profile.
import type { Context } from '../../../context.js';
import { profileName } from '../../../config/credentials.js';
import { style } from '../../../ui/format.js';
import { handler } from '../../handler.js';
import { keyVariablesSet } from '../shared/key-variables.js';
import { logoutCommand } from './decl.js';

/** What --json prints: the profile, and whether it had a key to forget. */
export interface LogoutResult {
  profile: string;
  removed: boolean;
}

function renderLogout({ profile, removed }: LogoutResult, ctx: Context): void {
  if (removed) ctx.out(`${style(ctx.colorStdout).green('✓')} Forgot the stored key of profile ${profile}\n`);
  else ctx.out(`No key was stored for profile ${profile}; nothing to do.\n`);
}

export default handler(
  logoutCommand,
  async (_flags, _args, ctx): Promise<LogoutResult> => {
    const profile = profileName(ctx);
    const store = await ctx.config();
    const removed = store.unset(profile, 'api-key');
    for (const name of keyVariablesSet(ctx.env))
      ctx.err(`Note: ${name} is still set in your environment and still provides a key.\n`);
    return { profile, removed };
  },
  renderLogout,
);
