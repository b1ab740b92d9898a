// Moving to the handler shape: the command's code is still in auth/logout.ts.
export { run } from '../logout.js';
