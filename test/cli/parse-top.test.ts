// Parser tables for the top-level commands: emulator, mcp and completion (emulator's typed
// options are also tabled in parser.test.ts). argv → the output, or the usage error, exit 2.
import { describe } from 'vitest';
import { parserTable, usage } from '../helpers/parser-table.js';

describe('emulator, mcp, completion', () => {
  parserTable([
    { argv: ['completion', 'bash'], code: 0, stdout: /^# bash completion for anchor/ },
    { argv: ['completion', 'zsh'], code: 0, stdout: /anchor/ },
    { argv: ['completion', 'fish'], code: 0, stdout: /complete -c anchor/ },
    usage(['completion'], "missing required argument 'shell'"),
    usage(
      ['completion', 'tcsh'],
      "command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.",
    ),
    usage(['emulator', '--port', 'abc'], 'invalid --port "abc": must be a port number'),
    usage(['emulator', '--retry-delays', 'soon'], 'invalid --retry-delays "soon"'),
    usage(['emulator', '--api-key', ''], 'an API key must not be empty'),
    usage(['mcp', '--bogus'], "unknown option '--bogus'"),
    usage(['mcp', 'extra'], 'too many arguments'),
    usage(
      ['mcp', '--tools', 'list_webhook'],
      /"list_webhook" is not a tool of anchor mcp\. Did you mean "list_webhooks"/,
    ),
    usage(['mcp', '--exclude-tools', 'list_webhooks,replai'], /"replai" is not a tool.*Did you mean "replay"/),
    usage(['mcp', '--tools', ','], 'invalid --tools ",": give at least one tool name'),
    usage(['mcp', '--read-only', '--tools', 'replay'], '--tools names replay, which --read-only does not offer'),
  ]);
});
