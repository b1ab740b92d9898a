// `anchor config set <key> <value>`: its help. The command is in handler.ts.
import { arg, command } from '../../spec.js';
import { settingArg } from '../shared/setting.decl.js';

export const configSetCommand = command(
  {
    id: 'config set',
    description: 'set a setting (validated first)',
  },
  () => ({
    args: [settingArg, arg('<value>', 'the value')],
    flags: {},
    examples: [
      'anchor config set api-url https://api.anchorbrowser.io',
      'anchor config set api-url http://127.0.0.1:4010 --profile emulator',
    ],
  }),
);
