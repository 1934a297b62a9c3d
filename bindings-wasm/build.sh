#!/usr/bin/env bash
# Builds the npm package `reviewguard` into bindings-wasm/pkg/: the `web`, `node` and `bundler`
# outputs of wasm-bindgen, each optimised with `wasm-opt -Oz`, and a package.json with an
# `exports` map. Idempotent; installs what is missing:
#
#   - a Rust compiler for wasm32-unknown-unknown: a rustup toolchain that has the target
#     installed (a developer laptop), else Debian's `rustc-web` with the standard library's
#     source, built for wasm32 with `-Zbuild-std` (these machines: rustup cannot add targets);
#   - `wasm-bindgen-cli` at exactly the version of the `wasm-bindgen` crate pinned in
#     bindings-wasm/Cargo.toml;
#   - `wasm-opt` from npm's `binaryen`, pinned in bindings-wasm/package.json (Debian 12's
#     binaryen 108 predates the reference-types handling wasm-bindgen needs and breaks the module).
#
# Where the standard library is built from source (Debian's route, or a rustup toolchain with
# the `rust-src` component), panics abort at once (`-Cpanic=immediate-abort`): the engine is
# panic-free by construction and a wasm panic only traps anyway, so the panic-formatting code is
# dead weight (about 10% of the module).
#
# Honours CARGO_TARGET_DIR (default: target/ at the workspace root). UPDATE_TYPES=1 also
# refreshes the committed TypeScript declarations in bindings-wasm/types/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
crate="$root/bindings-wasm"
target_dir="${CARGO_TARGET_DIR:-target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
export CARGO_TERM_COLOR=never
triple=wasm32-unknown-unknown
profile=wasm-release

log() { echo "build.sh: $*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        log "need root to run: $*"; return 1; fi
}

apt_install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || { log "cannot install ${missing[*]}: no apt-get"; return 1; }
    log "installing ${missing[*]} from Debian"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# 1. The .wasm.
build_std=(-Zbuild-std=std,panic_abort)
abort_flags="-Zunstable-options -Cpanic=immediate-abort"
sysroot=$(rustc --print sysroot 2>/dev/null || true)
if [ -n "$sysroot" ] && [ -d "$sysroot/lib/rustlib/$triple/lib" ]; then
    if [ -d "$sysroot/lib/rustlib/src/rust/library" ]; then
        log "route: $(rustc --version) with the $triple target and rust-src (-Zbuild-std)"
        RUSTC_BOOTSTRAP=1 CARGO_ENCODED_RUSTFLAGS="${abort_flags// /$'\x1f'}" \
            cargo build --locked -p reviewguard-wasm --target "$triple" --profile "$profile" "${build_std[@]}"
    else
        log "route: $(rustc --version) with the installed $triple target (prebuilt std)"
        cargo build --locked -p reviewguard-wasm --target "$triple" --profile "$profile"
    fi
else
    log "route: Debian rustc-web + -Zbuild-std (no $triple target in $(rustc --version 2>/dev/null || echo 'no rustc'))"
    apt_install rustc-web cargo-web rust-web-src lld
    RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc \
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
        CARGO_ENCODED_RUSTFLAGS="${abort_flags// /$'\x1f'}" \
        /usr/bin/cargo build --locked -p reviewguard-wasm --target "$triple" --profile "$profile" \
        "${build_std[@]}"
fi
wasm="$target_dir/$triple/$profile/reviewguard_wasm.wasm"
[ -f "$wasm" ] || { log "expected $wasm"; exit 1; }

# 2. wasm-bindgen-cli at the pinned version.
want=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' "$crate/Cargo.toml")
[ -n "$want" ] || { log "wasm-bindgen is not pinned with = in bindings-wasm/Cargo.toml"; exit 1; }
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    log "installing wasm-bindgen-cli $want"
    # Not --locked: a locked dependency was once missing from the registry here.
    (unset CARGO_TARGET_DIR; cargo install -q wasm-bindgen-cli --version "$want" --force)
fi

# 3. wasm-opt, from the npm dependencies of bindings-wasm (package-lock.json).
wasm_opt="$crate/node_modules/.bin/wasm-opt"
if [ ! -x "$wasm_opt" ]; then
    log "installing npm dependencies (binaryen)"
    (cd "$crate" && npm ci --no-audit --no-fund --loglevel=error)
fi

# 4. Bind, optimise, package.
pkg="$crate/pkg"
rm -rf "$pkg"
for t in web:web nodejs:node bundler:bundler; do
    wasm-bindgen --remove-name-section --remove-producers-section --target "${t%%:*}" --out-dir "$pkg/${t##*:}" --out-name reviewguard "$wasm"
done
# All three outputs hold the same module; optimise it once when that is so.
opt() {
    # Rust's wasm32 target enables these proposals by default; binaryen must accept them.
    "$wasm_opt" -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
        --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
        "$1" -o "$2"
}
first="$pkg/web/reviewguard_bg.wasm"
opt "$first" "$first.opt"
for d in node bundler; do
    w="$pkg/$d/reviewguard_bg.wasm"
    if cmp -s "$w" "$first"; then cp "$first.opt" "$w"; else opt "$w" "$w"; fi
done
mv "$first.opt" "$first"
echo '{"type": "module"}' > "$pkg/web/package.json"
echo '{"type": "module"}' > "$pkg/bundler/package.json"
echo '{"type": "commonjs"}' > "$pkg/node/package.json"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)
cat > "$pkg/package.json" <<EOF
{
  "name": "reviewguard",
  "version": "$version",
  "description": "Decides whether marketplace activity breaks customer-review policy (WebAssembly)",
  "license": "Apache-2.0",
  "files": ["web", "node", "bundler", "README.md"],
  "types": "./bundler/reviewguard.d.ts",
  "main": "./node/reviewguard.js",
  "module": "./bundler/reviewguard.js",
  "sideEffects": ["./bundler/reviewguard.js", "./bundler/reviewguard_bg.js"],
  "exports": {
    ".": {
      "node": {"types": "./node/reviewguard.d.ts", "default": "./node/reviewguard.js"},
      "browser": {"types": "./bundler/reviewguard.d.ts", "default": "./bundler/reviewguard.js"},
      "default": {"types": "./bundler/reviewguard.d.ts", "default": "./bundler/reviewguard.js"}
    },
    "./web": {"types": "./web/reviewguard.d.ts", "default": "./web/reviewguard.js"},
    "./node": {"types": "./node/reviewguard.d.ts", "default": "./node/reviewguard.js"},
    "./bundler": {"types": "./bundler/reviewguard.d.ts", "default": "./bundler/reviewguard.js"},
    "./reviewguard_bg.wasm": "./web/reviewguard_bg.wasm",
    "./package.json": "./package.json"
  }
}
EOF
cp "$crate/README.md" "$pkg/README.md" 2>/dev/null || true
if [ "${UPDATE_TYPES:-0}" = 1 ]; then
    mkdir -p "$crate/types"
    cp "$pkg/bundler/reviewguard.d.ts" "$crate/types/reviewguard.d.ts"
    log "updated types/reviewguard.d.ts"
fi
log "built $pkg ($(wc -c < "$first") bytes of wasm, $(gzip -9c "$first" | wc -c) gzipped)"
