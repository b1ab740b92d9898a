// Moving to the handler shape: the command's code is still in webhooks/listen.ts.
export { run } from '../listen.js';
