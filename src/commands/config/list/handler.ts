// Moving to the handler shape: the command's code is still in config/config.ts.
export { runList as run } from '../config.js';
