#!/usr/bin/env bash
# Runs every GreenMile check and test: formatting, lints, the UI's checks, unit tests and
# accessibility check, the Rust tests against the real server and SQLite, and the desktop app
# driven through WebDriver under Xvfb. Installs what it needs first. Exits non-zero when
# anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${GREENMILE_TEST_SESSION:-}" ]; then
  scripts/setup.sh --test
  # A private session keyring, D-Bus session and X display for the whole run.
  export GREENMILE_TEST_SESSION=1
  exec keyctl session greenmile-tests \
    dbus-run-session -- \
    xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    bash "$0" "$@"
fi

scratch=$(mktemp -d)
export XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache"
export XDG_RUNTIME_DIR="$scratch/runtime"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
trap 'rm -rf "$scratch"' EXIT

# The keychain daemon, unlocked with a throwaway password (an empty one makes no keyring).
eval "$(printf 'greenmile-tests' | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
export GNOME_KEYRING_CONTROL
# The keychain tests must reach both stores here rather than report them missing.
export GREENMILE_REQUIRE_KEYCHAIN=1

step() { printf '\n==> %s\n' "$*"; }

step "Rust formatting"
cargo fmt --all --check

step "UI: lint, types, formatting, unit tests, build"
npm --prefix ui run lint --silent
npm --prefix ui run typecheck --silent
npm --prefix ui run format:check --silent
npm --prefix ui test --silent
npm --prefix ui run build --silent

step "UI: accessibility (axe-core in Chromium at 1280 px and 375 px, screenshots in target/)"
npm --prefix ui run a11y --silent

step "Clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "Dependencies: licences, banned crates and sources (cargo deny)"
# TODO(advisories): `cargo deny check advisories` and `npm audit` need the RustSec database
# (a GitHub clone) and the npm registry's audit endpoint, which the test machines cannot reach.
cargo deny --log-level error check licenses bans sources

step "Build the binaries"
cargo build --workspace --quiet

step "Desktop app end to end (tauri-driver + WebKitWebDriver under Xvfb)"
GREENMILE_BIN_DIR="$PWD/target/debug" npm --prefix tests/e2e test --silent

step "Rust tests (core against the real server, CLI, contract and bindings drift)"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast
else
  cargo test --workspace --no-fail-fast
fi
