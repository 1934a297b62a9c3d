#!/usr/bin/env bash
# Rust: formatting, lints (warnings are errors), docs, every test, and the default pack check.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked -q
cargo test --workspace --locked
cargo run -q --locked --bin reviewguard -- pack check policies/amazon-reviews
