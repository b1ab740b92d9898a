// `anchor config path|list|get|set|unset`: non-secret settings of a profile, validated before writing.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { profileName } from '../../config/credentials.js';
import { configDir, settingOrThrow, SETTINGS } from '../../config/store.js';
import { join } from 'node:path';

export async function runPath(_input: RawInput, ctx: Context): Promise<void> {
  const path = join(configDir(ctx.env), 'config.json');
  if (ctx.globals.json) ctx.outJson({ path });
  else ctx.out(`${path}\n`);
}

export async function runList(_input: RawInput, ctx: Context): Promise<void> {
  const settings = (await ctx.config()).settings(profileName(ctx));
  if (ctx.globals.json) {
    ctx.outJson(settings);
    return;
  }
  for (const key of Object.keys(SETTINGS)) ctx.out(`${key}=${settings[key] ?? ''}\n`);
}

export async function runGet(input: RawInput, ctx: Context): Promise<void> {
  const key = input.args[0]!;
  settingOrThrow(key);
  const value = (await ctx.config()).get(profileName(ctx), key as 'api-url');
  if (ctx.globals.json) ctx.outJson({ key, value: value ?? null });
  else if (value !== undefined) ctx.out(`${value}\n`);
}

export async function runSet(input: RawInput, ctx: Context): Promise<void> {
  const [key, raw] = [input.args[0]!, input.args[1]!];
  const value = settingOrThrow(key).validate(raw);
  (await ctx.config()).set(profileName(ctx), key as 'api-url', value);
  if (ctx.globals.json) ctx.outJson({ key, value });
  else ctx.err(`Set ${key}=${value} for profile ${profileName(ctx)}\n`);
}

export async function runUnset(input: RawInput, ctx: Context): Promise<void> {
  const key = input.args[0]!;
  settingOrThrow(key);
  const removed = (await ctx.config()).unset(profileName(ctx), key as 'api-url');
  if (ctx.globals.json) ctx.outJson({ key, removed });
  else
    ctx.err(
      removed
        ? `Unset ${key} for profile ${profileName(ctx)}\n`
        : `${key} was not set for profile ${profileName(ctx)}\n`,
    );
}
