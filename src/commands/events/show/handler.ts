// Moving to the handler shape: the command's code is still in events/show.ts.
export { run } from '../show.js';
