// `anchor config get <key>`: its help. The command is in handler.ts.
import { command } from '../../spec.js';
import { settingArg } from '../shared/setting.decl.js';

export const configGetCommand = command(
  {
    id: 'config get',
    description: 'print one setting',
  },
  () => ({
    args: [settingArg],
    flags: {},
    examples: ['anchor config get api-url'],
  }),
);
