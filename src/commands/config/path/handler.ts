// `anchor config path`: where the config file is (or would be), without opening it.
import { join } from 'node:path';
import { configDir } from '../../../config/store.js';
import { handler } from '../../handler.js';
import { configPathCommand } from './decl.js';

export default handler(
  configPathCommand,
  async (_flags, _args, ctx): Promise<{ path: string }> => ({ path: join(configDir(ctx.env), 'config.json') }),
  ({ path }, ctx) => ctx.out(`${path}\n`),
);
