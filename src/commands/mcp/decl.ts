// `anchor mcp`: its flags and help. The command is in handler.ts, the server in src/mcp/.
import { command } from '../spec.js';
import { bool, text } from '../flag-builders.js';

export const mcpCommand = command(
  {
    id: 'mcp',
    description:
      'serve the Model Context Protocol on stdio: Anchor webhooks as tools for AI agents, no secret in the conversation',
  },
  () => ({
    flags: {
      readOnly: bool('--read-only', 'offer only the tools that change nothing'),
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
      'claude mcp add anchor -- anchor mcp --secret-dir ./.anchor-secrets',
    ],
  }),
);
