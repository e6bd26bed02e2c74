#!/usr/bin/env bash
# Builds and opens the GreenMile desktop app in demo mode (no account, no network needed).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
echo "==> Building the UI"
npm --prefix ui run build --silent
echo "==> Building the app (the first build takes a few minutes)"
cargo build -p greenmile-desktop -p greenmile-cli

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display was found, so the window cannot open here. The same demo in the terminal:"
  exec target/debug/greenmile demo
fi
exec target/debug/greenmile-desktop
