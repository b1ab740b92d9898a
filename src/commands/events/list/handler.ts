// Moving to the handler shape: the command's code is still in events/list.ts.
export { run } from '../list.js';
