#!/usr/bin/env python3
"""Throughput of reviewguard against the pure-Python baseline a data scientist would write.

On the same ~1 KB seller messages (an English set and a multilingual set with emoji and
CJK), measures texts per second of:

- `Engine.scan_column` (pyarrow column in, Arrow findings out; GIL released, all cores),
- `Engine.evaluate_many` (one case per message, as JSON strings; all cores),
- the baseline: one compiled `re` pattern per concept of the same pack's lexicons (every
  language's phrases), applied row by row with `finditer` on the lower-cased text.

Prints both rates and the ratios. Not a timed test: numbers depend on the machine.

    python bench/bench.py [--texts 20000] [--baseline-texts 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import time
from pathlib import Path
from typing import Callable

import pyarrow as pa

import reviewguard

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib  # type: ignore[no-redef]

PACK = Path(__file__).resolve().parents[2] / "policies" / "amazon-reviews"

ENGLISH = [
    "Thank you for your order from our shop, we hope the blender arrives safely and quickly.",
    "Your package has shipped and tracking should update within the next business day or two.",
    "If anything is wrong with the item, reply to this message and our support team will help.",
    "The warranty covers manufacturing defects for two years from the date of delivery.",
    "Please keep the original box in case you need to return the product within thirty days.",
    "We restocked the large size this week, and the matching lids are available as well.",
    "Our customer service hours are nine to five on weekdays, Central European Time.",
    "Cleaning is easy: rinse the jar with warm water and a drop of soap right after use.",
]
# Non-English sentences and emoji, for the multilingual set.
OTHER = [
    "ご注文ありがとうございます。商品は明日発送いたします。",
    "Merci pour votre commande, le colis partira demain matin. 😀",
    "Vielen Dank für Ihre Bestellung! Das Paket ist unterwegs. 🚚",
]
VIOLATING = [
    "Leave a review of the blender and we'll send you a $10 gift card as a thank-you!",
    "If you love it, please leave us a 5-star review; if not, contact us first.",
    "We will refund the full price once you update your review to five stars.",
    "Please leave us a 5-star review!",
]


def messages(n: int, multilingual: bool = False, seed: int = 7) -> list[str]:
    """`n` messages of about 1 KB each; one in four carries a violating sentence. The
    multilingual set mixes in French, German and Japanese sentences and emoji."""
    rng = random.Random(seed)
    pool = ENGLISH + OTHER if multilingual else ENGLISH
    out = []
    for i in range(n):
        parts: list[str] = []
        while sum(len(p.encode()) + 1 for p in parts) < 1000:
            parts.append(rng.choice(pool))
        if i % 4 == 0:
            parts[rng.randrange(len(parts))] = rng.choice(VIOLATING)
        out.append(" ".join(parts))
    return out


def term_regex(term: str) -> str:
    """A lexicon term (`(a|b|)` alternatives, `*` at either end of a word) as a Python regex."""
    out, i = [], 0
    while i < len(term):
        c = term[i]
        if c == "*" and i == 0:
            out.append(r"\w*")
            i += 1
        elif c == "(":
            j = term.index(")", i)
            alts = term[i + 1 : j].split("|")
            out.append("(?:" + "|".join(re.escape(a) for a in alts) + ")")
            i = j + 1
        elif c == "*" and i == len(term) - 1:
            out.append(r"\w*")
            i += 1
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


def baseline_patterns(langs: set[str] | None = None) -> list[re.Pattern[str]]:
    """One compiled pattern per concept and language, from the pack's lexicon files (all of
    them, or those of `langs`)."""
    patterns = []
    for path in sorted((PACK / "lexicon").glob("*.toml")):
        if langs is not None and path.stem not in langs:
            continue
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        for concept in doc.get("concept", []):
            alts = [term_regex(t) for t in concept.get("terms", [])]
            # The pack's regexes are Rust syntax; `(?-u:\b)` is Python's `\b`.
            alts += [r.replace(r"(?-u:\b)", r"\b") for r in concept.get("regex", [])]
            if alts:
                patterns.append(re.compile(r"\b(?:" + "|".join(alts) + r")\b"))
    return patterns


def baseline(texts: list[str], patterns: list[re.Pattern[str]]) -> int:
    hits = 0
    for text in texts:
        low = text.lower()
        for p in patterns:
            for _ in p.finditer(low):
                hits += 1
    return hits


def rate(fn: Callable[[], object], n: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return n / best


def run(name: str, texts: list[str], engine: reviewguard.Engine, patterns, english, args) -> None:
    column = pa.array(texts)
    cases = [
        json.dumps({"id": f"c{i}", "messages": [{"id": "M1", "text": t}]}) for i, t in enumerate(texts)
    ]
    sample = texts[: args.baseline_texts]
    avg = sum(len(t.encode()) for t in texts) / len(texts)
    found = engine.scan_column(column).num_rows
    print(f"\n{name}: {len(texts)} messages, {avg:.0f} bytes on average, {found} findings")
    r_column = rate(lambda: engine.scan_column(column), len(texts), args.repeat)
    r_many = rate(lambda: engine.evaluate_many(cases), len(texts), args.repeat)
    r_base = rate(lambda: baseline(sample, patterns), len(sample), args.repeat)
    r_en = rate(lambda: baseline(sample, english), len(sample), args.repeat)
    print(f"{'':<34} {'texts/s':>12} {'vs baseline':>12}")
    print(f"{'engine.scan_column (pyarrow)':<34} {r_column:>12,.0f} {r_column / r_base:>11.1f}x")
    print(f"{'engine.evaluate_many (JSON cases)':<34} {r_many:>12,.0f} {r_many / r_base:>11.1f}x")
    print(f"{'pure-Python re baseline':<34} {r_base:>12,.0f} {1:>11.1f}x")
    print(f"{'  same, English patterns only':<34} {r_en:>12,.0f} {r_en / r_base:>11.1f}x"
          f"   (engine.scan_column is {r_column / r_en:.1f}x this)")


def machine_parallelism() -> float:
    """How much faster two threads hash than one (hashlib releases the GIL): the parallel
    speed-up this machine gives right now, to read the numbers below against."""
    from concurrent.futures import ThreadPoolExecutor
    import hashlib

    data = b"x" * (32 << 20)

    def work(_: int) -> None:
        hashlib.sha256(data).digest()

    with ThreadPoolExecutor(2) as pool:
        one = rate(lambda: [work(0), work(1)], 2, 3)
        two = rate(lambda: list(pool.map(work, [0, 1])), 2, 3)
    return two / one


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=int, default=20_000)
    ap.add_argument("--baseline-texts", type=int, default=1_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    engine = reviewguard.Engine()
    patterns = baseline_patterns()
    english = baseline_patterns({"en"})
    print(f"{os.cpu_count()} cores; two threads run {machine_parallelism():.2f}x one right now")
    print(f"baseline: {len(patterns)} compiled patterns (one per concept"
          f" and language), on the first {args.baseline_texts} messages of each set")
    run("English", messages(args.texts), engine, patterns, english, args)
    run("multilingual", messages(args.texts, multilingual=True), engine, patterns, english, args)


if __name__ == "__main__":
    main()
