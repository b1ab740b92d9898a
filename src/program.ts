// The command tree: commander declarations and help text only. Each action loads its module
// lazily, so `anchor --help` costs commander and nothing else.
import { Command, Option } from 'commander';

/** What an action hands to its command module: positional arguments and raw flag values. */
export interface RawInput {
  args: string[];
  opts: Record<string, unknown>;
  /** Global options merged in by commander, unvalidated. */
  globals: Record<string, unknown>;
}

export type Dispatch = (commandId: string, input: RawInput) => Promise<void>;

export interface ProgramIO {
  writeOut: (s: string) => void;
  writeErr: (s: string) => void;
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

const GLOBAL_OPTION_NAMES = ['json', 'profile', 'apiUrl', 'timeout', 'input', 'color', 'debug'];

export function buildProgram(dispatch: Dispatch, io: ProgramIO): Command {
  const program = new Command('anchor');
  program
    .description('Manage, test and debug Anchor Browser webhooks from the terminal and CI.')
    .version(__ANCHOR_VERSION__, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addHelpCommand(false)
    .option('--json', 'machine output: one JSON document on stdout, errors as JSON on stderr')
    .option('--profile <name>', 'credential profile (env ANCHOR_PROFILE)')
    .option('--api-url <url>', 'API base URL (env ANCHOR_API_URL)')
    .option('--timeout <seconds>', 'per-request timeout in seconds', '30')
    .option('--no-input', 'never prompt (implied without a terminal or when CI is set)')
    .option('--no-color', 'no colour (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('--debug', 'trace HTTP requests on stderr, secrets redacted')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: io.writeOut, writeErr: io.writeErr, outputError: () => {} })
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText(
      'after',
      examples(
        'anchor emulator --port 0 --allow-local-targets',
        'anchor --version',
      ) + '\nLearn more about a command with `anchor <command> --help`.\n',
    );

  const action =
    (commandId: string) =>
    async (...received: unknown[]): Promise<void> => {
      const cmd = received.at(-1) as Command;
      const all = cmd.optsWithGlobals();
      const globals: Record<string, unknown> = {};
      for (const name of GLOBAL_OPTION_NAMES) globals[name] = all[name];
      await dispatch(commandId, { args: cmd.args.slice(0, cmd.registeredArguments.length), opts: cmd.opts(), globals });
    };

  program
    .command('emulator')
    .description('run a local Anchor webhooks API: the 8 endpoints, signed deliveries with retries, the delivery log')
    .option('--port <port>', 'port to listen on (0 takes a free port)', '4010')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .addOption(new Option('--api-key <key...>', 'accept only these API keys (default: any non-empty key, a project per key)'))
    .option('--allow-local-targets', 'accept http:// and loopback/private webhook URLs, for local receivers')
    .option('--retry-delays <list>', 'waits after attempts 1-5, e.g. 250ms,1s,30s,5m,1h', '500ms,1s,2s,5s,10s')
    .addHelpText(
      'after',
      examples(
        'anchor emulator --port 0 --allow-local-targets',
        'anchor emulator --api-key test_key_1 --retry-delays 10ms,10ms,10ms,10ms,10ms',
        'export ANCHOR_API_URL=http://127.0.0.1:4010 ANCHOR_API_KEY=any-key',
      ),
    )
    .action(action('emulator'));

  return program;
}
