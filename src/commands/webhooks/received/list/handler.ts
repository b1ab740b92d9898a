// Moving to the handler shape: the command's code is still in webhooks/received.ts.
export { runList as run } from '../../received.js';
