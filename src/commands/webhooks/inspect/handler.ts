// Moving to the handler shape: the command's code is still in webhooks/inspect.ts.
export { run } from '../inspect.js';
