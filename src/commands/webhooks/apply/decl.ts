// `anchor webhooks apply`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { bool, text } from '../../flag-builders.js';

export const applyCommand = command(
  {
    id: 'webhooks apply',
    description: "make the project's webhooks match a file: plan, confirm, then deletes, updates and creates",
  },
  () => ({
    flags: {
      file: text('-f, --file <file|->', 'the apply file, YAML or JSON (- for stdin)', { completes: 'files' }),
      prune: bool('--prune', 'also delete the webhooks the file does not list'),
      dryRun: bool('--dry-run', 'print the plan and send nothing'),
      check: bool('--check', 'send nothing; exit 6 when anything would change (a drift gate for CI)'),
      yes: bool('-y, --yes', 'do not ask for confirmation (required without a terminal)'),
      secretDir: text(
        '--secret-dir <dir>',
        "write each created webhook's secret to <dir>/<id>.secret (mode 0600); required to create without a terminal",
        { completes: 'files', nonEmpty: 'give a folder' },
      ),
      allowLocalTargets: bool(
        '--allow-local-targets',
        'allow http:// and local URLs in the file (for the emulator; env ANCHOR_ALLOW_LOCAL_TARGETS=1)',
      ),
    },
    examples: [
      'anchor webhooks apply -f anchor-webhooks.yaml',
      'anchor webhooks apply -f anchor-webhooks.yaml --dry-run        # in CI on pull requests: the plan',
      'anchor webhooks apply -f anchor-webhooks.yaml --yes --secret-dir "$RUNNER_TEMP/anchor"   # on main',
      'anchor webhooks apply -f anchor-webhooks.yaml --check          # then: exit 6 if anything still differs',
      'anchor webhooks export | anchor webhooks apply -f - --check',
    ],
  }),
);
