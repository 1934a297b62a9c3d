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


USAGE = '''
import reviewguard

engine = reviewguard.Engine()
decisions: list[reviewguard.Decision] = engine.evaluate_many([{"id": "c"}])
mixed = engine.evaluate_many(["{}"], on_error="return")
for d in mixed:
    if isinstance(d, reviewguard.CaseError):
        code: str = d.code
    else:
        kinds: list[str] = d.kinds
spans: list[tuple[int, int]] = [(f.start, f.end) for f in engine.scan("hi", channel="review")]
try:
    reviewguard.Engine.from_pack("")
except reviewguard.PolicyError as e:
    where: str | None = e.location
'''


def test_typed_usage_checks_with_mypy(tmp_path):
    src = tmp_path / "usage.py"
    src.write_text(USAGE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", str(src)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
