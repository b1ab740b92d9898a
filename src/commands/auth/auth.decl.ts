// `anchor auth login|status|logout`: flags and help. The commands are in login.ts, status.ts, logout.ts.
import { command } from '../spec.js';
import { bool, onUnlessNo } from '../flag-builders.js';

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

export const statusCommand = command(
  {
    id: 'auth status',
    description: 'show the profile, API URL and key in use, and whether the API accepts the key',
  },
  () => ({
    flags: {},
    examples: ['anchor auth status', 'anchor auth status --profile staging --json'],
  }),
);

export const logoutCommand = command(
  {
    id: 'auth logout',
    description: 'forget the stored key of the profile',
  },
  () => ({
    flags: {},
    examples: ['anchor auth logout', 'anchor auth logout --profile staging'],
  }),
);
