// What `anchor webhooks apply` shows people: the plan, as `terraform plan` shows one, a line as
// each change is made, and the closing line. Under --json none of it is printed: the document
// says it all at the end.
import type { Context } from '../../../context.js';
import { escapeControl, style, type Style } from '../../../ui/format.js';
import type { Action, Change, Plan } from './plan.js';

const SYMBOL: Record<Action, string> = { create: '+', update: '~', delete: '-', unchanged: '=' };

function describeChange(field: string, c: Change): string {
  if (field === 'events') {
    const from = c.from as string[];
    const to = c.to as string[];
    const added = to.filter((e) => !from.includes(e)).map((e) => `+${e}`);
    const removed = from.filter((e) => !to.includes(e)).map((e) => `-${e}`);
    return `events ${[...added, ...removed].join(' ')}`;
  }
  const show = (v: unknown) => (v === null ? 'none' : typeof v === 'string' ? JSON.stringify(v) : String(v));
  return `${field} ${show(c.from)} → ${show(c.to)}`;
}

/** The plan as `terraform plan` shows one: a line a webhook, aligned, coloured in a terminal. */
export function renderPlan(plan: Plan, s: Style): string {
  const paint: Record<Action, (t: string) => string> = {
    create: s.green,
    update: s.yellow,
    delete: s.red,
    unchanged: s.dim,
  };
  const urls = plan.steps.map((st) => escapeControl(st.entry.url));
  const urlWidth = Math.min(60, Math.max(0, ...urls.map((u) => u.length)));
  const idWidth = Math.max(0, ...plan.steps.map((st) => st.entry.id?.length ?? 0));
  const lines = plan.steps.map((st, i) => {
    const e = st.entry;
    const detail =
      e.action === 'create'
        ? `events ${st.desired!.events.join(', ')}${st.desired!.enabled ? '' : ', disabled'}`
        : e.action === 'update'
          ? Object.entries(e.changes!)
              .map(([f, c]) => describeChange(f, c))
              .join('; ')
          : '';
    const cells = [
      paint[e.action](`${SYMBOL[e.action]} ${e.action.padEnd(9)}`),
      urls[i]!.padEnd(urlWidth),
      escapeControl(e.id ?? '').padEnd(idWidth),
      escapeControl(detail),
    ];
    return `  ${cells.join('  ').trimEnd()}\n`;
  });
  const count = (a: Action) => plan.steps.filter((st) => st.entry.action === a).length;
  const summary = `Plan: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete, ${count('unchanged')} unchanged.\n`;
  return `${lines.join('')}${lines.length ? '\n' : ''}${summary}`;
}

/** For people, before anything is asked or sent: the plan, and the webhooks it leaves alone (on stderr). */
export function printPlan(ctx: Context, plan: Plan, name: string): void {
  if (ctx.globals.json) return;
  ctx.out(renderPlan(plan, style(ctx.colorStdout)));
  if (plan.untouched.length) {
    ctx.err(
      `Note: ${plan.untouched.length} webhook(s) of the project are not in ${name} and are left alone (--prune deletes them): ${plan.untouched.map((w) => `${escapeControl(w.id)} ${escapeControl(w.url)}`).join(', ')}\n`,
    );
  }
}

/** For people, as each change is made: what was done (nothing under --json). */
export function printStep(ctx: Context, line: (s: Style) => string): void {
  if (!ctx.globals.json) ctx.out(line(style(ctx.colorStdout)));
}

export const stepLines = {
  deleted: (id: string, url: string) => (s: Style) =>
    `${s.red('-')} Deleted ${escapeControl(id)} (${escapeControl(url)})\n`,
  updated: (id: string, url: string, fields: string[]) => (s: Style) =>
    `${s.yellow('~')} Updated ${escapeControl(id)} (${escapeControl(url)}): ${fields.join(', ')}\n`,
  created: (id: string, url: string, secretPath: string) => (s: Style) =>
    `${s.green('+')} Created ${escapeControl(id)} (${escapeControl(url)}); secret written to ${secretPath} (mode 0600)\n`,
  disabled: (id: string) => (s: Style) => `${s.yellow('~')} Disabled ${id}, as the file asks\n`,
};

/** How an apply that did not fail ends. */
export type Closing = 'no-drift' | 'dry-run' | 'nothing-to-do' | 'applied';

/** The last line people read, about the file `name`. */
export function closingLine(closing: Closing, name: string, s: Style): string {
  switch (closing) {
    case 'no-drift':
      return `No drift: the project matches ${name}.\n`;
    case 'dry-run':
      return 'Dry run: nothing was sent.\n';
    case 'nothing-to-do':
      return `Nothing to do: the project matches ${name}.\n`;
    case 'applied':
      return `\n${s.green('✓')} Applied: the project matches ${name}.\n`;
  }
}
