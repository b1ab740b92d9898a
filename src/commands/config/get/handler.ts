// `anchor config get <key>`: one setting of the profile (--json: null when unset; else its value, or nothing).
import { profileName } from '../../../config/credentials.js';
import { handler } from '../../handler.js';
import { knownSetting } from '../shared/setting.js';
import { configGetCommand } from './decl.js';

export default handler(
  configGetCommand,
  async (_flags, [name], ctx): Promise<{ key: string; value: string | null }> => {
    const { key } = knownSetting(name);
    const value = (await ctx.config()).get(profileName(ctx), key);
    return { key, value: value ?? null };
  },
  ({ value }, ctx) => {
    if (value !== null) ctx.out(`${value}\n`);
  },
);
