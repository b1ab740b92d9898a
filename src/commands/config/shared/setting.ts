// A setting named on the command line, checked against the settings the store validates before
// anything is read or written.
import { settingOrThrow } from '../../../config/store.js';
import { SETTINGS, type SettingKey } from './setting.decl.js';

/** `key` as a setting, with its validation; an unknown name is the store's usage error, naming the settings. */
export function knownSetting(key: string): { key: SettingKey; validate: (value: string) => string } {
  const { validate } = settingOrThrow(key);
  const known = SETTINGS.find((s) => s === key);
  // The store validates a setting this command's argument does not list: the two lists drifted.
  if (known === undefined) throw new Error(`the setting "${key}" is missing from config/shared/setting.decl.ts`);
  return { key: known, validate };
}
