// Moving to the handler shape: the command's code is still in webhooks/apply.ts.
export { run } from '../apply.js';
