#!/usr/bin/env bash
# Builds the C library in release mode and installs it for C programmers:
#   PREFIX/lib/libreviewguard.so, PREFIX/lib/libreviewguard.a, PREFIX/include/reviewguard.h,
#   PREFIX/lib/pkgconfig/reviewguard.pc
# usage: bindings-c/install.sh PREFIX        (honours CARGO_TARGET_DIR, default `target`)
set -euo pipefail
if [ $# -ne 1 ]; then
    echo "usage: $0 PREFIX" >&2
    exit 2
fi
mkdir -p "$1"
prefix="$(cd "$1" && pwd)"
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"

cargo build --release --locked -p reviewguard-ffi
lib="$target/release"

# The system libraries a static link needs, as rustc reports them (fallback: the usual set).
libs_private="$(cargo rustc --release --locked -p reviewguard-ffi --lib --crate-type staticlib \
    -- --print native-static-libs 2>&1 | sed -n 's/.*native-static-libs: //p' | tail -n 1)"
libs_private="${libs_private:--lgcc_s -lutil -lrt -lpthread -lm -ldl -lc}"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"

install -d "$prefix/lib/pkgconfig" "$prefix/include"
install -m 755 "$lib/libreviewguard.so" "$prefix/lib/"
install -m 644 "$lib/libreviewguard.a" "$prefix/lib/"
install -m 644 bindings-c/include/reviewguard.h "$prefix/include/"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" -e "s|@LIBS_PRIVATE@|$libs_private|" \
    bindings-c/reviewguard.pc.in > "$prefix/lib/pkgconfig/reviewguard.pc"
echo "installed reviewguard $version into $prefix"
