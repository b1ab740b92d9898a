// The interactive side of create and update: URL, events and description prompts checked with the
// API's own rules as they are typed, the request summary, and the webhook pick list.
import type { Context } from '../../../context.js';
import type { Prompter } from '../../../ui/prompter.js';
import { CancelledError, NotFoundError } from '../../../errors.js';
import { ENTITIES, EVENT_CATALOG } from '../../../core/events.js';
import { checkDescription, checkWebhookUrl } from '../../../core/url-rules.js';
import { escapeControl, style, truncate } from '../../../ui/format.js';

export const INTERACTIVE_FLAGS = '--url and --event';

export function askUrl(p: Prompter, opts: { current?: string; allowLocal: boolean }): Promise<string> {
  return p
    .input(
      {
        message: 'Endpoint URL (https://…):',
        // Shown escaped; taken as is, it means "unchanged".
        ...(opts.current ? { default: escapeControl(opts.current) } : {}),
        validate: (v) => {
          const verdict = checkWebhookUrl(v.trim(), { allowLocalTargets: opts.allowLocal });
          if (verdict.ok) return true;
          // A local URL is fine for the emulator, with the flag on both sides.
          const local = !opts.allowLocal && checkWebhookUrl(v.trim(), { allowLocalTargets: true }).ok;
          return local
            ? `${verdict.message}. For a local receiver behind the emulator, pass --allow-local-targets (and start the emulator with it)`
            : verdict.message;
        },
      },
      '--url',
    )
    .then((v) => (opts.current && v === escapeControl(opts.current) ? opts.current : v.trim()));
}

/** `width`: the terminal's columns; each line is cut to fit, since a wrapped line breaks the paging. */
export function askEvents(p: Prompter, width: number, checked: readonly string[] = []): Promise<string[]> {
  const room = Math.max(16, width - 40);
  return p.checkbox(
    {
      message: 'Events to receive (space to toggle, enter to confirm):',
      groups: ENTITIES.map((entity) => ({
        title: entity,
        choices: EVENT_CATALOG.filter((e) => e.entity === entity).map((e) => ({
          name: `${e.type.padEnd(31)} ${truncate(e.description, room)}`,
          short: e.type,
          value: e.type,
          description: e.description,
          checked: checked.includes(e.type),
        })),
      })),
      validate: (values) => (values.length > 0 ? true : 'Pick at least one event type'),
    },
    '--event',
  );
}

/** Empty keeps none; with a current value, "-" clears it. */
export async function askDescription(p: Prompter, current?: string | null): Promise<string | null> {
  const answer = await p.input(
    {
      message: current ? 'Description (optional; "-" to clear):' : 'Description (optional, press enter to skip):',
      ...(current ? { default: escapeControl(current) } : {}),
      validate: (v) => {
        const verdict = checkDescription(v.trim());
        return verdict.ok ? true : verdict.message;
      },
    },
    '--description',
  );
  if (current && answer === escapeControl(current)) return current;
  const v = answer.trim();
  return v === '' || v === '-' ? null : v;
}

/** Shows what is about to be sent and asks to go ahead; "no" cancels (exit 130, nothing sent). */
export async function confirmRequest(
  ctx: Context,
  p: Prompter,
  title: string,
  fields: Record<string, string>,
  question: string,
): Promise<void> {
  const s = style(ctx.colorStderr);
  const width = Math.max(...Object.keys(fields).map((k) => k.length)) + 2;
  ctx.err(
    `\n${s.bold(title)}\n${Object.entries(fields)
      .map(([k, v]) => `  ${`${k}:`.padEnd(width)}${escapeControl(v)}`)
      .join('\n')}\n\n`,
  );
  if (!(await p.confirm(question, '--yes', true))) throw new CancelledError();
}

/** The id argument, or in a terminal a pick list of the project's webhooks. */
export async function resolveWebhookId(ctx: Context, arg: string | undefined, verb: string): Promise<string> {
  if (arg && arg.trim()) return arg.trim();
  const p = await ctx.prompter();
  const usage = `Usage: anchor webhooks ${verb} <id>; list ids with \`anchor webhooks list\`.`;
  p.ensureInteractive('the webhook id', usage);
  const api = await ctx.api();
  const { webhooks } = await ctx.withSpinner('Loading webhooks…', () => api.listWebhooks());
  if (webhooks.length === 0) {
    throw new NotFoundError('this project has no webhooks to choose from', {
      hint: 'Create one with `anchor webhooks create`.',
    });
  }
  return p.select(
    {
      message: `Which webhook do you want to ${verb.replace('-', ' ')}?`,
      choices: webhooks.map((w) => ({
        // The API's text, escaped: a description with a newline or an escape code cannot redraw the list.
        name: `${escapeControl(w.id)}  ${truncate(escapeControl(w.url), 50)}  ${w.enabled ? '' : '(disabled) '}${truncate(escapeControl(w.subscribed_events.join(',')), 40)}`,
        value: w.id,
        ...(w.description ? { description: escapeControl(w.description) } : {}),
      })),
    },
    'the webhook id',
  );
}
