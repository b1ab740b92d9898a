// Moving to the handler shape: the command's code is still in webhooks/update.ts.
export { run } from '../update.js';
