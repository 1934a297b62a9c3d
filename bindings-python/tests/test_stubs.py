"""The committed .pyi stubs describe the compiled module (mypy.stubtest)."""

from __future__ import annotations

import subprocess
import sys


def test_stubs_match_the_compiled_module():
    done = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "reviewguard._reviewguard"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
