// `anchor config unset <key>`: its help. The command is in handler.ts.
import { command } from '../../spec.js';
import { settingArg } from '../shared/setting.decl.js';

export const configUnsetCommand = command(
  {
    id: 'config unset',
    description: 'remove a setting',
  },
  () => ({
    args: [settingArg],
    flags: {},
    examples: ['anchor config unset api-url'],
  }),
);
