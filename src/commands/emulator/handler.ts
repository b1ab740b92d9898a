// Moving to the handler shape: the command's code is still in emulator.ts.
export { run } from '../emulator.js';
