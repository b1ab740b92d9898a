// Moving to the handler shape: the command's code is still in auth/status.ts.
export { run } from '../status.js';
