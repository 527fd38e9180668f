#!/usr/bin/env bash
# Every test of the repository, on a fresh machine as on CI: fetches and builds what it needs (cached under
# ~/.cache/codeassist), then runs the xunit projects, the sample solution's tests, the end-to-end tests
# that drive the built server through a real LSP client, and the editor clients' tests.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

step() { printf '\n== %s\n' "$*"; }

step "llama.cpp, pinned and built natively (eng/llama/build.sh; cached)"
eng/llama/build.sh

step "dotnet test CodeAssist.sln (Release)"
dotnet test CodeAssist.sln -c Release --nologo

step "dotnet test samples/Bookshelf.sln"
dotnet test samples/Bookshelf.sln --nologo

step "end-to-end tests (node --test tests/e2e/)"
npm ci --prefix tests/e2e --no-audit --no-fund
# A file whose process outlives its tests fails after 5 minutes with its name, instead of running into CI's limit.
CODEASSIST_DLL=src/CodeAssist.Server/bin/Release/net10.0/codeassist.dll node --test --test-timeout=300000 tests/e2e/

step "VS Code client (editors/vscode/test.sh: unit tests, bundle, .vsix, the extension in code-server)"
CODEASSIST_DLL=src/CodeAssist.Server/bin/Release/net10.0/codeassist.dll editors/vscode/test.sh

step "Neovim client in Neovim 0.7, 0.10 and 0.12 (editors/nvim/test/run.sh)"
editors/nvim/test/run.sh

printf '\neng/test.sh: all tests passed in %ds\n' $((SECONDS - started))
