// Moving to the handler shape: the command's code is still in webhooks/verify.ts.
export { run } from '../verify.js';
