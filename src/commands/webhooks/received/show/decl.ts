// `anchor webhooks received show`: its declaration. The command is in handler.ts.
import { arg, command } from '../../../spec.js';

export const receivedShowCommand = command(
  {
    id: 'webhooks received show',
    description: 'one recorded request: headers, body, checks and diagnosis, the app’s answer',
  },
  () => ({
    args: [arg('[record-id]', 'the record id (rec_…), from `anchor webhooks received`')],
    flags: {},
    examples: [
      'anchor webhooks received show rec_0m1a2b3c4001ab',
      'anchor webhooks received show rec_0m1a2b3c4001ab --json',
    ],
  }),
);
