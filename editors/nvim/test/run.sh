#!/usr/bin/env bash
# The Neovim client's tests, in the real editor against the real server with a random-weight model.
#   editors/nvim/test/run.sh [system|trixie|sid ...]     (default: all three, see install-neovim.sh)
# Each *_test.lua runs in a fresh `nvim --headless`. The tests that wait on the model run in full on the first and
# the last Neovim given (Debian 12's 0.7 with the plugin's extmarks, 0.12 with Neovim's own inline completion);
# on the others, and with the extmarks on 0.12, the completion tests whose code differs there run (drawing, the
# request API, CRLF); chat, actions and commit tests use no Neovim API that differs beyond what server_test
# covers. CODEASSIST_DLL picks another server build; CODEASSIST_NVIM_SCREEN=FILE keeps the captured screen of
# the ghost text; CODEASSIST_NVIM_ONLY='part|part' runs only the tests whose names contain a part.
set -euo pipefail
cd "$(dirname "$0")/../../.."
repository=$PWD
cache=${CODEASSIST_CACHE:-$HOME/.cache/codeassist}

dll=${CODEASSIST_DLL:-src/CodeAssist.Server/bin/Release/net10.0/codeassist.dll}
case "$dll" in
  /*) ;;
  *) dll=$repository/$dll ;;
esac
if [ ! -f "$dll" ]; then
  dotnet build src/CodeAssist.Server -c Release --nologo -v q
fi
export CODEASSIST_DLL=$dll

# The test model: written once (the same shape always gives the same file).
export CODEASSIST_TEST_MODEL=$cache/models/random-tiny-starcoder.gguf
if [ ! -f "$CODEASSIST_TEST_MODEL" ]; then
  mkdir -p "$(dirname "$CODEASSIST_TEST_MODEL")"
  dotnet "$CODEASSIST_DLL" model random "$CODEASSIST_TEST_MODEL" --shape tiny
fi

suites=("$@")
if [ ${#suites[@]} -eq 0 ]; then
  suites=(system trixie sid)
fi

passed=0
failed=0
run_file() {
  local nvim=$1 file=$2 label=$3 output
  output=$(mktemp)
  # A hang guard only; every test waits for the server with its own limit.
  timeout 900 "$nvim" --headless -u NONE -i NONE -n \
    --cmd "set rtp^=$repository/editors/nvim noshowmode shortmess+=F" \
    --cmd "lua package.path = '$repository/editors/nvim/test/?.lua;' .. package.path" \
    -c 'filetype on' -c "lua require('harness').run('$repository/$file')" >"$output" 2>&1 || true
  sed '/^$/d' "$output" | sed "s/^/[$label] /"
  local summary
  summary=$(grep -E '^[^ ]+: [0-9]+ passed, [0-9]+ failed$' "$output" | tail -1 || true)
  if [ -z "$summary" ]; then
    echo "[$label] $file: Neovim ended without a summary"
    failed=$((failed + 1))
  else
    passed=$((passed + $(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$summary")))
    failed=$((failed + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$summary")))
  fi
  rm -f "$output"
}

last=$((${#suites[@]} - 1))
completion_subset='Tab accepts|at most one completion request|CRLF'
only=${CODEASSIST_NVIM_ONLY:-}
for index in "${!suites[@]}"; do
  suite=${suites[$index]}
  nvim=$(editors/nvim/test/install-neovim.sh "$suite" | tail -1)
  version=$("$nvim" --version | head -1)
  echo "== $version ($suite): $nvim"
  full=false
  if [ "$index" = 0 ] || [ "$index" = "$last" ]; then
    full=true
  fi
  for file in editors/nvim/test/*_test.lua; do
    name=$(basename "$file")
    export CODEASSIST_GHOST_TEXT=auto CODEASSIST_NVIM_ONLY=$only
    case "$name" in
      chat_test.lua | actions_test.lua | commit_test.lua)
        $full || continue
        ;;
      completion_test.lua)
        $full || export CODEASSIST_NVIM_ONLY=${only:-$completion_subset}
        ;;
    esac
    run_file "$nvim" "$file" "$suite"
    if [ "$name" = completion_test.lua ] && "$nvim" --headless -u NONE -i NONE -n \
      -c 'lua io.stdout:write(vim.lsp.inline_completion and "builtin" or "")' -c 'qa!' | grep -q builtin; then
      export CODEASSIST_GHOST_TEXT=extmarks CODEASSIST_NVIM_ONLY=${only:-$completion_subset}
      run_file "$nvim" "$file" "$suite extmarks"
    fi
  done
done

echo "neovim: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
