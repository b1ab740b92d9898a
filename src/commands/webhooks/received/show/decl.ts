// `anchor webhooks received show`: its declaration. The command is in handler.ts.
import { arg, command } from '../../../spec.js';

export const receivedShowCommand = command(
  {
    id: 'webhooks received show',
    description: 'one recorded request: headers, body, checks and diagnosis, the app’s answer',
  },
  () => ({
    args: [
      arg(
        '[id]',
        'a record id (rec_…) from `anchor webhooks received`, or an event id (evt_…) or delivery id: the newest verified delivery of it',
      ),
    ],
    flags: {},
    examples: [
      'anchor webhooks received show rec_0m1a2b3c4001ab',
      'anchor webhooks received show rec_0m1a2b3c4001ab --json',
      'anchor webhooks received show evt_4b1f0c2a9d8e7f6a5b4c3d2e',
    ],
  }),
);
