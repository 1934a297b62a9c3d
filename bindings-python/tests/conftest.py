"""Shared fixtures: the engine, the repository paths and the CLI binary the tests compare to."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import reviewguard

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def engine() -> reviewguard.Engine:
    return reviewguard.Engine()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def cli() -> str:
    """The `reviewguard` binary: $REVIEWGUARD_CLI (set by scripts/test-python.sh) or built here."""
    path = os.environ.get("REVIEWGUARD_CLI")
    if path:
        return path
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    if not target.is_absolute():
        target = ROOT / target
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bin", "reviewguard"],
        cwd=ROOT,
        check=True,
        env={**os.environ, "CARGO_TARGET_DIR": str(target)},
    )
    built = target / "release" / "reviewguard"
    assert built.exists() or shutil.which("reviewguard"), "cannot find the reviewguard CLI"
    return str(built)


def run_cli(cli: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [cli, *args], input=stdin, capture_output=True, text=True, encoding="utf-8"
    )
