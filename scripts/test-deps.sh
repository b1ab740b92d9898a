#!/usr/bin/env bash
# What the test suite needs beyond `npm ci`, installed only when missing (so `npm ci && npm test`
# works on a fresh machine, and .ci/run shares it): the terminal and shells of the terminal and
# completion tests, Debian's Chromium for the inspector's page, the other Node lines, and the
# official MCP Inspector (which needs Node 22.19+) — the last two outside the project, in ~/.cache.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in tmux jq openssl zsh fish; do command -v "$tool" >/dev/null 2>&1 || need+=("$tool"); done
# bash-completion is a package of scripts, not a command: look for its main file.
[ -f /usr/share/bash-completion/bash_completion ] || need+=(bash-completion)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "test-deps: installing ${need[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The newest Node 22, 24 and 26 (only when none of 24 or later is installed yet).
if ! node scripts/node-lines.mjs | awk '$1 >= 24 { found = 1 } END { exit !found }'; then
  echo "test-deps: installing the Node lines 22, 24 and 26 into ~/.cache/anchor-node-lines" >&2
  node scripts/node-lines.mjs install >/dev/null
fi
if ! node -e 'const { existsSync } = require("fs"); const { join } = require("path");
  const dir = process.env.ANCHOR_MCP_INSPECTOR_DIR || join(process.env.XDG_CACHE_HOME || join(require("os").homedir(), ".cache"), "anchor-mcp-inspector");
  process.exit(existsSync(join(dir, "node_modules/@modelcontextprotocol/inspector/package.json")) ? 0 : 1)'; then
  echo "test-deps: installing the MCP Inspector into ~/.cache/anchor-mcp-inspector" >&2
  node scripts/mcp-inspector.mjs install >/dev/null
fi
