// Moving to the handler shape: the command's code is still in webhooks/rotate-secret.ts.
export { run } from '../rotate-secret.js';
