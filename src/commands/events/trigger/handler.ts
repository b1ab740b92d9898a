// Moving to the handler shape: the command's code is still in events/trigger.ts.
export { run } from '../trigger.js';
