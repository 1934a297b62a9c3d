"""Baselines of the one-run report: Hyperscan and Python `re` over the same folded text.

Run by `reviewguard-bench text` (see bench/README.md) as `python baselines.py OUT_DIR`, where
OUT_DIR holds what the Rust side wrote in the same run:

- patterns.json: the pack's terms as the engine's matcher compiles them (literal terms after
  expansion and folding; regex terms after folding, in regex-automata syntax);
- folded.jsonl: the corpus after the engine's normaliser, one JSON string per line;
- folded_1kb.jsonl: the 1 KB latency set, folded.

Prints one JSON object on stdout: {"hyperscan": {...}, "re": {...}}. Each engine finds every
match of every pattern in each text, text by text, as the engine's matching stage does.
"""

import json
import re
import sys
import time
from pathlib import Path

# Python `re` is a backtracking engine: with tens of thousands of alternatives it runs at
# kilobytes per second, so it gets a time budget and is timed over the texts it got through.
RE_BUDGET_S = 20.0


def load(out):
    pats = json.loads((out / "patterns.json").read_text())
    texts = [json.loads(l) for l in (out / "folded.jsonl").read_text().splitlines() if l]
    one_kb = [json.loads(l) for l in (out / "folded_1kb.jsonl").read_text().splitlines() if l]
    return pats, texts, one_kb


def to_pcre(p):
    """regex-automata syntax to PCRE/Python syntax: ASCII word boundaries are `\\b` there."""
    s = p["pattern"]
    while True:
        t = s.replace("(?-u:\\b)", "\\b").replace("(?-u:\\B)", "\\B")
        if t == s:
            return s
        s = t


def escape_literal(s):
    # Escape every ASCII non-alphanumeric character; non-ASCII passes as UTF-8.
    return "".join("\\" + c if c.isascii() and not c.isalnum() and c != " " else c for c in s)


def percentiles(lat):
    lat = sorted(lat)
    at = lambda q: lat[min(len(lat) - 1, round((len(lat) - 1) * q))]
    return at(0.5), at(0.99), at(0.999)


def bench(name, note, scan, texts, one_kb, budget=None):
    # Best of 3 rounds over the corpus (or the texts done within the budget).
    best, done_bytes, done_texts = None, 0, 0
    for _ in range(3):
        t0 = time.perf_counter()
        nb = nt = 0
        for t in texts:
            scan(t)
            nb += len(t)
            nt += 1
            if budget and time.perf_counter() - t0 > budget:
                break
        dt = time.perf_counter() - t0
        if best is None or nb / dt > done_bytes / best:
            best, done_bytes, done_texts = dt, nb, nt
        if budget:
            break
    lat = []
    t_lat = time.perf_counter()
    for _ in range(1 if budget else 3):
        for t in one_kb:
            a = time.perf_counter_ns()
            scan(t)
            lat.append(time.perf_counter_ns() - a)
            if budget and time.perf_counter() - t_lat > budget / 4:
                break
    p50, p99, p999 = percentiles(lat)
    return {
        "name": name,
        "bytes": done_bytes,
        "texts": done_texts,
        "seconds": best,
        "p50_ns": p50,
        "p99_ns": p99,
        "p999_ns": p999,
        "note": note,
    }


def hyperscan_baseline(pats, texts, one_kb):
    import hyperscan

    exprs, skipped = [], 0
    flags = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_ALLOWEMPTY
    for p in pats:
        e = to_pcre(p) if p["regex"] else escape_literal(p["pattern"])
        if p["regex"]:
            # Only regex terms can fail; literal terms always compile.
            try:
                db = hyperscan.Database()
                db.compile(expressions=[e.encode()], ids=[0], flags=[flags])
            except Exception as err:  # noqa: BLE001 - hyperscan.error has no finer classes
                print(f"hyperscan skips {e!r}: {err}", file=sys.stderr)
                skipped += 1
                continue
        exprs.append(e.encode())
    t0 = time.perf_counter()
    db = hyperscan.Database()
    db.compile(expressions=exprs, ids=list(range(len(exprs))), flags=[flags] * len(exprs))
    build = time.perf_counter() - t0
    count = [0]

    def on_match(_id, _from, _to, _flags, _ctx):
        count[0] += 1

    enc = [t.encode() for t in texts]
    enc_1kb = [t.encode() for t in one_kb]
    scratch = hyperscan.Scratch(db)
    r = bench(
        "Hyperscan",
        f"{len(exprs)} patterns, {skipped} skipped, build {build * 1e3:.0f} ms; Python hyperscan 0.9 (per-call overhead included)",
        lambda b: db.scan(b, match_event_handler=on_match, scratch=scratch),
        enc,
        enc_1kb,
    )
    r["matches"] = count[0]
    r["build_s"] = build
    r["skipped"] = skipped
    # The same scans with no match callback: Hyperscan's own speed, without Python calls per
    # match (the fairest baseline, and the one the ratios use).
    r2 = bench(
        "Hyperscan, no callback",
        "the same database and texts; matches not reported to Python",
        lambda b: db.scan(b, scratch=scratch),
        enc,
        enc_1kb,
    )
    return r, r2


def re_baseline(pats, one_kb):
    alts = []
    for p in pats:
        alts.append("(?:" + to_pcre(p) + ")" if p["regex"] else re.escape(p["pattern"]))
    # Longest literals first, so leftmost-first alternation prefers the longer phrase.
    alts.sort(key=len, reverse=True)
    t0 = time.perf_counter()
    big = re.compile("|".join(alts))
    build = time.perf_counter() - t0
    # About a second per kilobyte: timed on the 1 KB messages it gets through in the budget
    # (a 100 KB text of the corpus alone would take minutes); each scan is also a latency.
    lat, nb = [], 0
    t0 = time.perf_counter()
    for t in one_kb:
        a = time.perf_counter_ns()
        sum(1 for _ in big.finditer(t))
        lat.append(time.perf_counter_ns() - a)
        nb += len(t.encode())
        if time.perf_counter() - t0 > RE_BUDGET_S:
            break
    p50, p99, p999 = percentiles(lat)
    return {
        "name": "Python re",
        "bytes": nb,
        "texts": len(lat),
        "seconds": sum(lat) / 1e9,
        "p50_ns": p50,
        "p99_ns": p99,
        "p999_ns": p999,
        "note": f"one alternation of {len(alts)} patterns, leftmost-first; build {build:.1f} s; "
        f"{len(lat)} of the 1 KB messages in a {RE_BUDGET_S:.0f} s budget",
        "build_s": build,
    }


def main():
    out = Path(sys.argv[1])
    pats, texts, one_kb = load(out)
    res = {}
    try:
        res["hyperscan_cb"], res["hyperscan"] = hyperscan_baseline(pats, texts, one_kb)
    except ImportError:
        print("hyperscan is not installed; run bench/run.sh", file=sys.stderr)
    res["re"] = re_baseline(pats, one_kb)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
