#!/usr/bin/env bash
# In-process decoding against llama.cpp's own llama-bench on a random-weight model shaped like a real 0.5B coder
# (24 layers, 896 wide, 14 heads, 2 KV heads, F16; written once by `codeassist model random`): three consecutive
# `codeassist bench model` runs per thread count, each five interleaved rounds of ours and llama-bench's.
#   eng/bench/model.sh            # 1 and 2 threads
#   eng/bench/model.sh 4 8        # other thread counts
#   JSON=1 eng/bench/model.sh     # one JSON object per run instead of the text report
# The target (docs/models.md): both ratios >= 0.97 in every run, a run's ratio being the median of its rounds' ratios
# (each round pairs ours with the llama-bench run right after it). Timings are only meaningful on an otherwise idle machine:
# the load average is printed before each run.
set -euo pipefail
cd "$(dirname "$0")/../.."
eng/llama/build.sh >/dev/null
dotnet build src/CodeAssist.Server -c Release -v q --nologo >/dev/null
codeassist() { dotnet src/CodeAssist.Server/bin/Release/net10.0/codeassist.dll "$@"; }
model=$(codeassist model random "${TMPDIR:-/tmp}/codeassist-bench/random-coder-0.5b.gguf" --shape coder-0.5b)
threads=("$@")
if [ ${#threads[@]} -eq 0 ]; then threads=(1 2); fi
for t in "${threads[@]}"; do
  for run in 1 2 3; do
    echo "== $t thread(s), run $run of 3, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    codeassist bench model --model "$model" --threads "$t" ${JSON:+--json}
  done
done
