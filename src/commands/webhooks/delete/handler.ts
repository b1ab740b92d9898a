// Moving to the handler shape: the command's code is still in webhooks/delete.ts.
export { run } from '../delete.js';
