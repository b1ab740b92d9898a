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

// action/src/main.ts
var main_exports = {};
__export(main_exports, {
  main: () => main
});
module.exports = __toCommonJS(main_exports);

// action/src/runner.ts
var import_node_crypto = require("node:crypto");
var import_node_fs = require("node:fs");
var ActionError = class extends Error {
  constructor(message, hint) {
    super(message);
    this.hint = hint;
  }
  hint;
};
function getInput(env, name) {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
function escapeData(text) {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
var processLog = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text)
};
function addMask(log, secret) {
  for (const line of secret.split(/\r?\n/)) if (line.trim()) log.out(`::add-mask::${escapeData(line)}
`);
}
function logError(log, message) {
  log.out(`::error::${escapeData(message)}
`);
}
function fileCommand(name, value) {
  let delimiter = `ghadelimiter_${(0, import_node_crypto.randomUUID)()}`;
  while (value.includes(delimiter)) delimiter = `ghadelimiter_${(0, import_node_crypto.randomUUID)()}`;
  return `${name}<<${delimiter}
${value}
${delimiter}
`;
}
function appendTo(env, variable, name, value) {
  const file = env[variable];
  if (!file)
    throw new ActionError(
      `${variable} is not set, so the action cannot hand on "${name}"`,
      "Run this action as a step of a GitHub Actions job (runner 2.297 or newer sets it)."
    );
  (0, import_node_fs.appendFileSync)(file, fileCommand(name, value));
}
var setOutput = (env, name, value) => appendTo(env, "GITHUB_OUTPUT", name, value);
var saveState = (env, name, value) => appendTo(env, "GITHUB_STATE", name, value);
var exportVariable = (env, name, value) => appendTo(env, "GITHUB_ENV", name, value);

// action/src/run-mode.ts
var import_node_child_process = require("node:child_process");

// action/src/args.ts
var ARGS_HINT = "Write args as you would on a shell line, e.g. --until task.completed --match 'data.task_id=123'; close every quote.";
function splitArgs(line) {
  const words = [];
  let word = "";
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ActionError(`args has a ' that is never closed (at character ${i + 1})`, ARGS_HINT);
      word += line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (; ; ) {
        if (i >= line.length) throw new ActionError('args has a " that is never closed', ARGS_HINT);
        const d = line[i];
        if (d === '"') break;
        if (d === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) {
          word += line[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === "\\") {
      if (i + 1 >= line.length) throw new ActionError("args ends with a lone backslash", ARGS_HINT);
      if (line[i + 1] !== "\n") word += line[i + 1];
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
function refuseOwnFlags(words, own, mode) {
  for (const flag of own) {
    if (words.some((w) => w === flag || w.startsWith(`${flag}=`)))
      throw new ActionError(
        `args must not contain ${flag}: mode ${mode} passes it itself`,
        `Remove ${flag} from args; read the step's outputs instead.`
      );
  }
}

// action/src/cli-process.ts
var import_node_fs2 = require("node:fs");
var import_node_path = require("node:path");
var import_node_string_decoder = require("node:string_decoder");
var ANCHOR_CLI = (0, import_node_path.join)(__dirname, "anchor.cjs");
var MAX_OUTPUT_BYTES = 1024 * 1024;
function cliEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(env))
    if (v !== void 0 && !k.startsWith("INPUT_") && !k.startsWith("STATE_")) out[k] = v;
  const key = getInput(env, "api-key");
  if (key) out.ANCHOR_API_KEY = key;
  const url = getInput(env, "api-url");
  if (url) out.ANCHOR_API_URL = url;
  return out;
}
var Tail = class {
  constructor(max = 64 * 1024) {
    this.max = max;
  }
  max;
  chunks = [];
  size = 0;
  push(chunk) {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0].length >= this.max) this.size -= this.chunks.shift().length;
  }
  text() {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.max)).toString("utf8");
  }
};
var LineSplitter = class {
  constructor(onLine) {
    this.onLine = onLine;
  }
  onLine;
  partial = "";
  // A character split between two chunks is joined, not turned into two replacement characters.
  decoder = new import_node_string_decoder.StringDecoder("utf8");
  push(chunk) {
    const parts = (this.partial + this.decoder.write(chunk)).split("\n");
    this.partial = parts.pop();
    for (const line of parts) this.onLine(`${line}
`);
    if (this.partial.length > 64 * 1024) this.end();
  }
  end() {
    if (this.partial) this.onLine(`${this.partial}
`);
    this.partial = "";
  }
};
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
function cliFailure(stderr) {
  const lines = stderr.split("\n").filter((l) => l.trim());
  for (const line of [...lines].reverse()) {
    try {
      const parsed = JSON.parse(line);
      if (typeof parsed.error?.message === "string")
        return {
          message: parsed.error.message,
          ...typeof parsed.error.hint === "string" ? { hint: parsed.error.hint } : {}
        };
    } catch {
    }
  }
  return { message: lines.at(-1)?.slice(0, 2e3) ?? "it printed nothing on stderr" };
}
function outputTooLarge(what) {
  return new ActionError(
    `${what} is over 1 MB, GitHub's limit for a step output`,
    "Narrow the command (fewer webhooks, --limit) or run the CLI in a run: step and write its output to a file."
  );
}

// src/lib/duration.ts
var UNIT_MS = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5 };
function parseDuration(text) {
  const m = text.trim().match(/^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/);
  if (!m) return void 0;
  return Math.round(Number(m[1]) * UNIT_MS[m[2]]);
}
function parseDurationOrBare(text, bare) {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * UNIT_MS[bare]);
  return parseDuration(t);
}
function formatDuration(ms) {
  if (ms === 0) return "0";
  if (ms >= 2 * UNIT_MS.d && ms % UNIT_MS.d === 0) return `${ms / UNIT_MS.d}d`;
  for (const unit of ["h", "m", "s"]) if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  return `${ms}ms`;
}

// action/src/timing.ts
var MAX_TIMEOUT_MS = 6 * 36e5;
function timeoutInput(env, defaultMs) {
  const raw = getInput(env, "timeout");
  if (!raw) return defaultMs;
  const ms = parseDurationOrBare(raw, "s");
  if (ms === void 0 || ms <= 0 || ms > MAX_TIMEOUT_MS)
    throw new ActionError(
      `invalid timeout "${raw.slice(0, 40)}": give a duration up to 6h`,
      "For example timeout: 90s, 5m or 1h (a bare number is seconds)."
    );
  return ms;
}
var describeMs = formatDuration;
async function pollUntil(done, deadlineMs, everyMs = 100) {
  const end = Date.now() + deadlineMs;
  for (; ; ) {
    const value = done();
    if (value !== void 0) return value;
    if (Date.now() >= end) return void 0;
    await new Promise((r) => setTimeout(r, Math.min(everyMs, Math.max(1, end - Date.now()))));
  }
}

// action/src/run-mode.ts
var DEFAULT_RUN_TIMEOUT_MS = 10 * 6e4;
var STOP_GRACE_MS = 1e4;
async function runMode(env, log) {
  const given = splitArgs(getInput(env, "args"));
  const words = given[0] === "anchor" ? given.slice(1) : given;
  if (words.length === 0)
    throw new ActionError(
      "mode run needs args: the anchor command line",
      "For example args: webhooks apply -f anchor.yaml --dry-run"
    );
  const timeoutMs = timeoutInput(env, DEFAULT_RUN_TIMEOUT_MS);
  const commandWords = [];
  for (const w of words.slice(0, 3)) {
    if (!/^[a-z][a-z-]*$/.test(w)) break;
    commandWords.push(w);
  }
  const command = commandWords.join(" ");
  const argv = words.includes("--json") ? words : [...words, "--json"];
  const child = (0, import_node_child_process.spawn)(process.execPath, [ANCHOR_CLI, ...argv], {
    env: cliEnv(env),
    stdio: ["ignore", "pipe", "pipe"]
  });
  let stdout = Buffer.alloc(0);
  let tooLarge = false;
  child.stdout.on("data", (d) => {
    if (stdout.length + d.length > MAX_OUTPUT_BYTES) tooLarge = true;
    else stdout = Buffer.concat([stdout, d]);
  });
  const stderr = new Tail();
  const lines = new LineSplitter((line) => line.startsWith("::add-mask::") ? log.out(line) : log.err(line));
  child.stderr.on("data", (d) => {
    stderr.push(d);
    lines.push(d);
  });
  child.stderr.on("end", () => lines.end());
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGINT");
    setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS).unref();
  }, timeoutMs);
  const code = await new Promise((resolve, reject) => {
    child.on("error", (e) => reject(new ActionError(`could not run anchor: ${e.message}`)));
    child.on("close", (c, signal) => resolve(c ?? (signal === "SIGKILL" ? 137 : 130)));
  }).finally(() => clearTimeout(timer));
  setOutput(env, "exit-code", String(code));
  if (tooLarge) throw outputTooLarge(`the --json output of anchor ${command}`);
  setOutput(env, "json", stdout.toString("utf8").trim());
  if (timedOut)
    throw new ActionError(
      `anchor ${command} did not finish within ${describeMs(timeoutMs)} and was stopped`,
      "Raise the timeout input, or pass a smaller --timeout to anchor for each request."
    );
  if (code !== 0) {
    const failure = cliFailure(stderr.text());
    throw new ActionError(`anchor ${command} exited ${code}: ${failure.message}`, failure.hint);
  }
}

// action/src/start-mode.ts
var import_node_child_process2 = require("node:child_process");
var import_node_fs4 = require("node:fs");
var import_node_os = require("node:os");
var import_node_path3 = require("node:path");

// action/src/listener-handoff.ts
var import_node_fs3 = require("node:fs");
var import_node_path2 = require("node:path");
var LISTENER_ENV = "ANCHOR_ACTION_LISTENER";
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
  const ok = typeof value === "object" && value !== null && v.v === 1 && Number.isSafeInteger(v.pid) && v.pid > 1 && FILES.every((f) => typeof v[f] === "string" && (0, import_node_path2.isAbsolute)(v[f])) && (v.stderr_shown === void 0 || Number.isSafeInteger(v.stderr_shown) && v.stderr_shown >= 0);
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
    const stat = (0, import_node_fs3.readFileSync)(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

// action/src/start-mode.ts
var DEFAULT_READY_TIMEOUT_MS = 2 * 6e4;
var SUPERVISOR = (0, import_node_path3.join)(__dirname, "supervisor.cjs");
async function startMode(env, log) {
  const words = splitArgs(getInput(env, "args"));
  refuseOwnFlags(words, ["--ready-file"], "start");
  if (words[0] === "webhooks" || words[0] === "listen")
    throw new ActionError(
      "mode start runs anchor webhooks listen itself: args are only its flags",
      "For example args: --tunnel cloudflared --until task.completed --match data.task_id=123"
    );
  const timeoutMs = timeoutInput(env, DEFAULT_READY_TIMEOUT_MS);
  const dir = (0, import_node_fs4.mkdtempSync)((0, import_node_path3.join)(env.RUNNER_TEMP || (0, import_node_os.tmpdir)(), "anchor-listen-"));
  const files = {
    ready_file: (0, import_node_path3.join)(dir, "ready"),
    stdout_file: (0, import_node_path3.join)(dir, "stdout.json"),
    stderr_file: (0, import_node_path3.join)(dir, "stderr.log"),
    exit_file: (0, import_node_path3.join)(dir, "exit.json")
  };
  const listenArgs = ["webhooks", "listen", ...words, ...words.includes("--json") ? [] : ["--json"]];
  const out = (0, import_node_fs4.openSync)(files.stdout_file, "a", 384);
  const err = (0, import_node_fs4.openSync)(files.stderr_file, "a", 384);
  let pid;
  try {
    const child = (0, import_node_child_process2.spawn)(
      process.execPath,
      [SUPERVISOR, files.exit_file, ANCHOR_CLI, ...listenArgs, "--ready-file", files.ready_file],
      { env: cliEnv(env), stdio: ["ignore", out, err], detached: true }
    );
    pid = await new Promise((resolve, reject) => {
      child.on("spawn", () => resolve(child.pid));
      child.on("error", (e) => reject(new ActionError(`could not start anchor webhooks listen: ${e.message}`)));
    });
    child.unref();
  } finally {
    (0, import_node_fs4.closeSync)(out);
    (0, import_node_fs4.closeSync)(err);
  }
  const handoff = { v: 1, pid, ...files };
  saveState(env, LISTENER_STATE, JSON.stringify(handoff));
  const ready = await pollUntil(() => {
    const exit = parseExit(readStart(files.exit_file, 4096).text);
    if (exit) return { exit };
    const url = readStart(files.ready_file, 4096).text.trim();
    return url ? { url } : void 0;
  }, timeoutMs);
  const { text: said, end: shown } = readTail(files.stderr_file);
  if (said) log.err(said.endsWith("\n") ? said : `${said}
`);
  if (!ready)
    throw new ActionError(
      `anchor webhooks listen was not ready within ${describeMs(timeoutMs)}; its output is above`,
      "Raise the timeout input if the tunnel is slow to start; the post step stops the listener."
    );
  if ("exit" in ready) {
    const { exit } = ready;
    const failure = cliFailure(said);
    setOutput(env, "exit-code", String(exit.code ?? 1));
    throw new ActionError(
      `anchor webhooks listen exited ${exit.code ?? exit.signal}: ${failure.message}`,
      failure.hint
    );
  }
  exportVariable(env, LISTENER_ENV, JSON.stringify({ ...handoff, stderr_shown: shown }));
  setOutput(env, "url", ready.url);
  log.out(`anchor webhooks listen is ready at ${ready.url} (pid ${pid}); a later step with mode: wait waits for it.
`);
}

// action/src/wait-mode.ts
var DEFAULT_WAIT_TIMEOUT_MS = 11 * 6e4;
async function waitMode(env, log) {
  const raw = env[LISTENER_ENV];
  if (!raw)
    throw new ActionError(
      `mode wait has no listener to wait for: ${LISTENER_ENV} is not set`,
      "Put a step with mode: start (and --until in its args) earlier in the same job."
    );
  const listener = parseHandoff(raw, LISTENER_ENV);
  const timeoutMs = timeoutInput(env, DEFAULT_WAIT_TIMEOUT_MS);
  const exitOf = () => parseExit(readStart(listener.exit_file, 4096).text);
  const end = await pollUntil(
    () => exitOf() ?? (isRunning(listener.pid) ? void 0 : exitOf() ?? "gone"),
    timeoutMs,
    250
  );
  const said = readTail(listener.stderr_file, listener.stderr_shown).text;
  if (said) log.err(said.endsWith("\n") ? said : `${said}
`);
  if (end === void 0)
    throw new ActionError(
      `the listener did not end within ${describeMs(timeoutMs)} (the timeout input)`,
      "Pass --until (and --wait-timeout) in the start step, or raise this step\u2019s timeout; the post step stops the listener."
    );
  if (end === "gone")
    throw new ActionError("the listener is gone without saying how it ended (was it killed?); its output is above");
  const code = end.code ?? 1;
  setOutput(env, "exit-code", String(code));
  const stdout = readStart(listener.stdout_file, MAX_OUTPUT_BYTES);
  if (stdout.cut) throw outputTooLarge("the output of anchor webhooks listen");
  setOutput(env, "json", stdout.text.trim());
  if (code !== 0) {
    const failure = cliFailure(said);
    throw new ActionError(`anchor webhooks listen exited ${end.code ?? end.signal}: ${failure.message}`, failure.hint);
  }
}

// action/src/main.ts
var MODES = { run: runMode, start: startMode, wait: waitMode };
async function main(env, log) {
  const key = getInput(env, "api-key");
  if (key) addMask(log, key);
  try {
    const mode = getInput(env, "mode") || "run";
    if (!Object.hasOwn(MODES, mode))
      throw new ActionError(
        `unknown mode "${mode.slice(0, 40)}": give run, start or wait`,
        "run: one anchor command; start: listen in the background; wait: until that listener has its event."
      );
    await MODES[mode](env, log);
    return 0;
  } catch (e) {
    const known = e instanceof ActionError ? e : void 0;
    const message = known ? known.message : `unexpected error in the anchor action: ${e.message}`;
    logError(log, known?.hint ? `${message}
${known.hint}` : message);
    return 1;
  }
}
void main(process.env, processLog).then((code) => {
  process.exitCode = code;
});
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  main
});
