// `anchor events trigger`: its declaration. The command is in handler.ts.
import { CHAOS_HELP, CHAOS_KINDS, SCENARIO_NAMES, SCENARIOS } from '../../../core/scenarios.js';
import { command } from '../../spec.js';
import { choice, choiceList, many, readSecretFileFlag, text } from '../../flag-builders.js';
import { durationOr, httpUrl } from '../../value-flags.js';
import { typeArg } from '../shared/type-arg.js';

export const triggerCommand = command(
  {
    id: 'events trigger',
    description: 'sign an example (or given) event exactly as Anchor does and POST it to your local endpoint',
  },
  () => ({
    args: [typeArg],
    flags: {
      forwardTo: httpUrl('--forward-to <url>', 'where to POST it, e.g. http://localhost:3000/webhooks/anchor'),
      payload: {
        ...text('--payload <file|->', 'send this body instead of the example envelope', { completes: 'files' }),
        conflicts: { scenario: 'sends one body of your own' },
      },
      set: many(
        '--set <path=value>',
        'override a field of the envelope by dotted path (data.task_id=abc); the value is JSON when it parses, else a string',
      ),
      scenario: choice(
        '--scenario <name>',
        'play a scenario of linked events in order',
        SCENARIO_NAMES,
        Object.fromEntries(SCENARIOS.map((s) => [s.name, s.description])),
      ),
      delay: durationOr(
        '--delay <duration>',
        'wait between the deliveries of a scenario, e.g. 250 (ms), 250ms or 2s',
        '0',
        { bare: 'ms', min: 0, max: 60_000, examples: '250, 250ms or 2s' },
      ),
      chaos: choiceList(
        '--chaos <kinds>',
        'add the deliveries a robust receiver must survive, and grade its answers (exit 6 on a wrong one)',
        CHAOS_KINDS,
        CHAOS_HELP,
      ),
      secretFile: {
        ...readSecretFileFlag(),
        description:
          'read the secret to sign with from this file (- for stdin); else ANCHOR_WEBHOOK_SECRET, else the forwarding secret (`anchor webhooks listen --print-secret`)',
      },
    },
    examples: [
      'anchor events trigger task.failed --forward-to http://localhost:3000/webhooks/anchor --secret-file ./anchor-secret',
      'anchor events trigger task.completed --set data.task_id=tsk_123 --set \'data.output={"ok":true}\' --forward-to http://localhost:3000/hooks',
      'anchor events trigger --scenario human-in-the-loop --forward-to http://localhost:3000/hooks --chaos duplicate,reorder,stale,bad-signature',
    ],
  }),
);
