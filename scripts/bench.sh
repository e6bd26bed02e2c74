#!/usr/bin/env bash
# Runs GreenMile's benchmark suite and writes bench/RESULTS.md: each figure beside a baseline
# measured in the same run, their ratio, the target and whether it was met. Builds in release
# first (the desktop app and its .deb too), runs the import benchmark when it exists, and
# measures the desktop app under Xvfb. Never fails because a target was missed.
#   scripts/bench.sh                   the full volume (100k bills, 10k offers, 100k entries)
#   scripts/bench.sh --scale 0.1       a tenth of it
#   BENCH_DESKTOP=0 scripts/bench.sh   the core only, without building the desktop app
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }
scratch=$(mktemp -d)
# Where cargo puts what it builds (CARGO_TARGET_DIR moves it).
target=${CARGO_TARGET_DIR:-target}
trap 'rm -rf "$scratch"' EXIT

scripts/setup.sh --test >&2

step "Build the suite (release)"
cargo build --release --quiet -p greenmile-bench

bench_args=(--out bench/RESULTS.md)
if [ "${BENCH_DESKTOP:-1}" = 1 ]; then
  step "Build the desktop app and its .deb (release)"
  npm --prefix ui run tauri --silent -- build --bundles deb >&2
  deb=$(ls -t "$target"/release/bundle/deb/*.deb | head -n 1)
  bench_args+=(--desktop "$target/release/greenmile-desktop" --deb "$deb")
fi

if [ -f crates/core/benches/import.rs ]; then
  step "Import benchmark"
  cargo bench --quiet -p greenmile-core --bench import | tee "$scratch/import.txt" >&2
  bench_args+=(--import-output "$scratch/import.txt")
fi

step "Benchmark suite"
mkdir -p bench
# The desktop app needs a display; the core figures do not mind one. A D-Bus session as a
# desktop has one: without it every start of the app autolaunched a bus and an accessibility
# bus of its own (100 ms or more of each start) and left them running.
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  "$target/release/greenmile-bench" "${bench_args[@]}" "$@"
echo "Written: bench/RESULTS.md" >&2
