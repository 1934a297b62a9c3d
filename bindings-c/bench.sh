#!/usr/bin/env bash
# Per-call overhead of the C ABI on the same cases, release builds, in one run:
#   rust: `Engine::evaluate_json` + `Decision::to_json`, the Rust engine called directly;
#   ffi:  `rg_engine_evaluate_json` + `rg_buffer_free` called in the same Rust process,
#         alternating with `rust` round by round (the cleanest view of the wrapper's cost);
#   c:    `rg_engine_evaluate_json` + `rg_buffer_free` called from C through libreviewguard.so.
# Each is run REPEATS times and the fastest run is kept (the least disturbed by other load).
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

for i in $(seq "$repeats"); do
    "$lib/examples/reference" bench "$cases" "$rounds"
    "$work/bench" "$cases" "$rounds"
done | tee "$work/runs"
awk '
    { n[$1] = $2; if (!($1 in best) || $3 < best[$1]) best[$1] = $3 }
    END {
        printf "best of runs, %d calls each: rust %d ns/call, ffi %d ns/call, c %d ns/call\n",
            n["rust"], best["rust"], best["ffi"], best["c"]
        printf "ratio ffi/rust = %.4f (%+d ns/call), c/rust = %.4f (%+d ns/call)\n",
            best["ffi"] / best["rust"], best["ffi"] - best["rust"],
            best["c"] / best["rust"], best["c"] - best["rust"]
    }' "$work/runs"
