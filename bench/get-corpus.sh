#!/usr/bin/env bash
# Downloads and unpacks the extra benchmark corpus (dnlib, hyena, opentk) into DIR/<package>/: the
# upstream sources of Debian bookworm's C# source packages (the DFSG-cleaned
# *.orig.tar.* at the pinned versions, without Debian's patches, so the tree is
# the same whether or not the debian/ tarball can be had).
#   usage: get-corpus.sh DIR
# Idempotent: a package already unpacked at the pinned version is left alone.
# Needs apt-get and tar; no root, no change to /etc/apt.
set -euo pipefail

PACKAGES=(dnlib=2.1-3 hyena=0.5-4.1 opentk=1.1.4c+dfsg-2.1)

dir=${1:?usage: get-corpus.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cache=$dir/.apt
mkdir -p "$cache/sources" "$cache/lists/partial" "$cache/debs"

# The machine's list has only binary packages ("Types: deb"); a private copy with
# "Types: deb-src" gives apt the source indexes without touching /etc/apt.
rm -f "$cache/sources/"*
for f in /etc/apt/sources.list.d/*.sources; do
  [ -e "$f" ] && sed -E 's/^Types:.*/Types: deb-src/' "$f" >"$cache/sources/$(basename "$f")"
done
[ -f /etc/apt/sources.list ] && grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' >"$cache/sources/main.list"
ls "$cache/sources/"* >/dev/null 2>&1 || { echo "get-corpus: no apt sources in /etc/apt" >&2; exit 1; }

apt_opts=(-qq -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$cache/sources"
          -o "Dir::State::Lists=$cache/lists" -o Dir::State::Status=/dev/null
          -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)")
updated=

for spec in "${PACKAGES[@]}"; do
  pkg=${spec%%=*} ver=${spec#*=}
  target=$dir/$pkg
  if [ "$(cat "$target/.corpus-version" 2>/dev/null)" = "$ver" ]; then
    echo "get-corpus: $pkg $ver already at $target"; continue
  fi
  [ -n "$updated" ] || { apt-get "${apt_opts[@]}" update; updated=1; }
  (cd "$cache/debs" && apt-get "${apt_opts[@]}" source --download-only --dsc-only "$pkg=$ver" \
                    && apt-get "${apt_opts[@]}" source --download-only --tar-only "$pkg=$ver")
  dsc=$cache/debs/${pkg}_$ver.dsc
  grep -qx "Version: $ver" "$dsc" || { echo "get-corpus: $dsc is not version $ver" >&2; exit 1; }
  # The .dsc pins the orig tarball by SHA-256.
  read -r sum _ orig < <(sed -n '/^Checksums-Sha256:/,/^[^ ]/p' "$dsc" | grep -E ' [^ ]+\.orig\.tar\.[a-z0-9]+$')
  echo "$sum  $cache/debs/$orig" | sha256sum -c --quiet - || { echo "get-corpus: checksum of $orig differs" >&2; exit 1; }
  rm -rf "$target" "$cache/unpack" && mkdir -p "$cache/unpack"
  tar -xf "$cache/debs/$orig" -C "$cache/unpack"
  top=("$cache/unpack"/*)
  # Most tarballs hold one top folder (pkg-version/); keepass2's holds the tree itself.
  if [ ${#top[@]} -eq 1 ] && [ -d "${top[0]}" ]; then mv "${top[0]}" "$target"; else mv "$cache/unpack" "$target"; fi
  rm -rf "$cache/unpack"
  echo "$ver" >"$target/.corpus-version"
  echo "get-corpus: $pkg $ver unpacked at $target ($(find "$target" -name '*.cs' | wc -l) .cs files)"
done
echo "get-corpus: corpus ready in $dir: ${PACKAGES[*]%%=*}"
