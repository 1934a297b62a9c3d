#!/usr/bin/env python3
"""Hostile inputs through the release CLI: each must give a decision or a clear error, with peak
memory (the child's own max RSS, from wait4) and wall time measured and bounded.

usage: hostile.py CLI [--max-rss-mb N] [--max-seconds S] [--markdown]

Every input is generated here (nothing is read from ../shared). The expected outcome of each is
asserted. The memory and time bounds are generous ceilings, not timing tests: they catch an
input that makes the engine quadratic (minutes) or exhaust memory, not a slow machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

MB = 1 << 20


def message_case(text_len: int) -> bytes:
    """A case with one message of `text_len` bytes: mostly clean prose, one violation."""
    unit = "Thanks for your order, we hope the blender works well for you. "
    body = (unit * (text_len // len(unit) + 1))[: text_len - 40]
    body += " Leave a review and get a $10 gift card!"
    case = {"id": "big-message", "messages": [{"id": "M1", "text": body}]}
    return (json.dumps(case) + "\n").encode()


def many_relations(n: int) -> bytes:
    parts = ['{"id":"relations","seller":"S1","parties":[{"id":"S1","kind":"seller"}']
    parts += [f',{{"id":"P{p}","kind":"person"}}' for p in range(1000)]
    parts.append(',{"id":"A1","kind":"customer_account"}],"relations":[')
    parts.append(",".join(f'{{"kind":"employs","from":"S1","to":"P{i % 1000}"}}' for i in range(n)))
    parts.append('],"products":[{"id":"B1","seller":"S1"}],')
    parts.append('"reviews":[{"id":"R1","product":"B1","author":"A1","rating":5}]}\n')
    return "".join(parts).encode()


DENSE = (
    "Leave a 5-star review and we will send you a $10 gift card, please do not leave a bad "
    "review, contact us first, "
)


def dense_message_case(channel: str) -> bytes:
    """One message of nearly 1 MiB (the default text limit) with a violation, a negation and a
    composite in every clause, and no sentence end: tens of thousands of hits in one sentence."""
    body = (DENSE * ((MB - 64) // len(DENSE)))[: MB - 64]
    case = {"id": "dense", "messages": [{"id": "M1", "channel": channel, "text": body}]}
    return (json.dumps(case) + "\n").encode()


def catalog_case(products: int, family_size: int) -> bytes:
    """`products` products in variation families of `family_size`, brands differing."""
    prods = [
        {"id": f"B{i}", "seller": "S1", "parent": f"F{i // family_size}", "brand": f"b{i % 3}"}
        for i in range(products)
    ]
    case = {"id": "catalog", "seller": "S1", "parties": [{"id": "S1", "kind": "seller"}],
            "products": prods}
    return (json.dumps(case) + "\n").encode()


def seller_side_case(partners: int) -> bytes:
    """One seller with `partners` partner services, each with an employee who owns an account."""
    parties = [{"id": "S1", "kind": "seller"}, {"id": "A1", "kind": "customer_account"}]
    parties += [{"id": f"X{i}", "kind": "service"} for i in range(partners)]
    rels = [{"kind": "partner", "from": "S1", "to": f"X{i}"} for i in range(partners)]
    case = {"id": "partners", "seller": "S1", "parties": parties, "relations": rels,
            "products": [{"id": "B1", "seller": "S1"}],
            "reviews": [{"id": "R1", "product": "B1", "author": "A1", "rating": 5}]}
    return (json.dumps(case) + "\n").encode()


def many_sellers_case(n: int) -> bytes:
    """`n` sellers evaluated at once (no `seller`), and `n` reviews, messages and payments by a
    customer who belongs to none of them."""
    parties = [{"id": f"S{i}", "kind": "seller"} for i in range(n)]
    parties.append({"id": "A1", "kind": "customer_account"})
    case = {
        "id": "sellers", "parties": parties, "products": [{"id": "B1"}],
        "reviews": [{"id": f"R{i}", "product": "B1", "author": "A1", "rating": 5} for i in range(n)],
        "messages": [{"id": f"M{i}", "from": "A1", "text": "hi"} for i in range(n)],
        "payments": [{"id": f"P{i}", "from": "A1", "kind": "refund"} for i in range(n)],
    }
    return (json.dumps(case) + "\n").encode()


def paid_edits_case(n: int, edits: int) -> bytes:
    """`n` payments by the seller linked to one review with `edits` edits, the last a removal
    (each payment cites that one edit: the decision stays linear in the case)."""
    case = {
        "id": "paid-edits", "seller": "S1",
        "parties": [{"id": "S1", "kind": "seller"}, {"id": "A1", "kind": "customer_account"}],
        "products": [{"id": "B1"}],
        "reviews": [{"id": "R1", "product": "B1", "author": "A1", "rating": 1,
                     "edits": [{"rating": 1} for _ in range(edits - 1)] + [{"removed": True}]}],
        "payments": [{"id": f"P{i}", "from": "S1", "kind": "refund", "review": "R1"}
                     for i in range(n)],
    }
    return (json.dumps(case) + "\n").encode()


def cycle_case() -> bytes:
    rel = lambda k, a, b: {"kind": k, "from": a, "to": b}  # noqa: E731
    people = [f"P{i}" for i in range(50)]
    case = {
        "id": "cycle",
        "seller": "S1",
        "parties": [{"id": "S1", "kind": "seller"}, {"id": "A1", "kind": "customer_account"}]
        + [{"id": p, "kind": "person"} for p in people],
        # A ring of family ties, and owner/employee loops back to the seller.
        "relations": [rel("family", people[i], people[(i + 1) % 50]) for i in range(50)]
        + [rel("employs", "S1", "P0"), rel("principal_of", "P0", "S1"), rel("owns", "P1", "A1")],
        "products": [{"id": "B1", "seller": "S1"}],
        "reviews": [{"id": "R1", "product": "B1", "author": "A1", "rating": 5}],
    }
    return (json.dumps(case) + "\n").encode()


def deep_case(depth: int) -> bytes:
    return ('{"products":[{"id":"P","theme":{"x":' + "[" * depth + "]" * depth + "}}]}\n").encode()


EXPLODING_PACK = """[pack]
name = "hostile"
version = "1"
languages = ["en"]

[[concept]]
name = "ab"
lang = "en"
regex = ['(a|b)*a(a|b){24}']

[[rule]]
id = "r"
kind = "biased-review-request"
all = ["ab"]
why = "a regex whose DFA has 2^25 states"
must_match = ["aaaaaaaaaaaaaaaaaaaaaaaaa"]
"""


# One literal term of 5,000 `a` and a `b`: searched from its first bytes and walked on, each
# `a` of an all-`a` text would read 5,000 bytes (quadratic); a long term is searched whole.
LONG_TERM_PACK = """[pack]
name = "hostile-long-term"
version = "1"
languages = ["en"]

[[concept]]
name = "long"
lang = "en"
terms = ["%s"]

[[rule]]
id = "r"
kind = "biased-review-request"
all = ["long"]
why = "a literal term of 5,001 bytes"
must_match = ["%s"]
""" % ("a" * 5000 + "b", "a" * 5000 + "b")


def kinds_summary(kinds) -> str:
    """`a,b` or, when a kind repeats, `a x3,b`: one short line however many violations."""
    counts: dict[str, int] = {}
    for k in kinds:
        counts[k] = counts.get(k, 0) + 1
    return ",".join(k if n == 1 else f"{k} x{n}" for k, n in counts.items())


def run(cli: str, args: list[str], stdin: Path, max_seconds: float) -> tuple[int, bytes, bytes, float, int]:
    """Runs the CLI, killed after `max_seconds`; returns (exit code, stdout, stderr, seconds, peak
    RSS in bytes)."""
    with stdin.open("rb") as fin, tempfile.TemporaryFile() as fout, tempfile.TemporaryFile() as ferr:
        start = time.perf_counter()
        proc = subprocess.Popen([cli, *args], stdin=fin, stdout=fout, stderr=ferr)
        timer = threading.Timer(max_seconds, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        fout.seek(0)
        ferr.seek(0)
        return proc.returncode, fout.read(), ferr.read(), elapsed, usage.ru_maxrss * 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("--max-rss-mb", type=int, default=2048)
    ap.add_argument("--max-seconds", type=float, default=60.0)
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--inputs", help=argparse.SUPPRESS)
    a = ap.parse_args()

    tmp = Path(a.inputs or tempfile.mkdtemp(prefix="rg-hostile-"))
    pack_dir = tmp / "pack"
    long_pack_dir = tmp / "long-pack"
    raised = ["--max-case-bytes", str(128 * MB), "--max-text-bytes", str(128 * MB)]

    def error(code: str, location):
        def check(rc, out, err):
            line = json.loads(out)
            return rc == 2 and line["error"]["code"] == code and line["error"]["location"] == location
        return check

    def decision(kind):
        def check(rc, out, err):
            line = json.loads(out)
            kinds = [v["kind"] for v in line.get("violations", [])]
            return rc in (0, 1) and "error" not in line and (kind is None or kind in kinds)
        return check

    def scan_ok(rc, out, err):
        return rc in (0, 1) and isinstance(json.loads(out), list)

    cases = [
        ("baseline: one short message", ["check"], lambda: message_case(200),
         decision("compensated-review")),
        ("64 MB message, default limits", ["check"], lambda: message_case(64 * MB),
         error("limit_exceeded", None)),
        ("64 MB message, limits raised to 128 MB", ["check", *raised],
         lambda: message_case(64 * MB),
         decision("compensated-review")),
        ("64 MB text through scan, limits raised", [*raised, "scan", "--format", "json", "-"],
         lambda: message_case(64 * MB), scan_ok),
        ("1 000 000 relations, default limits", ["check"], lambda: many_relations(1_000_000),
         error("limit_exceeded", "relations")),
        ("1 000 000 relations, list limit raised", ["check", "--max-list-len", "2000000"],
         lambda: many_relations(1_000_000), decision(None)),
        ("relation cycles (family ring, owner loop)", ["check"], cycle_case,
         decision("insider-review")),
        ("JSON nested 100 000 deep", ["check"], lambda: deep_case(100_000),
         error("limit_exceeded", "line 1 column 97")),
        ("invalid UTF-8 and NUL escapes in a line", ["check"],
         lambda: b'{"messages":[{"id":"M","text":"\\u0000 5-star review \xff"}]}\n',
         error("invalid_json", "line 1 column 53")),
        ("1 MB of spaced-out single letters", ["scan", "--format", "json", "-"],
         lambda: b"a " * (MB // 2 - 8), scan_ok),
        # Each masked word is looked up in the pack's vocabulary (`q**x` matches no word).
        ("1 MB of masked words", ["scan", "--format", "json", "-"],
         lambda: b"please q**x r**view " * (MB // 20 - 1), scan_ok),
        # Every hit used to be compared with every other (composites, negation, rules) and a
        # merged finding re-quoted at each step: minutes at 1 MB. Now linear.
        ("1 MB message dense with hits, one sentence", ["check"],
         lambda: dense_message_case("buyer_seller_message"), decision("compensated-review")),
        ("1 MB package insert dense with hits", ["check"],
         lambda: dense_message_case("package_insert"), decision("insert-solicitation")),
        ("pack regex with a 2^25-state DFA, 1 MB text",
         ["--pack", str(pack_dir), "scan", "--format", "json", "-"],
         lambda: b"ab" * (MB // 2), scan_ok),
        ("pack term of 5 001 bytes, 1 MB text of its first letter",
         ["--pack", str(long_pack_dir), "scan", "--format", "json", "-"],
         lambda: b"a" * MB, scan_ok),
        ("a review with 1 000 000 edits, default limits", ["check"],
         lambda: paid_edits_case(1, 1_000_000), error("limit_exceeded", "reviews[0].edits")),
        # Last, the inputs with large decisions: parsing them grows this script, and a child's
        # peak RSS counts the parent's pages at fork.
        # Each seller side scanned every relation for each of its parties, every seller read
        # every review, message and payment, and every payment walked every edit of its review.
        ("200 000 partners of one seller", ["check"], lambda: seller_side_case(199_998),
         decision(None)),
        ("40 000 sellers x 40 000 reviews, messages, payments", ["check"],
         lambda: many_sellers_case(40_000), decision(None)),
        ("200 000 payments of a review with 200 000 edits", ["check"],
         lambda: paid_edits_case(199_999, 199_999), decision("refund-for-review-change")),
        # Variation families used to be found by scanning the catalog once per parent, and one
        # family compared pair by pair: minutes at these sizes. Now linear.
        ("200 000 products in 100 000 families", ["check"],
         lambda: catalog_case(200_000, 2), decision("variation-abuse")),
        ("one family of 200 000 products", ["check"],
         lambda: catalog_case(200_000, 200_000), decision("variation-abuse")),
    ]

    if not a.inputs:
        # Inputs are written first, then this script starts afresh to run them: a child's peak
        # RSS counts the parent's pages at fork (Linux keeps the pre-exec high-water mark), so
        # the parent must be small when it spawns.
        pack_dir.mkdir()
        (pack_dir / "pack.toml").write_text(EXPLODING_PACK)
        long_pack_dir.mkdir()
        (long_pack_dir / "pack.toml").write_text(LONG_TERM_PACK)
        for i, (_, _, make, _) in enumerate(cases):
            (tmp / f"{i}.in").write_bytes(make())
        argv = [sys.executable, __file__, a.cli, "--max-rss-mb", str(a.max_rss_mb),
                "--max-seconds", str(a.max_seconds), "--inputs", str(tmp)]
        os.execv(sys.executable, argv + (["--markdown"] if a.markdown else []))

    rows = []
    failed = 0
    for i, (name, args, _, check) in enumerate(cases):
        size = (tmp / f"{i}.in").stat().st_size
        rc, out, err, secs, rss = run(a.cli, args, tmp / f"{i}.in", a.max_seconds)
        try:
            ok = check(rc, out.decode(), err.decode())
        except (ValueError, KeyError, TypeError):
            ok = False
        ok = ok and rss <= a.max_rss_mb * MB and secs < a.max_seconds
        failed += not ok
        outcome = out.decode(errors="replace").strip()
        if '"error"' in outcome:
            outcome = json.loads(outcome)["error"]["code"] + " at " + str(
                json.loads(outcome)["error"]["location"]
            )
        elif outcome.startswith("["):
            outcome = f"{len(json.loads(outcome))} findings"
        else:
            outcome = "decision: " + kinds_summary(
                v["kind"] for v in json.loads(outcome).get("violations", [])
            ) if outcome else f"exit {rc}: {err.decode(errors='replace').strip()[:80]}"
        if secs >= a.max_seconds:
            outcome = f"killed after {a.max_seconds:.0f} s"
        rows.append((name, size, outcome, secs, rss, ok))

    if a.markdown:
        print("| input | bytes | outcome | time | peak RSS |")
        print("|---|---:|---|---:|---:|")
        for name, size, outcome, secs, rss, ok in rows:
            print(f"| {name} | {size:,} | {outcome} | {secs:.2f} s | {rss / MB:.0f} MiB |")
    else:
        for name, size, outcome, secs, rss, ok in rows:
            mark = "ok  " if ok else "FAIL"
            print(f"{mark} {name:<45} {size:>11,} B  {secs:6.2f} s  {rss / MB:7.0f} MiB  {outcome}")
    print(f"hostile: {len(rows) - failed} passed, {failed} failed")
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
