"""The conformance corpus (tests/conformance/) in Python: every entry gives exactly its blessed
output. Decisions: the same JSON bytes; errors: the same code and location (and the same error
line from the JSON Lines protocol). See tests/conformance/README.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reviewguard

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "conformance"
MIN_ENTRIES = 300


def load() -> dict[str, list[tuple[dict, dict]]]:
    """{file: [(entry, expected)]}, paired by position and checked by name."""
    out = {}
    for path in sorted((CORPUS / "cases").glob("*.jsonl")):
        entries = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
        expected_path = CORPUS / "expected" / path.name
        expected = [json.loads(l) for l in expected_path.read_text(encoding="utf-8").splitlines() if l.strip()]
        assert len(entries) == len(expected), f"{expected_path}: stale, run the bless tool"
        for e, x in zip(entries, expected):
            assert e["name"] == x["name"], f"{path.name}: {e['name']} paired with {x['name']}"
        out[path.name] = list(zip(entries, expected))
    return out


FILES = load()


def first_difference(want: str, got: str) -> str:
    a, b = want.encode("utf-8"), got.encode("utf-8")
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    ctx = lambda s: s[max(0, i - 40) : i + 40].decode("utf-8", "replace")  # noqa: E731
    return f"first difference at byte {i}\n    expected: …{ctx(a)}…\n    got:      …{ctx(b)}…"


def run_entry(engine: reviewguard.Engine, entry: dict, expected: dict) -> list[str]:
    """The mismatches of one entry (empty when it conforms)."""
    problems = []
    name, text, want = entry["name"], entry["input"], expected["output"]
    try:
        got = engine.evaluate(text).to_json()
    except reviewguard.CaseError as e:
        err = expected.get("error")
        if err is None:
            problems.append(f"{name}: expected a decision, got error {e.code} at {e.location}")
        elif (e.code, e.location) != (err["code"], err["location"]):
            problems.append(
                f"{name}: expected error {err['code']} at {err['location']}, got {e.code} at {e.location}"
            )
    else:
        if "error" in expected:
            problems.append(f"{name}: expected error {expected['error']['code']}, got a decision: {got}")
        elif got != want:
            problems.append(f"{name}: decision differs, {first_difference(want, got)}")
    # The JSON Lines protocol: the entry as the only line gives exactly the expected line.
    lines = engine.check_jsonl(text)
    if lines != [want]:
        got_line = lines[0] if len(lines) == 1 else repr(lines)
        problems.append(f"{name}: check_jsonl line differs, {first_difference(want, got_line)}")
    return problems


def test_the_corpus_is_not_empty():
    total = sum(len(v) for v in FILES.values())
    assert total >= MIN_ENTRIES, f"only {total} conformance entries"


@pytest.mark.parametrize("file", sorted(FILES))
def test_every_entry_gives_its_blessed_output(engine, file):
    problems = [p for entry, expected in FILES[file] for p in run_entry(engine, entry, expected)]
    assert not problems, f"{len(problems)} mismatches in {file}:\n" + "\n".join(problems)


def test_a_changed_output_is_reported():
    entry, expected = next(iter(FILES.values()))[0]
    tampered = {**expected, "output": expected["output"] + " "}
    assert run_entry(reviewguard.Engine(), entry, tampered)
