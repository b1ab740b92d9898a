// `anchor config list`: the profile's settings (--json: those set; else every setting as key=value).
import { profileName } from '../../../config/credentials.js';
import { SETTINGS } from '../../../config/store.js';
import { handler } from '../../handler.js';
import { configListCommand } from './decl.js';

export default handler(
  configListCommand,
  async (_flags, _args, ctx): Promise<Record<string, string>> => (await ctx.config()).settings(profileName(ctx)),
  (settings, ctx) => {
    for (const key of Object.keys(SETTINGS)) ctx.out(`${key}=${settings[key] ?? ''}\n`);
  },
);
