#!/usr/bin/env bash
# Builds (or unpacks) the pinned llama.cpp that CodeAssist.Models binds to.
# Idempotent: everything is cached under ~/.cache/codeassist/llama/<version>/; a second run is instant.
#   LLAMA_PREBUILT=1     use node-llama-cpp's prebuilt CPU libraries instead of building (no llama-server/llama-bench)
#   CODEASSIST_CUDA=0    never build the CUDA backend, even when nvcc is found
#   JOBS=N               parallel build jobs (default: nproc)
# Prints the install directory (use it as CODEASSIST_LLAMA_DIR) on the last line.
set -euo pipefail

VERSION=3.22.1
CACHE="${CODEASSIST_CACHE:-$HOME/.cache/codeassist}"
NPM_CACHE="$CACHE/npm"
ROOT="$CACHE/llama/$VERSION"
SRC="$ROOT/src"
BUILD="$ROOT/build"
JOBS="${JOBS:-$(nproc)}"
mkdir -p "$NPM_CACHE" "$ROOT"

log() { echo "[llama] $*" >&2; }

npm_fetch() { # $1 = package spec, $2 = tgz name; prints the tgz path
  local tgz="$NPM_CACHE/$2"
  if [ ! -s "$tgz" ]; then
    log "npm pack $1"
    (cd "$NPM_CACHE" && npm pack "$1" --silent >/dev/null)
  fi
  echo "$tgz"
}

if [ -f "$ROOT/.done" ]; then
  echo "$ROOT"
  exit 0
fi

use_prebuilt=0
if [ "${LLAMA_PREBUILT:-0}" = "1" ] || ! command -v cmake >/dev/null || ! command -v g++ >/dev/null; then
  use_prebuilt=1
fi

mkdir -p "$ROOT/lib" "$ROOT/bin" "$ROOT/vocab" "$ROOT/include"

# Source (needed for the header and vocab files in both modes).
if [ ! -d "$SRC/.git" ]; then
  tgz=$(npm_fetch "node-llama-cpp@$VERSION" "node-llama-cpp-$VERSION.tgz")
  tmp=$(mktemp -d)
  tar -xzf "$tgz" -C "$tmp" package/llama/gitRelease.bundle
  rm -rf "$SRC"
  git -c advice.detachedHead=false clone --quiet "$tmp/package/llama/gitRelease.bundle" "$SRC"
  rm -rf "$tmp"
fi
cp "$SRC/include/llama.h" "$ROOT/include/"
cp "$SRC"/models/ggml-vocab-*.gguf "$ROOT/vocab/"

if [ "$use_prebuilt" = "1" ]; then
  log "using prebuilt libraries (no llama-server, no llama-bench)"
  tgz=$(npm_fetch "@node-llama-cpp/linux-x64@$VERSION" "node-llama-cpp-linux-x64-$VERSION.tgz")
  tmp=$(mktemp -d)
  tar -xzf "$tgz" -C "$tmp"
  find "$tmp" -name '*.so*' -exec cp -a {} "$ROOT/lib/" \;
  rm -rf "$tmp"
else
  cuda=OFF
  if command -v nvcc >/dev/null && [ "${CODEASSIST_CUDA:-1}" != "0" ]; then cuda=ON; fi
  generator=()
  if command -v ninja >/dev/null; then generator=(-G Ninja); fi
  log "configuring (CUDA=$cuda)"
  cmake -S "$SRC" -B "$BUILD" "${generator[@]}" \
    -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
    -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_TESTS=OFF -DBUILD_SHARED_LIBS=ON \
    -DGGML_CUDA=$cuda -DCMAKE_BUILD_RPATH_USE_ORIGIN=ON -DCMAKE_INSTALL_RPATH='$ORIGIN:$ORIGIN/../lib' >&2
  log "building with -j$JOBS"
  cmake --build "$BUILD" -j"$JOBS" --target llama llama-server llama-bench >&2
  find "$BUILD/bin" "$BUILD" -maxdepth 3 -name '*.so*' \( -type f -o -type l \) -exec cp -a {} "$ROOT/lib/" \; 2>/dev/null || true
  for exe in llama-server llama-bench; do cp "$BUILD/bin/$exe" "$ROOT/bin/"; done
  # The tools look for their libraries next to themselves or via RUNPATH; point bin/ at lib/.
  for so in "$ROOT"/lib/*.so*; do ln -sf "../lib/$(basename "$so")" "$ROOT/bin/$(basename "$so")"; done
fi

touch "$ROOT/.done"
echo "$ROOT"
