#!/usr/bin/env bash
# Fuzz smoke runs (fuzz/, cargo-fuzz on the nightly toolchain): builds every target once, then
# runs each for FUZZ_SECONDS (default 20) from a scratch corpus seeded with
# fuzz/regressions/<target> and the repository's examples, corpus texts and pack files, so the
# fuzzers cannot rot. Prints libFuzzer's execution count per target and fails if any target
# crashes, leaks, times out or runs out of memory (the input is left in fuzz/artifacts/).
# Usage: scripts/test-fuzz.sh [TARGET...]   (default: every target)
# The regressions themselves are also replayed by `cargo test` on stable
# (core/tests/fuzz_regressions.rs, bindings-c/tests/fuzz_regressions.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
seconds="${FUZZ_SECONDS:-20}"
toolchain="${FUZZ_TOOLCHAIN:-nightly}"
step() { echo "--- fuzz: $*"; }

step "tools"
if ! cargo "+$toolchain" --version >/dev/null 2>&1; then
    rustup toolchain install "$toolchain" --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

targets=(case_json pack normalize scan c_api differential)
[ $# -eq 0 ] || targets=("$@")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step "seeds"
# One file per line of the JSON Lines files (cases), one per `text` of the corpus (texts),
# and the pack files. Every target also gets its own regressions, which are in its format.
mkdir -p "$work/cases" "$work/texts" "$work/packs"
n=0
for f in examples/cases.jsonl tests/spec/*.jsonl; do
    while IFS= read -r line; do
        n=$((n + 1))
        [ -z "$line" ] || printf '%s' "$line" > "$work/cases/$n"
    done < "$f"
done
if command -v python3 >/dev/null; then
    python3 - "$work/texts" tests/corpus/*.jsonl <<'PY'
import json, sys
out, n = sys.argv[1], 0
for path in sys.argv[2:]:
    for line in open(path, encoding="utf-8"):
        if line.strip():
            n += 1
            with open(f"{out}/{n}", "w", encoding="utf-8") as f:
                f.write(json.loads(line)["text"])
PY
else
    cp tests/corpus/*.jsonl "$work/texts/"
fi
cp policies/amazon-reviews/*.toml "$work/packs/"

seeds_for() {
    case "$1" in
        case_json | c_api) echo cases ;;
        pack) echo packs ;;
        *) echo texts ;;
    esac
}

cd fuzz
step "build (cargo +$toolchain fuzz build, AddressSanitizer, debug assertions)"
# An explicit target directory and triple, so the binaries are found whatever CARGO_TARGET_DIR
# says; they are then run directly, so that every run uses this one build.
host="$(rustc "+$toolchain" -vV | sed -n 's/^host: //p')"
t0=$SECONDS
cargo "+$toolchain" fuzz build --debug-assertions --target "$host" --target-dir "$PWD/target"
echo "built in $((SECONDS - t0)) s"

failed=()
for t in "${targets[@]}"; do
    corpus="$work/corpus-$t"
    mkdir -p "$corpus"
    cp "regressions/$t/"* "$corpus/"
    cp "$work/$(seeds_for "$t")/"* "$corpus/"
    step "run $t for ${seconds} s"
    t1=$SECONDS
    rc=0
    mkdir -p "artifacts/$t"
    "target/$host/release/$t" -artifact_prefix="$PWD/artifacts/$t/" \
        -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=4096 -timeout=120 \
        -print_final_stats=1 "$corpus" > "$work/$t.log" 2>&1 || rc=$?
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -n 1)"
    echo "$t: ${execs:-?} executions in $((SECONDS - t1)) s (exit $rc)"
    if [ "$rc" -ne 0 ]; then
        tail -n 60 "$work/$t.log"
        failed+=("$t")
    fi
done
echo "fuzz total (build + runs): $((SECONDS - t0)) s"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz targets failed: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "--- fuzz: all passed"
