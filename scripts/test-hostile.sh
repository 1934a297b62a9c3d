#!/usr/bin/env bash
# Hostile inputs through the release CLI (scripts/hostile.py): a 64 MB message, a million
# relations, relation cycles, JSON nested 100 000 deep, invalid UTF-8 and NUL, a pack regex
# whose DFA would explode, 1 MB texts dense with hits, 200 000-product catalogs. Each must give
# its expected decision or error under a peak-RSS bound and a time ceiling (HOSTILE_MAX_SECONDS);
# the table of times and peak memory is printed. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target_dir="${CARGO_TARGET_DIR:-target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
cargo build --release --locked --quiet --bin reviewguard
python3 scripts/hostile.py "$target_dir/release/reviewguard" --max-rss-mb "${HOSTILE_MAX_RSS_MB:-3072}" \
    --max-seconds "${HOSTILE_MAX_SECONDS:-60}"
