// Moving to the handler shape: the command's code is still in auth/login.ts.
export { run } from '../login.js';
