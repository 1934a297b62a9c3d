#!/usr/bin/env bash
# Per-call overhead of the C ABI: `rg_engine_evaluate_json` called from C through
# libreviewguard.so against `Engine::evaluate_json` (+ `Decision::to_json`) called directly from
# Rust, on the same cases, release builds, in one run. The two sides alternate REPEATS times and
# the fastest run of each is compared (the least disturbed by other load).
# usage: bindings-c/bench.sh [CASES] [ROUNDS] [REPEATS]   (honours CARGO_TARGET_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-examples/cases.jsonl}"
rounds="${2:-200}"
repeats="${3:-5}"
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
lib="$target/release"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build -q --release --locked -p reviewguard-ffi --lib --example reference
gcc -std=c11 -O2 -Wall -Wextra -Werror -Ibindings-c/include bindings-c/bench/bench.c \
    -o "$work/bench" -L"$lib" -lreviewguard -Wl,-rpath,"$lib"

best_rust="" best_c=""
for i in $(seq "$repeats"); do
    r="$("$lib/examples/reference" bench "$cases" "$rounds")"
    c="$("$work/bench" "$cases" "$rounds")"
    echo "run $i: $r | $c"
    r_ns="$(echo "$r" | awk '{print $3}')"
    c_ns="$(echo "$c" | awk '{print $3}')"
    if [ -z "$best_rust" ] || [ "$r_ns" -lt "$best_rust" ]; then best_rust="$r_ns"; fi
    if [ -z "$best_c" ] || [ "$c_ns" -lt "$best_c" ]; then best_c="$c_ns"; fi
done
calls="$(echo "$r" | awk '{print $2}')"
awk -v r="$best_rust" -v c="$best_c" -v n="$calls" 'BEGIN {
    printf "rust direct: %d ns/call, C ABI: %d ns/call (best of runs, %d calls each)\n", r, c, n
    printf "overhead: %+d ns/call, ratio C/Rust = %.3f\n", c - r, c / r
}'
