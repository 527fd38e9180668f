#!/usr/bin/env bash
# Installs the Neovim the client's tests run in and prints the path of its `nvim` (the last line of output).
#   system          the distribution's `neovim` package (Debian 12: 0.7.2), installed with apt-get when missing
#   trixie | sid    the `neovim` of that Debian suite (trixie: 0.10, sid: 0.12) with the libraries it needs,
#                   taken from the Debian archive with a private apt configuration (the system's apt sources and
#                   packages are left alone) and unpacked under ~/.cache/codeassist/neovim/SUITE; its `nvim` is
#                   patched to load that suite's C library, so it runs on an older system and starts the
#                   system's programs (the server, git) as usual.
set -euo pipefail

suite=${1:?usage: install-neovim.sh system|trixie|sid}
sudo=()
if [ "$(id -u)" != 0 ]; then
  sudo=(sudo)
fi

apt_install() {
  if ! dpkg -s "$@" >/dev/null 2>&1; then
    "${sudo[@]}" apt-get update -qq >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
  fi
}

if [ "$suite" = system ]; then
  apt_install neovim
  command -v nvim
  exit 0
fi

root=${CODEASSIST_CACHE:-$HOME/.cache/codeassist}/neovim/$suite
nvim=$root/root/usr/bin/nvim
if [ -f "$root/.done" ]; then
  echo "$nvim"
  exit 0
fi

apt_install patchelf
if [ ! -f /usr/share/keyrings/debian-archive-keyring.gpg ]; then
  apt_install debian-archive-keyring
fi
rm -rf "$root"
mkdir -p "$root/apt/lists/partial" "$root/apt/cache/archives/partial" "$root/debs" "$root/root"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" >"$root/apt/sources.list"
apt_options=(
  -o "Dir::Etc::SourceList=$root/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$root/apt/lists" -o "Dir::Cache=$root/apt/cache"
  -o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false
)
if [ "$(id -u)" = 0 ]; then
  # apt's download sandbox user cannot write into root's cache folder.
  apt_options+=(-o APT::Sandbox::User=root)
fi
echo "install-neovim: reading the package list of Debian $suite" >&2
apt-get "${apt_options[@]}" update -qq >&2

# neovim, its runtime, and the first choice of each of its dependencies: the C library and the libraries
# that suite's nvim was linked against.
packages=(neovim neovim-runtime)
while read -r dependency; do
  packages+=("$dependency")
done < <(apt-cache "${apt_options[@]}" show --no-all-versions neovim \
  | sed -n 's/^Depends: //p' | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/ //g' | grep -v '^neovim-runtime$')
echo "install-neovim: downloading ${packages[*]}" >&2
(cd "$root/debs" && apt-get "${apt_options[@]}" download "${packages[@]}" >&2)
for deb in "$root"/debs/*.deb; do
  dpkg-deb -x "$deb" "$root/root"
done

lib=$root/root/usr/lib/x86_64-linux-gnu
patchelf --set-interpreter "$lib/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$lib" "$nvim"
"$nvim" --version | head -1 >&2
touch "$root/.done"
echo "$nvim"
