// Moving to the handler shape: the command's code is still in webhooks/toggle.ts.
export { runEnable as run } from '../toggle.js';
