// Moving to the handler shape: the command's code is still in webhooks/sign.ts.
export { run } from '../sign.js';
