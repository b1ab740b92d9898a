// Moving to the handler shape: the command's code is still in webhooks/export.ts.
export { run } from '../export.js';
