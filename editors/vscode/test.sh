#!/usr/bin/env bash
# The VS Code client's tests, as eng/test.sh and CI run them: the type check, the unit tests of the extension's own
# logic, the esbuild bundle and the .vsix (npm test), then the extension installed from that .vsix into a real VS Code
# (code-server) driven by headless Chromium against the built server and a random-weight model. What it fetches is
# cached under ~/.cache/codeassist (code-server and Node 24 once, a few minutes). CODEASSIST_DLL chooses the server
# build; CODEASSIST_SCREENSHOTS=docs/images refreshes the README's screenshots.
set -euo pipefail
cd "$(dirname "$0")"
repository=$(cd ../.. && pwd)
cache=${CODEASSIST_CACHE:-$HOME/.cache/codeassist}
started=$SECONDS

step() { printf '\n== %s\n' "$*"; }

step "npm ci (editors/vscode)"
npm ci --no-audit --no-fund

step "tsc --noEmit, unit tests, esbuild bundle, vsce package (npm test)"
npm test

step "code-server on Node 24, and Chromium (test/e2e/install.sh; cached)"
eval "$(test/e2e/install.sh)"

step "the server and a random-weight model"
dll=$(realpath -m "$repository/${CODEASSIST_DLL:-src/CodeAssist.Server/bin/Release/net10.0/codeassist.dll}")
if [ ! -f "$dll" ]; then
    dotnet build "$repository/src/CodeAssist.Server" -c Release --nologo -v q
fi
model=$(dotnet "$dll" model random "$cache/models/random-tiny-starcoder.gguf" --shape tiny)
echo "$dll"
echo "$model"

step "the extension in code-server, driven by headless Chromium (node --test test/e2e/)"
editor_started=$SECONDS
CODEASSIST_NODE24=$node CODEASSIST_CODE_SERVER=$code_server CHROMIUM=$chromium CODEASSIST_VSIX=$PWD/dist/codeassist.vsix \
    CODEASSIST_DLL=$dll CODEASSIST_TEST_MODEL=$model node --test test/e2e/
printf '\neditors/vscode/test.sh: passed in %ds (the editor tests %ds)\n' $((SECONDS - started)) $((SECONDS - editor_started))
