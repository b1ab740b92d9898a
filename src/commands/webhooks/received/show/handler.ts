// Moving to the handler shape: the command's code is still in webhooks/received.ts.
export { runShow as run } from '../../received.js';
