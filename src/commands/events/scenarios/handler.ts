// Moving to the handler shape: the command's code is still in events/scenarios.ts.
export { run } from '../scenarios.js';
