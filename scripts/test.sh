#!/usr/bin/env bash
# The whole test suite: the README's test command, called by .ci/run.
# Installs what it needs (idempotently), then runs the Rust suite and every binding's suite.
# Each binding suite is a script of its own so it can also be run alone.
set -euo pipefail
cd "$(dirname "$0")/.."

suites=(scripts/test-rust.sh scripts/test-fuzz.sh scripts/test-c.sh scripts/test-python.sh scripts/test-hostile.sh scripts/test-wasm.sh)
for s in "${suites[@]}"; do
    if [ -f "$s" ]; then
        echo "==> $s"
        bash "$s"
    fi
done
echo "==> all suites passed"
