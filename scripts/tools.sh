#!/usr/bin/env bash
# Contract tools the tests run but the services never load, installed on demand into .local/
# (cached like the engines, so only the first run pays the install):
#
#   schemathesis   Python, from PyPI, in a venv at .local/schemathesis   (test/fuzz.e2e-spec.ts)
#   asyncapi       @asyncapi/cli from npm, at .local/asyncapi-cli         (test/asyncapi-cli.e2e-spec.ts)
#
# Usage: bash scripts/tools.sh schemathesis|asyncapi   prints the executable's path on stdout.
# Versions are pinned, each tool's dependencies too (scripts/schemathesis/constraints.txt,
# scripts/asyncapi-cli/package-lock.json), so a new release anywhere in either tree can't change or
# break what CI gates on. Setting a version other than the pinned one resolves its dependencies afresh.
# Environment: JOBSTREAM_LOCAL_DIR [<repo>/.local], SCHEMATHESIS_VERSION [4.32.5], ASYNCAPI_CLI_VERSION [6.2.0]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/lib/node.sh
source "$ROOT/scripts/lib/node.sh"
LOCAL="${JOBSTREAM_LOCAL_DIR:-$ROOT/.local}"
SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
ASYNCAPI_CLI_VERSION="${ASYNCAPI_CLI_VERSION:-6.2.0}"
log() { printf '[tools] %s\n' "$*" >&2; }

schemathesis() {
  local venv="$LOCAL/schemathesis" bin="$LOCAL/schemathesis/bin/st"
  if ! { [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; }; then
    local start=$SECONDS
    log "installing schemathesis $SCHEMATHESIS_VERSION from PyPI into $venv"
    python3 -m venv "$venv"
    local constraints=()
    if grep -qx "schemathesis==$SCHEMATHESIS_VERSION" "$ROOT/scripts/schemathesis/constraints.txt"; then
      constraints=(-c "$ROOT/scripts/schemathesis/constraints.txt")
    else
      log "SCHEMATHESIS_VERSION=$SCHEMATHESIS_VERSION is not the pinned one: resolving its dependencies afresh"
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check "${constraints[@]}" "schemathesis==$SCHEMATHESIS_VERSION" >&2
    log "schemathesis installed in $((SECONDS - start)) s"
  fi
  echo "$bin"
}

asyncapi() {
  local dir="$LOCAL/asyncapi-cli" bin="$LOCAL/asyncapi-cli/node_modules/.bin/asyncapi"
  if ! { [ -x "$bin" ] && grep -q "\"version\": \"$ASYNCAPI_CLI_VERSION\"" "$dir/node_modules/@asyncapi/cli/package.json" 2>/dev/null; }; then
    local start=$SECONDS
    log "installing @asyncapi/cli $ASYNCAPI_CLI_VERSION from npm into $dir"
    # --ignore-scripts: the CLI's postinstall only sends adoption metrics.
    npm_install_pinned "$dir" "$ROOT/scripts/asyncapi-cli" @asyncapi/cli "$ASYNCAPI_CLI_VERSION" --no-audit --no-fund --ignore-scripts --loglevel=error >&2
    log "@asyncapi/cli installed in $((SECONDS - start)) s"
  fi
  echo "$bin"
}

case "${1:-}" in
  schemathesis) schemathesis ;;
  asyncapi) asyncapi ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
