#!/usr/bin/env bash
# WebAssembly: build the npm package (bindings-wasm/build.sh), then type-check the committed
# TypeScript declarations, run the Node.js tests against the CLI, the browser test of the demo
# page in Debian's headless Chromium, and the size budget. Installs what it needs (as root on a
# fresh Debian machine: rustc-web, lld, binaryen and chromium from Debian; wasm-bindgen-cli
# from crates.io; playwright-core and typescript from npm). Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
crate="$root/bindings-wasm"
target_dir="${CARGO_TARGET_DIR:-target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
export CARGO_TERM_COLOR=never

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

echo "--> build the package"
bash "$crate/build.sh"

echo "--> the CLI the decisions are compared with"
cargo build -q --locked --bin reviewguard
export RG_CLI="$target_dir/debug/reviewguard"

echo "--> npm dependencies"
(cd "$crate" && npm ci --no-audit --no-fund --loglevel=error)

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
    echo "--> chromium from Debian"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
fi

echo "--> TypeScript declarations: committed = generated, and they type-check"
if ! diff -u "$crate/types/reviewguard.d.ts" "$crate/pkg/bundler/reviewguard.d.ts"; then
    echo "types/reviewguard.d.ts is stale: run UPDATE_TYPES=1 bindings-wasm/build.sh and commit it" >&2
    exit 1
fi
(cd "$crate" && npx --no-install tsc --noEmit -p tsconfig.json)

echo "--> Node.js tests"
(cd "$crate" && node --test tests/node.test.mjs)

echo "--> browser test (headless Chromium)"
(cd "$crate" && node --test --test-reporter=spec tests/browser.test.mjs)

echo "--> conformance corpus (tests/conformance/): Node.js and headless Chromium"
(cd "$crate" && node --test --test-reporter=spec tests/conformance.test.mjs)

echo "--> size"
wasm="$crate/pkg/web/reviewguard_bg.wasm"
raw=$(wc -c < "$wasm")
gz=$(gzip -9c "$wasm" | wc -c)
budget_kib=$(grep -v '^#' "$crate/size-budget.txt" | tr -d '[:space:]')
awk -v r="$raw" -v g="$gz" -v b="$budget_kib" 'BEGIN {
    printf "reviewguard_bg.wasm: %d bytes, %d bytes gzipped = %.1f KiB (budget %s KiB)\n", r, g, g / 1024, b }'
if [ "$gz" -gt $((budget_kib * 1024)) ]; then
    echo "over the size budget in bindings-wasm/size-budget.txt" >&2
    exit 1
fi
echo "--> wasm suite passed"
