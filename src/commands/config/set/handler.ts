// `anchor config set <key> <value>`: validates the value, then stores it for the profile. The
// confirmation is a message, not a result: it goes to stderr.
import { profileName } from '../../../config/credentials.js';
import { handler } from '../../handler.js';
import { knownSetting } from '../shared/setting.js';
import { configSetCommand } from './decl.js';

export default handler(
  configSetCommand,
  async (_flags, [name, raw], ctx): Promise<{ key: string; value: string }> => {
    const { key, validate } = knownSetting(name);
    const value = validate(raw);
    (await ctx.config()).set(profileName(ctx), key, value);
    return { key, value };
  },
  ({ key, value }, ctx) => ctx.err(`Set ${key}=${value} for profile ${profileName(ctx)}\n`),
);
