"use strict";

// action/src/supervisor.ts
var import_node_child_process = require("node:child_process");
var import_node_fs = require("node:fs");
var [exitFile, cli, ...args] = process.argv.slice(2);
function recordExit(end) {
  (0, import_node_fs.writeFileSync)(`${exitFile}.tmp`, `${JSON.stringify(end)}
`);
  (0, import_node_fs.renameSync)(`${exitFile}.tmp`, exitFile);
}
if (!exitFile || !cli) {
  process.stderr.write("supervisor.cjs is run by the action, with an exit file and the CLI to run\n");
  process.exitCode = 2;
} else {
  const child = (0, import_node_child_process.spawn)(process.execPath, [cli, ...args], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("error", (e) => {
    recordExit({ code: 1, signal: null, error: e.message });
    process.exitCode = 1;
  });
  child.on("exit", (code, signal) => recordExit({ code, signal }));
}
