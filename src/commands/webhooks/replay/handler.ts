// Moving to the handler shape: the command's code is still in webhooks/replay.ts.
export { run } from '../replay.js';
