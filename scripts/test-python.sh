#!/usr/bin/env bash
# Python binding: builds the `reviewguard` package into a venv (bindings-python/.venv, created
# and filled on first use), then runs pytest and checks the .pyi stubs against the compiled
# module. Needs only python3 (with venv), cargo and access to PyPI and crates.io.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
case "$CARGO_TARGET_DIR" in /*) ;; *) CARGO_TARGET_DIR="$root/$CARGO_TARGET_DIR" ;; esac

venv=bindings-python/.venv
if [ ! -x "$venv/bin/python" ]; then
    # Debian's python3 lacks ensurepip unless python3-venv is installed: then make the venv
    # without pip and bootstrap pip from its wheel on PyPI (a wheel runs as a zip app).
    python3 -m venv "$venv" 2>/dev/null || { rm -rf "$venv"; python3 -m venv --without-pip "$venv"; }
fi
py="$venv/bin/python"
if ! "$py" -m pip --version >/dev/null 2>&1; then
    "$py" - <<'PY'
import json, os, subprocess, sys, tempfile, urllib.parse, urllib.request
index = "https://pypi.org/pypi/pip/json"
meta = json.load(urllib.request.urlopen(index))
url = next(u["url"] for u in meta["urls"] if u["packagetype"] == "bdist_wheel")
url = urllib.parse.urljoin(index, url)  # mirrors may answer with relative links
whl = os.path.join(tempfile.mkdtemp(), url.rsplit("/", 1)[-1])
urllib.request.urlretrieve(url, whl)
subprocess.check_call([sys.executable, os.path.join(whl, "pip"), "install", "--quiet", whl])
PY
fi

# Test tools, installed once (pip is skipped when every one is importable). pyspark (~300 MB)
# runs tests/test_spark.py in local mode; those tests skip where `java` is not on PATH.
need=(maturin pytest mypy pandas polars pyarrow tqdm pyspark)
if ! "$py" - "${need[@]}" <<'PY' 2>/dev/null
import importlib.util, sys
missing = [m for m in sys.argv[1:] if importlib.util.find_spec(m) is None]
sys.exit(1 if missing else 0)
PY
then
    "$py" -m pip install --quiet --disable-pip-version-check "${need[@]}"
fi

# Build the extension (release) and install it into the venv, editable.
(
    cd bindings-python
    VIRTUAL_ENV="$root/$venv" PATH="$root/$venv/bin:$PATH" \
        maturin develop --release --locked --quiet
)

# The tests compare against the CLI's bytes: build it into the same target directory.
cargo build --release --locked --quiet --bin reviewguard
export REVIEWGUARD_CLI="$CARGO_TARGET_DIR/release/reviewguard"

# pytest exits 5 when it collected no tests: with `set -e` that fails the suite, as it must.
"$py" -m pytest -q bindings-python/tests
"$py" -m mypy.stubtest reviewguard._reviewguard
echo "python: ok"
