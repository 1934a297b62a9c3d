#!/usr/bin/env python3
"""Cases per second of `reviewguard check` on a 100,000-case file built from the public
examples, against `jq -c . FILE >/dev/null` on the same file in the same run (a baseline that
only parses and prints JSON). Usage: python3 scripts/bench_check.py [N]"""
import json, os, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000

def main():
    subprocess.run(["cargo", "build", "-q", "--release", "--bin", "reviewguard"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    exe = os.path.join(target, "release", "reviewguard")
    examples = [json.loads(l) for l in open(os.path.join(ROOT, "examples", "cases.jsonl")) if l.strip()]
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "cases.jsonl")
    with open(path, "w") as f:
        for i in range(N):
            c = dict(examples[i % len(examples)])
            c["id"] = f"{c['id']}-{i}"
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    size = os.path.getsize(path)

    def timed(cmd):
        best = None
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            d = time.perf_counter() - t
            best = d if best is None else min(best, d)
        return best

    rg = timed([exe, "check", path])
    print(f"file: {N} cases, {size / 1e6:.1f} MB")
    print(f"reviewguard check: {rg:.2f} s  ({N / rg:,.0f} cases/s, {size / rg / 1e6:.1f} MB/s)")
    if shutil.which("jq"):
        jq = timed(["jq", "-c", ".", path])
        print(f"jq -c .          : {jq:.2f} s  ({N / jq:,.0f} cases/s)")
        print(f"ratio reviewguard/jq time: {rg / jq:.2f} (below 1 means faster than jq)")
    else:
        print("jq not installed: apt-get install -y jq for the baseline")
    shutil.rmtree(tmp)

if __name__ == "__main__":
    main()
