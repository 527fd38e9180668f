#!/usr/bin/env bash
# The README's first command: builds CodeAssist and llama.cpp (cached), then runs the server on samples/ through a
# real LSP client — the context at a cursor and the inline suggestion there — with the model CODEASSIST_MODEL names,
# else a random-weight model written for the demo (real llama.cpp, real tokenizer, noise for text).
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${CODEASSIST_CACHE:-$HOME/.cache/codeassist}"

mkdir -p "$cache"
echo "llama.cpp: the pinned version, built natively the first time (about 10 minutes on 2 cores), then cached"
eng/llama/build.sh >/dev/null 2>"$cache/llama-build.log" || { tail -20 "$cache/llama-build.log" >&2; echo "llama.cpp did not build; the whole log: $cache/llama-build.log" >&2; exit 1; }
dotnet build src/CodeAssist.Server -c Release --nologo -v q
npm ci --prefix tests/e2e --no-audit --no-fund --silent
codeassist=(dotnet src/CodeAssist.Server/bin/Release/net10.0/codeassist.dll)

if [ -n "${CODEASSIST_MODEL:-}" ]; then
  model="$CODEASSIST_MODEL"
  echo "Model: $model (CODEASSIST_MODEL)"
else
  model="$cache/models/random-tiny-starcoder.gguf"
  "${codeassist[@]}" model random "$model" --shape tiny >/dev/null
  echo "Model: none configured (CODEASSIST_MODEL is not set), so the demo uses a RANDOM-WEIGHT model it wrote to"
  echo "  $model"
  echo "  It runs the real pipeline on real llama.cpp, but its suggestions are noise. For real code, run"
  echo "  CODEASSIST_MODEL=/path/to/qwen2.5-coder.gguf eng/demo.sh"
fi
CODEASSIST_DEMO_MODEL="$model" node eng/demo.mjs
