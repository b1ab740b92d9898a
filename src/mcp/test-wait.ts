// send_test_event's wait under MCP: a default well under the 60 s after which the SDK's client (and
// many others) gives up on a request, a bounded maximum, and a wait that ran out said in tool words
// (follow it with list_deliveries), since the command's hint names its own flags.
import { CheckFailedError } from '../errors.js';
import { at, textAt } from './read.js';
import type { ToolArgs } from './tool-input.js';

export const TEST_WAIT_DEFAULT_S = 45;
export const TEST_WAIT_MAX_S = 600;

/** The wait's arguments checked, its default filled in; a string is the refusal. */
export function prepareTestWait(args: ToolArgs): ToolArgs | string {
  const seconds = args.wait_timeout_seconds;
  if (seconds === undefined || seconds === null)
    return args.wait === true ? { ...args, wait_timeout_seconds: TEST_WAIT_DEFAULT_S } : args;
  if (args.wait !== true)
    return 'wait_timeout_seconds goes with wait: true (without wait, send_test_event returns as soon as the event is sent).';
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > TEST_WAIT_MAX_S)
    return `invalid wait_timeout_seconds ${JSON.stringify(seconds)}: give a number of seconds above 0 and at most ${TEST_WAIT_MAX_S} (default ${TEST_WAIT_DEFAULT_S}). For a longer watch, send without wait and follow the delivery with list_deliveries.`;
  return args;
}

/** A wait that ran out before the delivery ended, in tool words; undefined for any other failure. */
export function testWaitFailure(failure: unknown, out: unknown, args: ToolArgs): string | undefined {
  // A delivery that ended badly is the command's check failure, worded without flags already.
  if (failure instanceof CheckFailedError || at(out, 'external_event_id') === undefined) return undefined;
  const eventId = textAt(out, 'external_event_id') ?? '';
  const row = at(out, 'delivery');
  const state = row
    ? `its delivery is ${String(at(row, 'status'))} after ${String(at(row, 'attempt'))} attempt(s)`
    : 'its delivery is not in the delivery log yet';
  return `sent the test event ${eventId}, but stopped waiting after ${String(args.wait_timeout_seconds ?? TEST_WAIT_DEFAULT_S)} s: ${state}. Anchor goes on delivering it. Call list_deliveries with id ${JSON.stringify(args.id)} and event_type ${JSON.stringify(args.event_type)} to follow it (its row has external_event_id ${eventId}).`;
}
