// `anchor auth logout`: forgets the stored key of the profile.
import type { Context } from '../../context.js';
import { profileName } from '../../config/credentials.js';
import { style } from '../../ui/format.js';

export async function run(_input: unknown, ctx: Context): Promise<void> {
  const profile = profileName(ctx);
  const store = await ctx.config();
  const removed = store.unset(profile, 'api-key');
  if (ctx.globals.json) ctx.outJson({ profile, removed });
  else if (removed) ctx.out(`${style(ctx.colorStdout).green('✓')} Forgot the stored key of profile ${profile}\n`);
  else ctx.out(`No key was stored for profile ${profile}; nothing to do.\n`);
  for (const name of ['ANCHOR_API_KEY', 'ANCHORBROWSER_API_KEY']) {
    if (ctx.env[name]) ctx.err(`Note: ${name} is still set in your environment and still provides a key.\n`);
  }
}
