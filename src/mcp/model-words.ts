// The command line's messages and hints in a model's words, on their way out of a tool: a flag
// becomes the tool's argument, `anchor <command>` the tool that runs it, an exit code the fact
// that the call failed, and advice that only a person at a terminal can follow says so. The checks
// and the substance stay the command's: only the words change.
import type { ToolDef } from './tool-def.js';

/** Advice the command line gives in its own terms, as a model can act on it. */
const PHRASES: ReadonlyArray<readonly [RegExp, string]> = [
  // The secret is never shown to an agent: create and rotate write it to a file and return the path.
  [
    /Pass --secret-file <path> \(or - for stdin\), or set ANCHOR_WEBHOOK_SECRET\. It was shown once when the webhook was created; `anchor webhooks rotate-secret` mints a new one\./g,
    "Pass secret_file: the path create_webhook or rotate_webhook_secret returned (each secret is written to a 0600 file in the server's secret folder, never shown), or set ANCHOR_WEBHOOK_SECRET in the MCP server's environment. rotate_webhook_secret mints a new one.",
  ],
  [
    /it was shown once when the webhook was created/g,
    "create_webhook and rotate_webhook_secret wrote it to a file in the server's secret folder and returned its path",
  ],
  // No tool argument lifts the URL rules: the server's environment does, as for the command line.
  [
    /the emulator with --allow-local-targets/g,
    "the emulator, with ANCHOR_ALLOW_LOCAL_TARGETS=1 in the MCP server's environment (ask the user: a tool argument cannot lift the rules)",
  ],
  [
    /pass --allow-local-targets(?: \(and start the emulator with it\))?/g,
    "set ANCHOR_ALLOW_LOCAL_TARGETS=1 in the MCP server's environment (ask the user: a tool argument cannot lift the rules; the emulator must allow local targets too)",
  ],
  [
    /Run `anchor auth login` \(or set ANCHOR_API_KEY\)\./g,
    'The MCP server needs a key: ask the user to set ANCHOR_API_KEY in its environment, or to run `anchor auth login` in a terminal.',
  ],
  // A usage line is the command line's syntax: the tool's input schema says the same for a model.
  [/(^|\n)Usage: anchor [^\n]*/g, "$1See the tool's input schema for its arguments."],
  [/; exit \d+ unless it succeeded/g, '; the call fails unless it succeeded'],
  [/,? ?\(?(?:with |on )?exit(?: code)? \d+\)?/g, ''],
  [/ \(repeat, or a comma list\)/g, ' (a list)'],
];

/** Flags every tool understands the same way, or that have no argument: what to say instead. */
const COMMON_FLAGS: Readonly<Record<string, string>> = {
  '--yes': '"confirm": true',
  '--enable': '"enabled": true',
  '--disable': '"enabled": false',
  '--follow': 'list_deliveries',
  '--all': 'offset and limit',
  '--json': 'the structured result',
  '--debug': "the server's --debug log",
  '--secret-file': 'secret_file',
  '--wait-timeout': 'wait_timeout_seconds',
};

let toolOfCommand: ReadonlyMap<string, string> | undefined;

/** Says `text` in the tool's terms. `tools` are every tool the server has (commands → tools). */
export function inModelWords(text: string, tool: ToolDef, tools: readonly ToolDef[]): string {
  toolOfCommand ??= new Map(tools.map((t) => [t.command, t.name] as const));
  const argOfFlag = new Map<string, string>();
  for (const [name, arg] of Object.entries(tool.args)) for (const flag of arg.flags ?? []) argOfFlag.set(flag, name);
  let said = text;
  for (const [pattern, replacement] of PHRASES) said = said.replace(pattern, replacement);
  // A command for the user stays as they would type it: set aside while flags are renamed.
  const forUser: string[] = [];
  said = said.replace(/`anchor ([^`]*)`/g, (whole: string, line: string, at: number, all: string) => {
    const name = toolNamed(line, toolOfCommand!);
    if (name) return name;
    // "ask the user to run `anchor …` in a terminal" says so already.
    const said = all.startsWith(' in a terminal', at + whole.length);
    forUser.push(`\`anchor ${line}\`${said ? '' : ` (${FOR_USER})`}`);
    return `\uE000${forUser.length - 1}\uE001`;
  });
  said = said.replace(/(^|[^\w-])(--[a-z][a-z0-9-]*)(?:[ =](<[^>]*>))?/g, (_m, before: string, flag: string) => {
    const name = argOfFlag.get(flag) ?? COMMON_FLAGS[flag] ?? flag.slice(2).replace(/-/g, '_');
    return `${before}${name}`;
  });
  // A flag and its twin (`--description`, `--no-description`) are one argument: named once in a list.
  said = said.replace(/\b([a-z_]+)((?:, \1\b)+)/g, '$1');
  return said.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => forUser[Number(i)]!);
}

/** How a command that no tool runs is handed on: only the user can run it. */
export const FOR_USER = 'a command for the user to run in a terminal';

/** `anchor webhooks deliveries wh_1 --follow` → `list_deliveries`, or undefined when no tool runs it. */
function toolNamed(line: string, toolOf: ReadonlyMap<string, string>): string | undefined {
  const words = line.trim().split(/\s+/);
  for (let n = Math.min(words.length, 3); n > 0; n--) {
    const command = words.slice(0, n).join(' ');
    // A group run alone runs its default command (`webhooks received` is `webhooks received list`).
    const name = toolOf.get(command) ?? (n === words.length ? toolOf.get(`${command} list`) : undefined);
    if (name) return name;
  }
  return undefined;
}
