#!/usr/bin/env bash
# Installs what GreenMile needs on Debian/Ubuntu, skipping what is already there.
#   scripts/setup.sh          what the desktop app needs to build and run
#   scripts/setup.sh --test   that, plus what the test suite needs (Xvfb, WebDriver, keychain,
#                             Chromium for the accessibility check)
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

# fonts-noto-cjk: the font the badge share cards set their Chinese and English text in.
packages=(build-essential pkg-config curl file libwebkit2gtk-4.1-dev librsvg2-dev fonts-noto-cjk)
if [ "$want_tests" = 1 ]; then
  packages+=(xvfb xauth webkit2gtk-driver dbus dbus-x11 gnome-keyring keyutils imagemagick
    chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> Installing system packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "Rust is not installed: install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
if ! command -v npm >/dev/null; then
  echo "Node.js 20 or newer with npm is needed: install it, then run this again." >&2
  exit 1
fi

# npm packages of the UI, again only when the lock file changed since the last install.
install_npm() {
  local dir=$1
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "==> Installing npm packages in $dir"
    npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error
  fi
}
install_npm ui
if [ "$want_tests" = 1 ]; then
  install_npm tests/e2e
  if ! cargo deny --version >/dev/null 2>&1; then
    echo "==> Installing cargo-deny"
    cargo install cargo-deny --version '^0.20' --locked --quiet
  fi
  if ! command -v tauri-driver >/dev/null; then
    echo "==> Installing tauri-driver"
    cargo install tauri-driver --version '^2' --locked --quiet
  fi
fi
