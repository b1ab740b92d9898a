// `anchor auth login`: its flags and help. The command is in handler.ts.
import { command } from '../../spec.js';
import { bool, onUnlessNo } from '../../flag-builders.js';

export const loginCommand = command(
  {
    id: 'auth login',
    description:
      'store the API key for a profile (masked prompt, or stdin with --with-key); checks it against the API first',
  },
  () => ({
    flags: {
      withKey: bool('--with-key', 'read the key from stdin instead of prompting'),
      verify: onUnlessNo('--no-verify', 'store the key without checking it against the API'),
    },
    examples: [
      'anchor auth login',
      'printf %s "$ANCHOR_KEY" | anchor auth login --with-key',
      'anchor auth login --profile staging --api-url https://staging.example.com',
    ],
  }),
);
