// The API key variables set in the environment: they take precedence over a stored key, which
// `auth login` and `auth logout` point out after changing it.
import { KEY_VARIABLES } from '../../../config/lookup.js';

export function keyVariablesSet(env: Readonly<Record<string, string | undefined>>): string[] {
  return KEY_VARIABLES.filter((name) => env[name]);
}
