#!/usr/bin/env bash
# The one documented command of the benchmark harness (see bench/README.md):
#   bash bench/run.sh [text|graph|all] [--texts N] [--edges N] [--reps N]
# Builds the harness in release mode, makes bench/.venv with the `hyperscan` Python package
# (once), and prints one report: engine, matching stage, Hyperscan, Python re, memchr, with
# ratios; then the relation index on a 10 M-relation synthetic marketplace.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -x "$here/.venv/bin/python" ] || ! "$here/.venv/bin/python" -c 'import hyperscan' 2>/dev/null; then
  python3 -m venv "$here/.venv"
  "$here/.venv/bin/pip" install --quiet 'hyperscan==0.9.1'
fi
cd "$here/.."
cargo build --release -p reviewguard-bench --bin reviewguard-bench
exec "${CARGO_TARGET_DIR:-target}/release/reviewguard-bench" "$@"
