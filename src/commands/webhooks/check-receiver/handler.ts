// Moving to the handler shape: the command's code is still in webhooks/check-receiver.ts.
export { run } from '../check-receiver.js';
