#!/usr/bin/env bash
# Publishes the server precompiled (ReadyToRun, Roslyn included), so that its first answers after start do not wait
# for the JIT; `dotnet build` output stays the development build.
#   usage: eng/publish.sh [OUT]   (default artifacts/codeassist; run OUT/codeassist serve --stdio)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/codeassist}
dotnet publish src/CodeAssist.Server -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true --nologo -o "$out"
echo "eng/publish.sh: $out/codeassist"
