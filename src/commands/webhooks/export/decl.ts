// `anchor webhooks export`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { choice } from '../../flag-builders.js';

export const EXPORT_FORMATS = ['yaml', 'json'] as const;

export const exportCommand = command(
  {
    id: 'webhooks export',
    description: "the project's webhooks as an apply file, to keep in your repository",
  },
  () => ({
    flags: {
      format: choice('--format <format>', 'file format (yaml by default)', EXPORT_FORMATS),
    },
    examples: [
      'anchor webhooks export > anchor-webhooks.yaml',
      'anchor webhooks export --format json | anchor webhooks apply -f - --check',
    ],
  }),
);
