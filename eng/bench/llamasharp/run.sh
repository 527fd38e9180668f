#!/usr/bin/env bash
# LLamaSharp 0.30.0 (+ LLamaSharp.Backend.Cpu 0.30.0, its bundled CPU library) against our binding and llama-bench on
# our native build, on the random-weight 0.5B-coder-shaped model, at 1 and 2 threads, interleaved: per thread count and
# round, one LlamaSharpBench run (pp512 + tg128) then one `codeassist bench model --json` (five rounds of ours and
# llama-bench's). Prints JSON lines. See docs/models.md, "Why our own binding".
#   eng/bench/llamasharp/run.sh [ROUNDS]     # default 3
# LlamaSharpBench stays outside CodeAssist.sln: nothing in the product references LLamaSharp.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
rounds=${1:-3}
"$root/eng/llama/build.sh" >/dev/null
dotnet build "$here" -c Release -v q --nologo >/dev/null
dotnet build "$root/src/CodeAssist.Server" -c Release -v q --nologo >/dev/null
codeassist() { dotnet "$root/src/CodeAssist.Server/bin/Release/net10.0/codeassist.dll" "$@"; }
model=$(codeassist model random "${TMPDIR:-/tmp}/codeassist-bench/random-coder-0.5b.gguf" --shape coder-0.5b)
for threads in 1 2; do
  for round in $(seq "$rounds"); do
    echo "== $threads thread(s), round $round of $rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    dotnet "$here/bin/Release/net10.0/LlamaSharpBench.dll" "$model" "$threads"
    codeassist bench model --model "$model" --threads "$threads" --json
  done
done
