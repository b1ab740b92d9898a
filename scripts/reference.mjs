// `npm run reference`: writes the command reference, docs/commands/ (one page per command and an
// index), from the declarations (scripts/reference-model.mjs). test/e2e/reference.test.ts checks
// that the committed pages equal a fresh generation.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadReference } from './reference-model.mjs';

export const REFERENCE_DIR = 'docs/commands';
export const REGENERATE = 'npm run reference';

const EXIT_MEANINGS = {
  0: 'success',
  1: 'failure not listed below: server error, network failure after retries, a bug',
  2: 'usage: bad or missing flags or arguments, input that fails validation, a prompt needed while input is off',
  3: 'the API refused the request: 400, 409 (webhook limit reached), 422',
  4: 'authentication: no key configured, or 401/403',
  5: 'not found: 404',
  6: 'a check failed: a signature did not verify, or a test delivery did not succeed',
  130: 'cancelled: Ctrl-C or a declined confirmation',
};

const COMPLETES = {
  'event-types': 'an event type (`anchor events list`)',
  'webhook-ids': 'a webhook id',
  files: 'a file path',
};

/** Help text as Markdown: `<x>`, `*` and pipes kept literal, flags and env variables as code. */
const prose = (text) =>
  text
    .replace(/\s*\n\s*/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2
        ? part.replace(/\|/g, '\\|')
        : part
            .replace(/\|/g, '\\|')
            .replace(/</g, '&lt;')
            .replace(/\*/g, '\\*')
            .replace(/(?<![\w-])--[a-z][a-z0-9-]*|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:=\w+)?/g, (m) => `\`${m}\``),
    )
    .join('');
const cell = prose;
/** A sentence: help's phrases start lower case. */
const sentence = (text) => prose(text.charAt(0).toUpperCase() + text.slice(1));
const code = (text) => `\`${text.replace(/\|/g, '\\|')}\``;

export const pageName = (path) => `${path.replace(/ /g, '-')}.md`;
const anchorOf = (heading) =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');

function valueOf(o) {
  if (!o.takesValue) return 'switch';
  let value = o.choices ? o.choices.map(code).join(', ') : (COMPLETES[o.completes] ?? valueType(o));
  if (o.optionalValue) value += ' (optional)';
  if (o.repeatable) value += '; repeatable';
  return value;
}

function valueType(o) {
  const range = o.range
    ? o.range.max === undefined
      ? `, ${o.range.min} or more`
      : `, ${o.range.min}–${o.range.max}`
    : '';
  if (o.type === 'integer') return `whole number${range}`;
  if (o.type === 'number') return `number${range}`;
  return 'text';
}

function optionTable(options) {
  const rows = options.map(
    (o) =>
      `| ${code(o.flags)} | ${valueOf(o)} | ${o.default === undefined ? '' : code(o.default)} | ${cell(o.description)} |`,
  );
  return ['| flag | value | default | description |', '|---|---|---|---|', ...rows].join('\n');
}

function commandPage(c, ref) {
  const lines = [`# anchor ${c.path}`, '', sentence(c.description), '', '```', c.usage, '```', ''];
  const also = [...c.aliases.map((a) => `anchor ${c.path.replace(/[^ ]+$/, a)}`)];
  if (c.runsAlsoAs) also.push(`anchor ${c.runsAlsoAs}`);
  if (also.length) lines.push(`Also run as ${also.map(code).join(', ')}.`, '');
  if (c.args.length) {
    lines.push('## Arguments', '', '| argument | description |', '|---|---|');
    for (const a of c.args)
      lines.push(
        `| ${code(a.name)} | ${cell(a.description)}${a.choices ? ` (one of ${a.choices.map(code).join(', ')})` : ''} |`,
      );
    lines.push('');
  }
  lines.push('## Flags', '');
  if (c.options.length) lines.push(optionTable(c.options), '');
  else lines.push('None of its own.', '');
  lines.push(
    `Global options, accepted before or after the command words: ${ref.globals.map((g) => code(g.flags.replace(/ <.*/, ''))).join(', ')} ([global options](README.md#global-options)).`,
    '',
  );
  lines.push('## Examples', '', '```sh', ...c.examples, '```', '');
  lines.push('## Exit codes', '', '| code | when |', '|---|---|');
  for (const e of c.exitCodes) lines.push(`| ${e.code} | ${cell(e.when)} |`);
  lines.push('', 'Every code is described in [exit codes](README.md#exit-codes).', '');
  lines.push('## `--json` output', '', `${c.json.charAt(0).toUpperCase()}${c.json.slice(1)}.`, '');
  lines.push('On failure: see [errors with `--json`](README.md#errors-with---json).', '');
  const group = c.group ? ` · [anchor ${c.group}](README.md#${anchorOf(`anchor ${c.group}`)})` : '';
  lines.push('---', '', `[Command reference](README.md)${group}`, '');
  return lines.join('\n');
}

function indexPage(ref) {
  const lines = [
    '# Command reference',
    '',
    `${ref.description} Generated from the command declarations by \`${REGENERATE}\`; do not edit by hand.`,
    '',
  ];
  const row = (c) => `| [anchor ${c.path}](${pageName(c.path)}) | ${cell(c.description)} |`;
  const top = ref.commands.filter((c) => !c.group);
  if (top.length) lines.push('## Commands', '', '| command | does |', '|---|---|', ...top.map(row), '');
  for (const g of ref.groups) {
    lines.push(`## anchor ${g.path}`, '', sentence(g.description), '');
    if (g.defaultCommand) lines.push(`\`anchor ${g.path}\` alone runs \`anchor ${g.defaultCommand}\`.`, '');
    const own = ref.commands.filter((c) => c.group === g.path);
    const sub = ref.groups.filter((s) => s.parent === g.path);
    lines.push('| command | does |', '|---|---|', ...own.map(row));
    for (const s of sub)
      lines.push(`| [anchor ${s.path} …](#${anchorOf(`anchor ${s.path}`)}) | ${cell(s.description)} |`);
    lines.push('');
    if (g.examples.length) lines.push('```sh', ...g.examples, '```', '');
  }
  lines.push(
    '## Global options',
    '',
    'Every command takes these, before or after its words (`anchor --json webhooks list` or `anchor webhooks list --json`).',
    '',
    optionTable(ref.globals),
    '',
    "`-h, --help` shows any command's help; `anchor -v, --version` prints the version.",
    '',
    '## Exit codes',
    '',
    '| code | meaning |',
    '|---|---|',
    ...Object.entries(EXIT_MEANINGS).map(([k, v]) => `| ${k} | ${cell(v)} |`),
    '',
    '## Errors with `--json`',
    '',
    `${ref.jsonErrors.charAt(0).toUpperCase()}${ref.jsonErrors.slice(1)}.`,
    '',
  );
  return lines.join('\n');
}

/** Every page of the reference: file name → Markdown. */
export async function referencePages() {
  const ref = await loadReference();
  const pages = new Map([['README.md', indexPage(ref)]]);
  for (const c of ref.commands) pages.set(pageName(c.path), commandPage(c, ref));
  return pages;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = fileURLToPath(new URL(`../${REFERENCE_DIR}/`, import.meta.url));
  const pages = await referencePages();
  mkdirSync(dir, { recursive: true });
  // A removed command's page goes too.
  for (const f of readdirSync(dir)) if (f.endsWith('.md') && !pages.has(f)) rmSync(`${dir}${f}`);
  for (const [name, text] of pages) writeFileSync(`${dir}${name}`, text);
  console.log(`wrote ${pages.size} pages to ${REFERENCE_DIR}/`);
}
