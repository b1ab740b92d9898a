// `anchor mcp`: its flags and help. The command is in handler.ts, the server in src/mcp/.
import { command, FlagError, type Flag } from '../spec.js';
import { bool, splitList, text } from '../flag-builders.js';
import { didYouMean } from '../../lib/suggest.js';

/**
 * The names of the server's tools, here so that --tools and --exclude-tools check and complete them
 * without building a tool (a declaration loads at start). A test checks that they are exactly the
 * names src/mcp/tools.ts builds.
 */
export const TOOL_NAMES = [
  'list_webhooks',
  'get_webhook',
  'create_webhook',
  'update_webhook',
  'delete_webhook',
  'rotate_webhook_secret',
  'send_test_event',
  'list_deliveries',
  'list_event_types',
  'describe_event_type',
  'verify_signature',
  'list_received',
  'replay',
  'check_receiver',
  'trigger_event',
] as const;

/** A comma list of tool names, each one of the server's: a typo is refused with the name meant. */
function toolNames(flags: string, description: string): Flag<string[] | undefined> {
  return {
    flags,
    description,
    type: 'string[]',
    repeat: true,
    completes: TOOL_NAMES,
    parse: (raw) => {
      if (raw === undefined) return undefined;
      const names = splitList(Array.isArray(raw) ? raw.map(String) : [String(raw)]);
      if (names.length === 0) throw new FlagError('give at least one tool name');
      const bad = names.find((n) => !(TOOL_NAMES as readonly string[]).includes(n));
      if (bad !== undefined)
        throw new FlagError(
          `"${bad}" is not a tool of anchor mcp.${didYouMean(bad, TOOL_NAMES)}`,
          `The tools: ${TOOL_NAMES.join(', ')}.`,
        );
      return names;
    },
  };
}

export const mcpCommand = command(
  {
    id: 'mcp',
    description:
      'serve the Model Context Protocol on stdio: Anchor webhooks as tools for AI agents, no secret in the conversation',
  },
  () => ({
    flags: {
      readOnly: bool('--read-only', 'offer only the tools that change nothing'),
      tools: toolNames('--tools <names>', 'offer only these tools (a comma list)'),
      excludeTools: toolNames('--exclude-tools <names>', 'offer every tool but these (a comma list)'),
      secretDir: text(
        '--secret-dir <dir>',
        'where created and rotated secrets are written, 0600 (default: the state folder)',
        {
          completes: 'files',
          nonEmpty: 'give a folder',
        },
      ),
    },
    examples: [
      'anchor mcp',
      'anchor mcp --read-only',
      'anchor mcp --tools list_webhooks,list_deliveries,send_test_event',
      'anchor mcp --exclude-tools delete_webhook,rotate_webhook_secret',
      'claude mcp add anchor -e ANCHOR_API_KEY="$ANCHOR_API_KEY" -- anchor mcp --secret-dir "$PWD/.anchor-secrets"',
    ],
  }),
);
