#!/usr/bin/env bash
# The Neovim client's tests, in the real editor against the real server with a random-weight model.
#   editors/nvim/test/run.sh [system|trixie|sid ...]     (default: all three, see install-neovim.sh)
# Each *_test.lua runs in a fresh `nvim --headless`; on Neovim 0.12 completion_test.lua runs twice, with the
# built-in inline completion and with the plugin's extmarks. chat, actions and commit tests wait on the model and
# use no Neovim API that differs between versions beyond what server_test covers, so they run on the first and
# the last Neovim given. CODEASSIST_DLL picks another server build; CODEASSIST_NVIM_SCREEN=FILE keeps the
# captured screen of the ghost text.
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
export CODEASSIST_TEST_MODEL=$cache/models/tiny-starcoder.gguf
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
for index in "${!suites[@]}"; do
  suite=${suites[$index]}
  nvim=$(editors/nvim/test/install-neovim.sh "$suite" | tail -1)
  version=$("$nvim" --version | head -1)
  echo "== $version ($suite): $nvim"
  for file in editors/nvim/test/*_test.lua; do
    case "$(basename "$file")" in
      chat_test.lua | actions_test.lua | commit_test.lua)
        if [ "$index" != 0 ] && [ "$index" != "$last" ]; then
          continue
        fi
        ;;
    esac
    export CODEASSIST_GHOST_TEXT=auto
    run_file "$nvim" "$file" "$suite"
    if [ "$(basename "$file")" = completion_test.lua ] && "$nvim" --headless -u NONE -i NONE -n \
      -c 'lua io.stdout:write(vim.lsp.inline_completion and "builtin" or "")' -c 'qa!' | grep -q builtin; then
      export CODEASSIST_GHOST_TEXT=extmarks
      run_file "$nvim" "$file" "$suite extmarks"
    fi
  done
done

echo "neovim: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
