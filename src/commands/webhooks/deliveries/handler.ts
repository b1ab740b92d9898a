// Moving to the handler shape: the command's code is still in webhooks/deliveries.ts.
export { run } from '../deliveries.js';
