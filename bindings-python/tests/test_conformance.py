"""Python gives exactly the CLI's bytes: public examples, the spec examples and the text corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reviewguard
from conftest import run_cli


def cli_lines(cli: str, path: Path) -> list[str]:
    done = run_cli(cli, "check", str(path))
    assert done.returncode in (0, 1, 2), done.stderr
    return done.stdout.splitlines()


def test_public_examples_match_the_cli_byte_for_byte(engine, root, cli):
    path = root / "examples" / "cases.jsonl"
    expected = cli_lines(cli, path)
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    assert len(expected) == len(lines) > 0
    # Each way in: a JSON string, a dict, a batch, and the JSON Lines protocol.
    assert [engine.evaluate(l).to_json() for l in lines] == expected
    assert [engine.evaluate(json.loads(l)).to_json() for l in lines] == expected
    assert [d.to_json() for d in engine.evaluate_many(json.loads(l) for l in lines)] == expected
    assert engine.check_jsonl(path.read_text(encoding="utf-8")) == expected
    for d, line in zip(engine.evaluate_many(lines), expected):
        assert d.to_dict() == json.loads(line)


def test_spec_examples_match_the_cli(engine, root, cli, tmp_path):
    cases = []
    for line in (root / "tests" / "spec" / "examples.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            case.pop("expect", None)  # test metadata, not part of the format
            cases.append(case)
    stripped = tmp_path / "cases.jsonl"
    stripped.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    expected = cli_lines(cli, stripped)
    assert [d.to_json() for d in engine.evaluate_many(cases)] == expected


def test_unreadable_items_give_the_cli_error_lines(engine, cli, tmp_path):
    text = '{"id": "ok"}\n\n{"id": "bad", "nope": 1}\nnot json\n'
    path = tmp_path / "mixed.jsonl"
    path.write_text(text, encoding="utf-8")
    assert engine.check_jsonl(text) == cli_lines(cli, path)


def corpus_cases(root: Path) -> list[dict]:
    """Each line of the text corpus as a case: a message in its channel, or a review's text."""
    cases = []
    for f in sorted((root / "tests" / "corpus").glob("*.jsonl")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            item = json.loads(line)
            case: dict = {
                "id": f"{f.name}:{n}",
                "seller": "S1",
                "parties": [{"id": "S1", "kind": "seller"}, {"id": "A1", "kind": "customer_account"}],
            }
            if item["source"] == "review":
                case["products"] = [{"id": "B1", "seller": "S1"}]
                case["reviews"] = [{"id": "R1", "product": "B1", "author": "A1", "text": item["text"]}]
            else:
                message = {"id": "M1", "from": "S1", "to": "A1", "text": item["text"]}
                if item.get("channel"):
                    message["channel"] = item["channel"]
                if item.get("locale"):
                    message["locale"] = item["locale"]
                case["messages"] = [message]
            cases.append(case)
    return cases


def test_text_corpus_matches_the_cli(engine, root, cli, tmp_path):
    cases = corpus_cases(root)
    if not cases:
        pytest.skip("no text corpus in tests/corpus")
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    expected = cli_lines(cli, path)
    assert [d.to_json() for d in engine.evaluate_many(cases)] == expected


def test_scan_matches_the_cli_scan(engine, cli):
    text = "😀 Leave a review of the blender and we'll send you a $10 gift card as a thank-you!"
    done = run_cli(cli, "scan", "--format", "json", "--channel", "package_insert", text)
    assert done.returncode in (0, 1), done.stderr
    found = engine.scan(text, "package_insert")
    mine = []
    for f in found:
        d = f.to_dict()
        d["start"], d["end"] = d.pop("byte_start"), d.pop("byte_end")
        mine.append(d)
    assert json.loads(done.stdout) == mine
