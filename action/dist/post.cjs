"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// action/src/post.ts
var post_exports = {};
__export(post_exports, {
  post: () => post
});
module.exports = __toCommonJS(post_exports);

// action/src/listener-handoff.ts
var import_node_fs = require("node:fs");
var import_node_path = require("node:path");

// action/src/runner.ts
var ActionError = class extends Error {
  constructor(message, hint) {
    super(message);
    this.hint = hint;
  }
  hint;
};
function escapeData(text) {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
var processLog = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text)
};
function logWarning(log, message) {
  log.out(`::warning::${escapeData(message)}
`);
}

// action/src/listener-handoff.ts
var LISTENER_STATE = "listener";
var FILES = ["ready_file", "stdout_file", "stderr_file", "exit_file"];
function parseHandoff(text, source) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ActionError(`${source} is not the JSON the start step wrote`, "Do not set it yourself.");
  }
  const v = value;
  const ok = typeof value === "object" && value !== null && v.v === 1 && Number.isSafeInteger(v.pid) && v.pid > 1 && FILES.every((f) => typeof v[f] === "string" && (0, import_node_path.isAbsolute)(v[f])) && (v.stderr_shown === void 0 || Number.isSafeInteger(v.stderr_shown) && v.stderr_shown >= 0);
  if (!ok) throw new ActionError(`${source} is not the JSON the start step wrote`, "Do not set it yourself.");
  return value;
}
function parseExit(text) {
  if (!text) return void 0;
  try {
    const v = JSON.parse(text);
    return {
      code: typeof v.code === "number" ? v.code : null,
      signal: typeof v.signal === "string" ? v.signal : null
    };
  } catch {
    return void 0;
  }
}
function isRunning(pid) {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return e.code === "EPERM";
  }
  try {
    const stat = (0, import_node_fs.readFileSync)(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

// action/src/cli-process.ts
var import_node_fs2 = require("node:fs");
var import_node_path2 = require("node:path");
var ANCHOR_CLI = (0, import_node_path2.join)(__dirname, "anchor.cjs");
var MAX_OUTPUT_BYTES = 1024 * 1024;
function readStart(path, max) {
  let fd;
  try {
    fd = (0, import_node_fs2.openSync)(path, "r");
  } catch {
    return { text: "", cut: false };
  }
  try {
    const size = (0, import_node_fs2.fstatSync)(fd).size;
    const buf = Buffer.alloc(Math.min(size, max));
    const n = (0, import_node_fs2.readSync)(fd, buf, 0, buf.length, 0);
    return { text: buf.subarray(0, n).toString("utf8"), cut: size > max };
  } finally {
    (0, import_node_fs2.closeSync)(fd);
  }
}
function readTail(path, from = 0, max = 64 * 1024) {
  let fd;
  try {
    fd = (0, import_node_fs2.openSync)(path, "r");
  } catch {
    return { text: "", end: from };
  }
  try {
    const size = (0, import_node_fs2.fstatSync)(fd).size;
    const start = Math.max(from, size - max, 0);
    const buf = Buffer.alloc(Math.max(0, size - start));
    const n = (0, import_node_fs2.readSync)(fd, buf, 0, buf.length, start);
    return { text: buf.subarray(0, n).toString("utf8"), end: start + n };
  } finally {
    (0, import_node_fs2.closeSync)(fd);
  }
}

// action/src/timing.ts
var MAX_TIMEOUT_MS = 6 * 36e5;
async function pollUntil(done, deadlineMs, everyMs = 100) {
  const end = Date.now() + deadlineMs;
  for (; ; ) {
    const value = done();
    if (value !== void 0) return value;
    if (Date.now() >= end) return void 0;
    await new Promise((r) => setTimeout(r, Math.min(everyMs, Math.max(1, end - Date.now()))));
  }
}

// action/src/post.ts
var STOP_GRACE_MS = 2e4;
async function post(env, log) {
  const raw = env[`STATE_${LISTENER_STATE}`];
  if (!raw) return;
  const listener = parseHandoff(raw, `STATE_${LISTENER_STATE}`);
  const ended = () => parseExit(readStart(listener.exit_file, 4096).text) ?? (isRunning(listener.pid) ? void 0 : "gone");
  if (ended()) return;
  const before = readTail(listener.stderr_file).end;
  log.out("Stopping anchor webhooks listen (it deletes its temporary webhook).\n");
  try {
    process.kill(listener.pid, "SIGINT");
  } catch {
    return;
  }
  const end = await pollUntil(ended, STOP_GRACE_MS, 100);
  const said = readTail(listener.stderr_file, before, 8 * 1024).text;
  if (said) log.err(said.endsWith("\n") ? said : `${said}
`);
  if (end) return;
  try {
    process.kill(-listener.pid, "SIGKILL");
  } catch {
  }
  logWarning(
    log,
    `anchor webhooks listen did not stop within ${STOP_GRACE_MS / 1e3}s and was killed; its temporary webhook may remain: anchor webhooks list, then anchor webhooks delete <id>.`
  );
}
post(process.env, processLog).then(
  () => void 0,
  (e) => {
    logWarning(processLog, `the anchor action's cleanup: ${e instanceof ActionError ? e.message : String(e)}`);
  }
);
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  post
});
