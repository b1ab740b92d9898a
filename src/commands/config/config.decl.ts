// `anchor config path|list|get|set|unset`: help. The commands are in config.ts.
import { arg, command } from '../spec.js';

export const SETTINGS = ['api-url'] as const;
const key = arg('<key>', 'setting name: api-url', { completes: SETTINGS });

export const configPathCommand = command(
  {
    id: 'config path',
    description: 'print the config file path',
  },
  () => ({
    flags: {},
    examples: ['anchor config path'],
  }),
);
export const configListCommand = command(
  {
    id: 'config list',
    description: 'list the settings of the profile',
  },
  () => ({
    flags: {},
    examples: ['anchor config list', 'anchor config list --profile staging --json'],
  }),
);
export const configGetCommand = command(
  {
    id: 'config get',
    description: 'print one setting',
  },
  () => ({
    args: [key],
    flags: {},
    examples: ['anchor config get api-url'],
  }),
);
export const configSetCommand = command(
  {
    id: 'config set',
    description: 'set a setting (validated first)',
  },
  () => ({
    args: [key, { name: '<value>', description: 'the value' }],
    flags: {},
    examples: [
      'anchor config set api-url https://api.anchorbrowser.io',
      'anchor config set api-url http://127.0.0.1:4010 --profile emulator',
    ],
  }),
);
export const configUnsetCommand = command(
  {
    id: 'config unset',
    description: 'remove a setting',
  },
  () => ({
    args: [key],
    flags: {},
    examples: ['anchor config unset api-url'],
  }),
);
