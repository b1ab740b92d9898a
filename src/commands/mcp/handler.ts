// Moving to the handler shape: the command's code is still in mcp.ts.
export { run } from '../mcp.js';
