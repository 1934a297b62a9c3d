#!/usr/bin/env python3
"""Real-data measurement: run every unique real review through `reviewguard check`.

Reads the review sets in ../shared/realdata (never copied into this repository), turns each
unique review into a case that holds only that review (a customer account, a product, no
seller and no relations, so only the text of the review can be judged), pipes the cases
through the release CLI and reports, per file:

- how many unique reviews there are, how many are flagged, and the flag rate per kind;
- every flagged review (id, kind, rule, quoted span and the sentence around it), so that a
  person can read each flag and decide whether it is a true incentive disclosure;
- "candidates": reviews that a deliberately broad, script-only pattern marks as possible
  incentive disclosures ("free", "discount", "provided", "in exchange", ... near "review",
  "opinion", "testing"), with whether the engine flagged them. Reading the unflagged ones is
  how missed disclosures are found. The pattern is a reading aid, not a rule.

Usage:
    python3 scripts/realdata.py [--no-build] [--bin PATH] [--pack DIR] [--data DIR]
                                [--candidates] [--quiet] [--as-messages]

The Amazon files are JSON Lines; a review repeats under each ASIN of its variation family, so
reviews are deduplicated on (reviewerID, reviewText, unixReviewTime). The hotel file is a CSV
(deceptive, hotel, polarity, source, text). Python 3 standard library only.

Exit status: 0 when every file is within the target (at most 0.3 % of reviews flagged by
anything other than a disclosure the engine reports as compensated-review is not something
the script can know, so it exits 0 unless the CLI fails); the numbers are for a person.
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys
from collections import Counter, OrderedDict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.join(ROOT, "..", "shared", "realdata")
FILES = [
    ("beauty", "amazon2018_All_Beauty_5core.json", "amazon"),
    ("fashion", "amazon2018_AMAZON_FASHION_5core.json", "amazon"),
    ("hotel", "ott_deceptive_opinion_spam.csv", "ott"),
]

# A broad net for *reading*: benefit words near review/testing words. Script-only.
BENEFIT = r"(free|freebie\w*|discount\w*|provided|complimentary|sample|gifted|sent (?:to )?me|given|in exchange|in return|compensat\w*|paid|sponsor\w*|gift card|refund\w*)"
PURPOSE = r"(review\w*|opinion|feedback|evaluat\w*|test\w*|trial)"
CANDIDATE = re.compile(
    BENEFIT + r"\W+(?:\w+\W+){0,8}?" + PURPOSE + "|" + PURPOSE + r"\W+(?:\w+\W+){0,8}?" + BENEFIT,
    re.I,
)
STANDALONE = re.compile(
    r"freebie|in exchange for|in return for|sponsored|\bcompensated for (?:my|this|the) review|full disclosure|disclosure:|disclaimer|\bvine\b",
    re.I,
)


def build(args):
    if args.no_build:
        return
    env = dict(os.environ)
    cmd = ["cargo", "build", "--release", "--bin", "reviewguard"]
    print("building:", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)


def binary(args):
    if args.bin:
        return args.bin
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    return os.path.join(target, "release", "reviewguard")


def load_amazon(path):
    seen = set()
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            d = json.loads(line)
            key = (d.get("reviewerID"), d.get("reviewText"), d.get("unixReviewTime"))
            if key in seen:
                continue
            seen.add(key)
            rating = d.get("overall")
            out.append(
                {
                    "id": "%s@%s" % (d.get("reviewerID"), d.get("unixReviewTime")),
                    "rating": int(rating) if isinstance(rating, (int, float)) and 1 <= rating <= 5 else None,
                    "title": d.get("summary"),
                    "text": d.get("reviewText"),
                }
            )
    return out


def load_ott(path):
    out = []
    seen = set()
    with open(path, encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f), 1):
            text = row.get("text")
            if text in seen:
                continue
            seen.add(text)
            out.append(
                {
                    "id": "%s-%s-%s-%d" % (row.get("deceptive"), row.get("hotel"), row.get("polarity"), i),
                    "rating": None,
                    "title": None,
                    "text": text,
                }
            )
    return out


def to_message_case(tag, i, r):
    text = " ".join(x for x in (r["title"], r["text"]) if x)
    return {"id": "%s:%d" % (tag, i), "messages": [{"id": "M", "channel": "buyer_seller_message", "text": text}]}


def to_case(tag, i, r):
    review = OrderedDict([("id", "R"), ("product", "P"), ("author", "A")])
    if r["rating"] is not None:
        review["rating"] = r["rating"]
    if r["title"]:
        review["title"] = r["title"]
    if r["text"]:
        review["text"] = r["text"]
    return {
        "id": "%s:%d" % (tag, i),
        "parties": [{"id": "A", "kind": "customer_account"}],
        "products": [{"id": "P"}],
        "reviews": [review],
    }


def run_cli(args, cases):
    cmd = [binary(args)]
    if args.pack:
        cmd += ["--pack", args.pack]
    cmd += ["check", "-"]
    payload = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases)
    p = subprocess.run(cmd, input=payload, capture_output=True, text=True, encoding="utf-8")
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr)
        raise SystemExit("reviewguard check failed with status %d" % p.returncode)
    decisions = [json.loads(x) for x in p.stdout.splitlines() if x.strip()]
    if len(decisions) != len(cases):
        sys.stderr.write(p.stderr[:4000])
        raise SystemExit("expected %d decisions, got %d" % (len(cases), len(decisions)))
    return decisions


def context(text, quote, width=110):
    if not text:
        return ""
    at = text.find(quote) if quote else -1
    if at < 0:
        return text[: 2 * width].replace("\n", " ")
    s = max(0, at - width)
    e = min(len(text), at + len(quote) + width)
    return ("..." if s else "") + text[s:e].replace("\n", " ") + ("..." if e < len(text) else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-build", action="store_true", help="use the existing release binary")
    ap.add_argument("--bin", help="path of the reviewguard binary")
    ap.add_argument("--pack", help="a policy pack directory (default: the bundled pack)")
    ap.add_argument("--data", default=DEFAULT_DATA, help="the realdata folder")
    ap.add_argument("--candidates", action="store_true", help="print every candidate, flagged or not")
    ap.add_argument("--quiet", action="store_true", help="print only the summary")
    ap.add_argument(
        "--as-messages",
        action="store_true",
        help="stress test: judge each review as if a seller had sent it as a message (every message rule runs)",
    )
    args = ap.parse_args()
    build(args)

    summary = []
    for tag, name, fmt in FILES:
        path = os.path.join(args.data, name)
        if not os.path.exists(path):
            print("skip %s: %s not found" % (tag, path), file=sys.stderr)
            continue
        reviews = load_amazon(path) if fmt == "amazon" else load_ott(path)
        make = to_message_case if args.as_messages else to_case
        cases = [make(tag, i, r) for i, r in enumerate(reviews)]
        decisions = run_cli(args, cases)

        flagged = 0
        per_kind = Counter()
        flags = []
        flagged_ids = set()
        for r, d in zip(reviews, decisions):
            if "violations" not in d:
                raise SystemExit("error for %s: %s" % (r["id"], json.dumps(d)[:500]))
            kinds = sorted({v["kind"] for v in d["violations"]})
            if not kinds:
                continue
            flagged += 1
            flagged_ids.add(r["id"])
            for k in kinds:
                per_kind[k] += 1
            for v in d["violations"]:
                for ev in v.get("evidence", []):
                    t = ev.get("text")
                    if not t:
                        continue
                    field = t.get("field")
                    if args.as_messages:
                        src = " ".join(x for x in (r["title"], r["text"]) if x)
                    else:
                        src = r["title"] if field == "title" else r["text"]
                    flags.append((r["id"], v["kind"], t.get("rule"), field, t.get("quote"), context(src, t.get("quote") or "")))

        n = len(reviews)
        print("=" * 100)
        print("%s (%s): %d unique reviews, %d flagged (%.2f%%)" % (tag, name, n, flagged, 100.0 * flagged / max(n, 1)))
        for k, c in sorted(per_kind.items()):
            print("  %-28s %5d  (%.2f%%)" % (k, c, 100.0 * c / max(n, 1)))
        if not args.quiet:
            for rid, kind, rule, field, quote, ctx in flags:
                print("  FLAG %s  %s  [%s]  %s: %r" % (rid, kind, rule, field, quote))
                print("       %s" % ctx)

        candidates = []
        for r in reviews:
            blob = " ".join(x for x in (r["title"], r["text"]) if x)
            m = CANDIDATE.search(blob) or STANDALONE.search(blob)
            if m:
                candidates.append((r, m, r["id"] in flagged_ids))
        cand_flagged = sum(1 for _, _, f in candidates if f)
        print("  candidates (broad reading net): %d, of which flagged %d" % (len(candidates), cand_flagged))
        if not args.quiet:
            for r, m, f in candidates:
                if f and not args.candidates:
                    continue
                blob = " ".join(x for x in (r["title"], r["text"]) if x)
                print("  %s %s: %s" % ("CAND+" if f else "CAND-", r["id"], context(blob, m.group(0), 90)))
        summary.append((tag, n, flagged, per_kind))

    print("=" * 100)
    print("summary")
    for tag, n, flagged, per_kind in summary:
        kinds = ", ".join("%s=%d" % kv for kv in sorted(per_kind.items())) or "none"
        print("  %-8s reviews=%5d flagged=%4d (%.2f%%)  %s" % (tag, n, flagged, 100.0 * flagged / max(n, 1), kinds))


if __name__ == "__main__":
    main()
