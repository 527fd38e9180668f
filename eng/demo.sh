#!/usr/bin/env bash
# The README's first command: builds CodeAssist, then runs the server on samples/ through a real LSP client.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/CodeAssist.Server -c Release --nologo -v q
npm ci --prefix tests/e2e --no-audit --no-fund --silent
node eng/demo.mjs
