// `anchor config unset <key>`: removes a setting of the profile. The confirmation is a message,
// not a result: it goes to stderr.
import { profileName } from '../../../config/credentials.js';
import { handler } from '../../handler.js';
import { knownSetting } from '../shared/setting.js';
import { configUnsetCommand } from './decl.js';

export default handler(
  configUnsetCommand,
  async (_flags, [name], ctx): Promise<{ key: string; removed: boolean }> => {
    const { key } = knownSetting(name);
    const removed = (await ctx.config()).unset(profileName(ctx), key);
    return { key, removed };
  },
  ({ key, removed }, ctx) =>
    ctx.err(
      removed
        ? `Unset ${key} for profile ${profileName(ctx)}\n`
        : `${key} was not set for profile ${profileName(ctx)}\n`,
    ),
);
