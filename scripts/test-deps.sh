#!/usr/bin/env bash
# What the test suite needs beyond `npm ci`, installed only when missing (so `npm ci && npm test`
# works on a fresh machine, and .ci/run shares it): the terminal and shells of the terminal and
# completion tests, Debian's Chromium for the inspector's page, Debian's Python with Flask, FastAPI
# and uvicorn for the journey suite's Python receivers, the other Node lines, and the
# official MCP Inspector (which needs Node 22.19+) — the last two outside the project, in ~/.cache.
#
# System packages are installed only where that needs no password: as root on a system with
# apt-get (CI, containers). Anywhere else (a contributor's laptop) this never runs sudo: it says
# what is missing and how to get it, and the tests that need a missing tool are skipped with one
# summary line (test/helpers/tools.ts); with CI set, a missing tool fails the run instead.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in tmux jq openssl curl zsh fish; do command -v "$tool" >/dev/null 2>&1 || need+=("$tool"); done
# bash-completion is a package of scripts, not a command: look for its main file.
[ -f /usr/share/bash-completion/bash_completion ] || need+=(bash-completion)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
# Debian's own interpreter, not the first python3 on PATH (maybe a pyenv shim without them).
/usr/bin/python3 -c 'import flask, fastapi, uvicorn' >/dev/null 2>&1 || need+=(python3-flask python3-fastapi python3-uvicorn)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-deps: installing ${need[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "test-deps: missing ${need[*]}; the tests that need them will be skipped." >&2
    echo "test-deps: to run them, install them yourself, e.g. on Debian or Ubuntu:" >&2
    echo "test-deps:   sudo apt-get install ${need[*]}" >&2
    echo "test-deps: (on macOS: brew install ${need[*]/bash-completion/bash-completion@2}; the inspector test needs Chromium at /usr/bin/chromium)" >&2
    case " ${need[*]} " in *" python3-flask "*)
      echo "test-deps: (the Python receivers need /usr/bin/python3 to import flask, fastapi and uvicorn; without Debian's packages: /usr/bin/python3 -m pip install --user flask fastapi uvicorn)" >&2 ;;
    esac
    if [ -n "${CI:-}" ]; then
      echo "test-deps: CI is set, so a missing tool is an error" >&2
      exit 1
    fi
  fi
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
