// Moving to the handler shape: the command's code is still in webhooks/test.ts.
export { run } from '../test.js';
