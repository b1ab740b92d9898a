// Where the config file lives: ANCHOR_CONFIG_DIR, else the platform's config folder (XDG on Linux).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function configDir(env: Record<string, string | undefined>): string {
  if (env.ANCHOR_CONFIG_DIR) return env.ANCHOR_CONFIG_DIR;
  const home = env.HOME || homedir();
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'anchor');
  if (process.platform === 'darwin') return join(home, 'Library', 'Preferences', 'anchor');
  if (process.platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'anchor', 'Config');
  return join(home, '.config', 'anchor');
}
