// The command tree: commander declarations and help text only. Each action loads its module
// lazily, so `anchor --help` costs commander and nothing else.
import { Argument, Command, Option } from 'commander';
import { UsageError } from './errors.js';

/** What an action hands to its command module: positional arguments and raw flag values. */
export interface RawInput {
  args: string[];
  opts: Record<string, unknown>;
  /** Global options merged in by commander, unvalidated. */
  globals: Record<string, unknown>;
  /** The whole command tree (for `completion`), so no command module imports this file. */
  root: Command;
}

/** Every command the tree can dispatch; the loader map in cli.ts must have exactly these keys. */
export type CommandId =
  | 'emulator'
  | 'completion'
  | 'auth login'
  | 'auth status'
  | 'auth logout'
  | 'config path'
  | 'config list'
  | 'config get'
  | 'config set'
  | 'config unset'
  | 'webhooks create'
  | 'webhooks list'
  | 'webhooks get'
  | 'webhooks update'
  | 'webhooks enable'
  | 'webhooks disable'
  | 'webhooks delete'
  | 'webhooks rotate-secret'
  | 'webhooks test'
  | 'webhooks deliveries'
  | 'webhooks verify'
  | 'webhooks sign'
  | 'webhooks listen'
  | 'events trigger'
  | 'events list'
  | 'events show';

export type Dispatch = (commandId: CommandId, input: RawInput) => Promise<void>;

export interface ProgramIO {
  writeOut: (s: string) => void;
  writeErr: (s: string) => void;
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

const GLOBAL_OPTION_NAMES = ['json', 'profile', 'apiUrl', 'timeout', 'input', 'color', 'debug'];

/**
 * For a help request, the first word that names no command where one is expected (commander would
 * show the parent's help for it), with the names it could have been; undefined when all is known.
 */
export function unknownCommandWord(
  program: Command,
  argv: readonly string[],
): { word: string; parent: Command } | undefined {
  let cmd = program;
  for (const word of argv) {
    if (word.startsWith('-')) continue;
    if (cmd.commands.length === 0) return undefined;
    const next = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) return { word, parent: cmd };
    cmd = next;
  }
  return undefined;
}

export function buildProgram(dispatch: Dispatch, io: ProgramIO): Command {
  const program = new Command('anchor');
  program
    .description('Manage, test and debug Anchor Browser webhooks from the terminal and CI.')
    .version(__ANCHOR_VERSION__, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand(false)
    .option('--json', 'machine output: one JSON document on stdout, errors as JSON on stderr')
    .option('--profile <name>', 'credential profile (env ANCHOR_PROFILE)')
    .option('--api-url <url>', 'API base URL (env ANCHOR_API_URL)')
    .option('--timeout <seconds>', 'per-request timeout in seconds', '30')
    .option('--no-input', 'never prompt (implied without a terminal or when CI is set)')
    .option('--no-color', 'no colour (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('--debug', 'trace HTTP requests on stderr, secrets redacted')
    .configureHelp({
      showGlobalOptions: true,
      // Defaults written one way everywhere: "(default: 30)", never quoted, never "(default 30)".
      optionDescription: (option) => {
        const shown =
          option.defaultValueDescription ??
          (option.defaultValue === undefined || typeof option.defaultValue === 'boolean'
            ? undefined
            : String(option.defaultValue));
        return shown === undefined ? option.description : `${option.description} (default: ${shown})`;
      },
    })
    .configureOutput({ writeOut: io.writeOut, writeErr: io.writeErr, outputError: () => {} })
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText(
      'after',
      examples(
        'printf %s "$ANCHOR_KEY" | anchor auth login --with-key',
        'anchor webhooks create --url https://example.com/hooks --event task.completed,task.failed',
        "anchor webhooks list --json | jq -r '.[].id'",
        'anchor webhooks test wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --event task.completed --wait',
        'anchor webhooks verify --signature "$SIG" --payload body.json --secret-file ./anchor-secret',
        'anchor emulator --port 0 --allow-local-targets',
      ) + '\nLearn more about a command with `anchor <command> --help`.\n',
    );

  const action =
    (commandId: CommandId) =>
    async (...received: unknown[]): Promise<void> => {
      const cmd = received.at(-1) as Command;
      const clash = contradictions(cmd);
      if (clash) throw new UsageError(`${clash[0]} and ${clash[1]} contradict each other; give one of them`);
      const all = cmd.optsWithGlobals();
      const globals: Record<string, unknown> = {};
      for (const name of GLOBAL_OPTION_NAMES) globals[name] = all[name];
      let root = cmd;
      while (root.parent) root = root.parent;
      await dispatch(commandId, {
        args: cmd.args.slice(0, cmd.registeredArguments.length),
        opts: cmd.opts(),
        globals,
        root,
      });
    };

  program
    .command('emulator')
    .description('run a local Anchor webhooks API: the 8 endpoints, signed deliveries with retries, the delivery log')
    .option('--port <port>', 'port to listen on; 0 takes a free one', '4010')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .addOption(
      new Option('--api-key <key...>', 'accept only these API keys (default: any non-empty key, a project per key)'),
    )
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

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  const group = (name: string, description: string, ...lines: string[]) =>
    program
      .command(name)
      .description(description)
      .helpCommand(false)
      .addHelpText('after', examples(...lines));

  // auth
  const auth = group(
    'auth',
    'log in, check and forget the API key',
    'anchor auth login',
    'printf %s "$KEY" | anchor auth login --with-key --profile staging',
    'anchor auth status',
  );
  auth
    .command('login')
    .description(
      'store the API key for a profile (masked prompt, or stdin with --with-key); checks it against the API first',
    )
    .option('--with-key', 'read the key from stdin instead of prompting')
    .option('--no-verify', 'store the key without checking it against the API')
    .addHelpText(
      'after',
      examples(
        'anchor auth login',
        'printf %s "$ANCHOR_KEY" | anchor auth login --with-key',
        'anchor auth login --profile staging --api-url https://staging.example.com',
      ),
    )
    .action(action('auth login'));
  auth
    .command('status')
    .description('show the profile, API URL and key in use, and whether the API accepts the key')
    .addHelpText('after', examples('anchor auth status', 'anchor auth status --profile staging --json'))
    .action(action('auth status'));
  auth
    .command('logout')
    .description('forget the stored key of the profile')
    .addHelpText('after', examples('anchor auth logout', 'anchor auth logout --profile staging'))
    .action(action('auth logout'));

  // config
  const config = group(
    'config',
    'non-secret settings per profile (api-url)',
    'anchor config set api-url http://127.0.0.1:4010',
    'anchor config list --profile staging',
    'anchor config path',
  );
  config
    .command('path')
    .description('print the config file path')
    .addHelpText('after', examples('anchor config path'))
    .action(action('config path'));
  config
    .command('list')
    .description('list the settings of the profile')
    .addHelpText('after', examples('anchor config list', 'anchor config list --profile staging --json'))
    .action(action('config list'));
  config
    .command('get')
    .description('print one setting')
    .argument('<key>', 'setting name: api-url')
    .addHelpText('after', examples('anchor config get api-url'))
    .action(action('config get'));
  config
    .command('set')
    .description('set a setting (validated first)')
    .argument('<key>', 'setting name: api-url')
    .argument('<value>', 'the value')
    .addHelpText(
      'after',
      examples(
        'anchor config set api-url https://api.anchorbrowser.io',
        'anchor config set api-url http://127.0.0.1:4010 --profile emulator',
      ),
    )
    .action(action('config set'));
  config
    .command('unset')
    .description('remove a setting')
    .argument('<key>', 'setting name: api-url')
    .addHelpText('after', examples('anchor config unset api-url'))
    .action(action('config unset'));

  // webhooks
  const webhooks = group(
    'webhooks',
    'manage webhooks, send test events, read the delivery log, verify and sign deliveries, listen locally',
    'anchor webhooks create --url https://example.com/hooks --event task.completed --secret-file ./anchor-secret',
    'anchor webhooks list',
    'anchor webhooks update wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --add-event task.failed',
    'anchor webhooks delete wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --yes',
  );
  webhooks
    .command('create')
    .description('create a webhook; its signing secret is shown once (or written to --secret-file)')
    .option('--url <url>', 'https:// endpoint Anchor will POST events to')
    .option('--event <type>', 'event type to subscribe to; repeat it or give a comma list', collect)
    .option('--description <text>', 'what the webhook is for (at most 256 characters)')
    .option('--secret-file <path>', 'write the secret to this new file (mode 0600) instead of printing it')
    .option(
      '--allow-local-targets',
      'allow http:// and local URLs (for the emulator; env ANCHOR_ALLOW_LOCAL_TARGETS=1)',
    )
    .option('-i, --interactive', 'ask for what the flags do not give (the default in a terminal without --url/--event)')
    .option('--dry-run', 'print the request (key redacted) and send nothing')
    .addHelpText(
      'after',
      examples(
        'anchor webhooks create          # in a terminal: asks for the URL, events and description',
        'anchor webhooks create --url https://example.com/hooks --event task.completed --event task.failed',
        'anchor webhooks create --url https://example.com/hooks --event task.completed,session.failed --description "prod alerts"',
        'anchor webhooks create --url https://example.com/hooks --event task.completed --secret-file ./anchor-secret --json',
        'anchor webhooks create --url https://example.com/hooks --event task.completed --dry-run',
      ),
    )
    .action(action('webhooks create'));
  webhooks
    .command('list')
    .alias('ls')
    .description("list the project's webhooks")
    .addHelpText(
      'after',
      examples('anchor webhooks list', "anchor webhooks list --json | jq -r '.[] | select(.enabled) | .id'"),
    )
    .action(action('webhooks list'));
  webhooks
    .command('get')
    .description('show one webhook')
    .argument('[id]', 'webhook id (wh_…)')
    .addHelpText('after', examples('anchor webhooks get wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --json'))
    .action(action('webhooks get'));
  webhooks
    .command('update')
    .description('change a webhook; only the fields given are sent')
    .argument('[id]', 'webhook id (wh_…)')
    .option('--url <url>', 'new https:// endpoint')
    .option('--description <text>', 'new description')
    .option('--no-description', 'clear the description')
    .option('--event <type>', 'replace the subscribed events (repeat, or a comma list)', collect)
    .option('--add-event <type>', 'subscribe to more event types', collect)
    .option('--remove-event <type>', 'unsubscribe from event types', collect)
    .option('--enable', 'enable the webhook')
    .option('--disable', 'disable the webhook: no new events fan out to it')
    .option('--allow-local-targets', 'allow http:// and local URLs (for the emulator)')
    .option('-i, --interactive', 'ask for each field with the current values filled in; only changes are sent')
    .option('--dry-run', 'print the request (key redacted) and send nothing')
    .addHelpText(
      'after',
      examples(
        'anchor webhooks update wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y -i',
        'anchor webhooks update wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --add-event task.failed --remove-event task.cancelled',
        'anchor webhooks update wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --url https://new.example.com/hooks --no-description',
      ),
    )
    .action(action('webhooks update'));
  for (const verb of ['enable', 'disable'] as const) {
    webhooks
      .command(verb)
      .description(verb === 'enable' ? 'enable a webhook' : 'disable a webhook: no new events fan out to it')
      .argument('[id]', 'webhook id (wh_…)')
      .option('--dry-run', 'print the request (key redacted) and send nothing')
      .addHelpText('after', examples(`anchor webhooks ${verb} wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y`))
      .action(action(`webhooks ${verb}`));
  }
  webhooks
    .command('delete')
    .alias('rm')
    .description('delete a webhook after confirmation; its delivery log stays readable for 7 days')
    .argument('[id]', 'webhook id (wh_…)')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--dry-run', 'print the request (key redacted) and send nothing')
    .addHelpText(
      'after',
      examples(
        'anchor webhooks delete wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y',
        'anchor webhooks delete wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --yes --json',
      ),
    )
    .action(action('webhooks delete'));
  webhooks
    .command('rotate-secret')
    .description('mint a new signing secret after confirmation; the old one stays valid for 24 hours')
    .argument('[id]', 'webhook id (wh_…)')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--secret-file <path>', 'write the new secret to this new file (mode 0600) instead of printing it')
    .option('--dry-run', 'print the request (key redacted) and send nothing')
    .addHelpText(
      'after',
      examples('anchor webhooks rotate-secret wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --yes --secret-file ./new-secret'),
    )
    .action(action('webhooks rotate-secret'));

  webhooks
    .command('test')
    .description("send a test event through Anchor's real signing and retry path")
    .argument('[id]', 'webhook id (wh_…)')
    .option('--event <type>', 'the event type to send (in a terminal, asked when missing)')
    .option('--wait', 'follow the delivery log until the delivery ends; exit 6 unless it succeeded')
    .option('--wait-timeout <seconds>', 'how long --wait waits (default: 60); exit 1 when it runs out')
    .addHelpText(
      'after',
      examples(
        'anchor webhooks test wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --event task.completed',
        'anchor webhooks test wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --event task.failed --wait --wait-timeout 120 --json',
      ),
    )
    .action(action('webhooks test'));
  webhooks
    .command('deliveries')
    .description('the delivery log of a webhook: every attempt, kept 7 days')
    .argument('[id]', 'webhook id (wh_…)')
    .option('--status <status>', 'only pending, succeeded, failed or dead deliveries')
    .option('--event <type>', 'only this event type')
    .option('--since <time>', 'scheduled at or after: ISO time or relative (30m, 1h, 2d)')
    .option('--until <time>', 'scheduled at or before: ISO time or relative')
    .option('--limit <n>', 'rows per page, 1-100 (default: 25)')
    .option('--offset <n>', 'rows to skip')
    .option('--all', 'fetch every page')
    .option('--payload', "include each delivery's event data")
    .option('--follow', 'keep printing new and changed rows until Ctrl-C (NDJSON with --json)')
    .option('--interval <seconds>', 'how often --follow polls (default: 2)')
    .addHelpText(
      'after',
      examples(
        'anchor webhooks deliveries wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --status dead --since 1d',
        "anchor webhooks deliveries wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --all --json | jq '.events | length'",
        'anchor webhooks deliveries wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --follow',
      ),
    )
    .action(action('webhooks deliveries'));

  // verify, sign, listen and trigger read the webhook secret; create and rotate-secret write one.
  const readSecretFile = [
    '--secret-file <path>',
    'read the webhook secret from this file (- for stdin); or set ANCHOR_WEBHOOK_SECRET',
  ] as const;
  webhooks
    .command('verify')
    .description('check a delivery offline as a receiver must; on failure, say which check failed and why')
    .option('--signature <header>', 'the Anchor-Signature header as received (t=…,v1=…)')
    .option('--timestamp <t>', 'the Anchor-Timestamp header, to check it matches t=')
    .option('--payload <file|->', 'the raw body as received (- for stdin; stdin by default when piped)')
    .option('--tolerance <seconds>', 'replay window either way (default: 120)')
    .option('--now <t>', 'check freshness as of this time (Unix seconds or ISO), e.g. for a stored delivery')
    .option(...readSecretFile)
    .addHelpText(
      'after',
      examples(
        'anchor webhooks verify --signature "$SIG" --timestamp "$TS" --payload body.json --secret-file ./anchor-secret',
        'ANCHOR_WEBHOOK_SECRET=… anchor webhooks verify --signature "$SIG" --payload - --json < body.json',
      ),
    )
    .action(action('webhooks verify'));
  webhooks
    .command('sign')
    .description('print the Anchor-* headers Anchor would send with a body, for test fixtures')
    .option('--timestamp <t>', 'sign as of this time (Unix seconds or ISO) (default: now)')
    .option('--payload <file|->', 'the body to sign (- for stdin; stdin by default when piped)')
    .option(...readSecretFile)
    .addHelpText(
      'after',
      examples(
        'anchor webhooks sign --payload fixture.json --secret-file ./anchor-secret',
        'anchor webhooks sign --payload fixture.json --timestamp 1716544084 --json',
      ),
    )
    .action(action('webhooks sign'));
  webhooks
    .command('listen')
    .description(
      'a local receiver: verifies every delivery, drops replays and duplicates, prints each event, can forward to your app',
    )
    .option('--port <port>', 'port to listen on; 0 takes a free one (default: 4242)')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--path <path>', 'path deliveries arrive at', '/')
    .option('--events <types>', 'only these event types (comma list); others are acknowledged and skipped')
    .option(
      '--forward-to <url>',
      'relay each verified delivery (raw body and headers) to your local app, answering with its status',
    )
    .option(
      '--register <public-url>',
      'create a temporary webhook pointing at this public (tunnel) URL, use its secret, delete it on exit',
    )
    .option(
      '--allow-local-targets',
      'with --register: allow http:// and local URLs (for the emulator; env ANCHOR_ALLOW_LOCAL_TARGETS=1)',
    )
    .option(...readSecretFile)
    .addHelpText(
      'after',
      examples(
        'anchor webhooks listen --secret-file ./anchor-secret --forward-to http://localhost:3000/webhooks/anchor',
        'anchor webhooks listen --register https://abc123.ngrok.app/ --forward-to http://localhost:3000/webhooks/anchor',
        'anchor webhooks listen --port 0 --json | jq -r .type',
      ),
    )
    .action(action('webhooks listen'));

  // events
  const events = group(
    'events',
    'the event types Anchor delivers, and what their payloads look like',
    'anchor events list',
    'anchor events show task.failed',
  );
  events
    .command('list')
    .description('every event type, grouped by entity, with when it fires')
    .addHelpText('after', examples('anchor events list', "anchor events list --json | jq -r '.[].type'"))
    .action(action('events list'));
  events
    .command('show')
    .description('one event type: when it fires, its data fields and an example envelope')
    .argument('[type]', 'event type, e.g. task.completed')
    .addHelpText(
      'after',
      examples('anchor events show task.completed', 'anchor events show session.recording.ready --json | jq .example'),
    )
    .action(action('events show'));
  events
    .command('trigger')
    .description('sign an example (or given) event exactly as Anchor does and POST it to your local endpoint')
    .argument('[type]', 'event type, e.g. task.completed')
    .option('--forward-to <url>', 'where to POST it, e.g. http://localhost:3000/webhooks/anchor')
    .option('--payload <file|->', 'send this body instead of the example envelope')
    .option(...readSecretFile)
    .addHelpText(
      'after',
      examples(
        'anchor events trigger task.failed --forward-to http://localhost:3000/webhooks/anchor --secret-file ./anchor-secret',
      ),
    )
    .action(action('events trigger'));

  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      examples(
        'anchor completion bash > ~/.local/share/bash-completion/completions/anchor',
        'anchor completion zsh > "${fpath[1]}/_anchor"',
        'anchor completion fish > ~/.config/fish/completions/anchor.fish',
      ),
    )
    .action(action('completion'));

  trackGivenFlags(program);
  return program;
}

/** The long flags given on the command line, per command (commander keeps only the last value). */
const givenFlags = new WeakMap<Command, Set<string>>();

function trackGivenFlags(cmd: Command): void {
  const given = new Set<string>();
  givenFlags.set(cmd, given);
  for (const o of cmd.options) if (o.long) cmd.on(`option:${o.name()}`, () => given.add(o.long!));
  for (const sub of cmd.commands) trackGivenFlags(sub);
}

/** A flag given together with its own negation (`--description x --no-description`). */
function contradictions(cmd: Command): [string, string] | undefined {
  const given = givenFlags.get(cmd);
  for (const flag of given ?? []) {
    if (flag.startsWith('--no-') && given!.has(`--${flag.slice(5)}`)) return [`--${flag.slice(5)}`, flag];
  }
  return undefined;
}
