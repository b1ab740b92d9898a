// Moving to the handler shape: the command's code is still in completion.ts.
export { run } from '../completion.js';
