// The `<key>` argument of `config get|set|unset`: the settings `anchor config` manages. A piece of
// their declarations (loaded with them for help and completion), so it stays as small as they are.
import { arg } from '../../spec.js';

export const SETTINGS = ['api-url'] as const;
export type SettingKey = (typeof SETTINGS)[number];

export const settingArg = arg('<key>', 'setting name: api-url', { completes: SETTINGS });
