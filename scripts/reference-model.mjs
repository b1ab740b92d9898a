// The command reference's model: the commander tree that `anchor` builds, read with the
// declarations behind it (src/program.ts) and the notes the declarations lack
// (src/commands/reference-notes.ts). Bundled from src/ with esbuild at generation time, as
// scripts/build.mjs does for the apply schema: dist/ holds only minified chunks with hashed names.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// The one place that knows how the tree is built: adjust here when src/program.ts changes shape.
const ENTRY = `
import * as program from './src/program.ts';
import { REFERENCE_NOTES, JSON_ERROR_SHAPE } from './src/commands/reference-notes.ts';
export const tree = () => {
  let help = '';
  const io = { writeOut: (s) => (help += s), writeErr: () => {} };
  const root = program.buildProgram(() => Promise.resolve(), io);
  // The text \`--help\` prints, examples included (they are added as "after" help text).
  const helpOf = (cmd) => { help = ''; cmd.outputHelp(); return help; };
  return { root, helpOf, program };
};
export { REFERENCE_NOTES, JSON_ERROR_SHAPE };
`;

async function loadSources() {
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: root, sourcefile: 'reference-entry.js', loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    define: { __ANCHOR_VERSION__: JSON.stringify(pkg.version) },
    // commander is CommonJS and require()s Node built-ins (a data: URL cannot anchor a require).
    banner: {
      js: `import{createRequire as __cr}from'node:module';const require=__cr(${JSON.stringify(import.meta.url)});`,
    },
    logLevel: 'warning',
  });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

/** The `$ anchor …` lines under "Examples:" in a help text. */
function examplesIn(help) {
  const at = help.search(/^Examples:$/m);
  if (at < 0) return [];
  const lines = [];
  for (const line of help.slice(at).split('\n').slice(1)) {
    const m = /^ {2}\$ (.*)$/.exec(line);
    if (m) lines.push(m[1]);
    else if (line.trim() === '') {
      if (lines.length) break;
    } else if (!line.startsWith('    ')) break;
  }
  return lines;
}

function describeArg(arg) {
  return {
    name: arg.variadic
      ? `${arg.required ? '<' : '['}${arg.name()}...${arg.required ? '>' : ']'}`
      : arg.required
        ? `<${arg.name()}>`
        : `[${arg.name()}]`,
    description: arg.description ?? '',
    choices: arg.argChoices ?? undefined,
  };
}

function describeOption(option, flag) {
  const shownDefault =
    option.defaultValueDescription ??
    (option.defaultValue === undefined || typeof option.defaultValue === 'boolean'
      ? undefined
      : String(option.defaultValue));
  return {
    flags: option.flags,
    description: option.description ?? '',
    takesValue: option.required || option.optional,
    optionalValue: option.optional,
    negate: option.negate,
    default: shownDefault,
    repeatable: Boolean(flag?.repeat || option.variadic),
    choices: option.argChoices ?? (Array.isArray(flag?.completes) ? [...flag.completes] : undefined),
    completes: typeof flag?.completes === 'string' ? flag.completes : undefined,
    type: flag?.type,
    range: flag?.range,
  };
}

/** `{ globals, groups, commands }`: everything the pages say, in the order help lists it. */
export async function loadReference() {
  const src = await loadSources();
  const { root, helpOf, program } = src.tree();
  const specOf = (cmd) => program.specOf(cmd);
  const flagOf = (option) => program.flagOf?.(option);
  const words = (cmd) => {
    const out = [];
    for (let c = cmd; c.parent; c = c.parent) out.unshift(c.name());
    return out.join(' ');
  };
  const globals = root.options.filter((o) => !o.hidden && o.long !== '--version').map((o) => describeOption(o));
  const groups = [];
  const commands = [];
  const walk = (cmd, group) => {
    for (const child of cmd.commands) {
      if (child.commands.length > 0) {
        const defaultCmd = program.defaultCommandOf?.(child);
        const entry = {
          path: words(child),
          description: child.description(),
          examples: examplesIn(helpOf(child)),
          parent: group?.path,
          defaultCommand: defaultCmd ? words(defaultCmd) : undefined,
        };
        groups.push(entry);
        walk(child, entry);
        continue;
      }
      const spec = specOf(child);
      const path = words(child);
      const id = spec?.id ?? path;
      const notes = src.REFERENCE_NOTES[id];
      if (!notes)
        throw new Error(`${id}: no entry in src/commands/reference-notes.ts (its exit codes and --json shape)`);
      const examples = examplesIn(helpOf(child));
      if (examples.length === 0) throw new Error(`${id}: its --help shows no "Examples:" block to read`);
      commands.push({
        id,
        path,
        group: group?.path,
        usage: `anchor ${path} ${child.usage()}`.trimEnd(),
        description: child.description(),
        aliases: child.aliases(),
        runsAlsoAs: group?.defaultCommand === path ? group.path : undefined,
        args: child.registeredArguments.map(describeArg),
        options: child.options
          .filter((o) => !o.hidden)
          .map((o) => describeOption(o, flagOf(o) ?? flagFromSpec(spec, o))),
        examples,
        ...notes,
      });
    }
  };
  walk(root, undefined);
  const stale = Object.keys(src.REFERENCE_NOTES).filter((id) => !commands.some((c) => c.id === id));
  if (stale.length)
    throw new Error(`src/commands/reference-notes.ts names commands the tree lacks: ${stale.join(', ')}`);
  return { description: root.description(), globals, groups, commands, jsonErrors: src.JSON_ERROR_SHAPE };
}

function flagFromSpec(spec, option) {
  return spec?.flags ? Object.values(spec.flags).find((f) => f.flags === option.flags) : undefined;
}
