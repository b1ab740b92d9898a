// Moving to the handler shape: the command's code is still in webhooks/create.ts.
export { run } from '../create.js';
