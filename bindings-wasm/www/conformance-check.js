// The comparison of the conformance corpus (tests/conformance/), shared by the Node.js test and
// the browser page: each entry's input through the engine must give exactly its blessed output.
// Decisions: the same JSON bytes (`evaluateJson`); errors: the same `code` and `location` on
// the thrown ReviewguardError; and `checkLines` (the JSON Lines protocol) the same line.
// No imports: the caller passes the engine and the corpus.

/** Every runner refuses to pass with fewer entries (an emptied corpus must fail). */
export const MIN_ENTRIES = 300;

/**
 * Pairs `cases/<file>` with `expected/<file>` (both JSON Lines texts) by position and name.
 * @param {Record<string, {cases: string, expected: string}>} texts
 */
export function pairCorpus(texts) {
  const parse = (t) => t.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
  const files = {};
  for (const [file, { cases, expected }] of Object.entries(texts)) {
    const entries = parse(cases);
    const outputs = parse(expected);
    if (entries.length !== outputs.length) {
      throw new Error(`expected/${file}: ${outputs.length} lines for ${entries.length} entries (stale: bless)`);
    }
    entries.forEach((e, i) => {
      if (e.name !== outputs[i].name) throw new Error(`${file}: ${e.name} paired with ${outputs[i].name}`);
    });
    files[file] = entries.map((e, i) => [e, outputs[i]]);
  }
  return files;
}

/** Where two strings first differ, in UTF-8 bytes, with some context of each. */
export function firstDifference(want, got) {
  const enc = new TextEncoder();
  const a = enc.encode(want);
  const b = enc.encode(got);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const dec = new TextDecoder();
  const ctx = (x) => dec.decode(x.subarray(Math.max(0, i - 40), i + 40));
  return `first difference at byte ${i}\n    expected: …${ctx(a)}…\n    got:      …${ctx(b)}…`;
}

/**
 * Runs every entry; returns the counts and one message per mismatch.
 * @param {{evaluateJson(json: string): string, checkLines(input: string): string}} engine
 * @param {Record<string, Array<[any, any]>>} files  from pairCorpus
 */
export function runCorpus(engine, files) {
  const result = { entries: 0, decisions: 0, errors: 0, mismatches: [] };
  const miss = (m) => result.mismatches.push(m);
  for (const pairs of Object.values(files)) {
    for (const [entry, expected] of pairs) {
      result.entries += 1;
      const { name, input } = entry;
      const want = expected.output;
      let got = null;
      let thrown = null;
      try {
        got = engine.evaluateJson(input);
      } catch (e) {
        thrown = e;
      }
      if (expected.error) {
        result.errors += 1;
        const { code, location } = expected.error;
        if (thrown === null) {
          miss(`${name}: expected error ${code} at ${location}, got a decision: ${got}`);
        } else if (thrown.code !== code || thrown.location !== location) {
          miss(`${name}: expected error ${code} at ${location}, got ${thrown.code} at ${thrown.location} (${thrown.message})`);
        }
      } else {
        result.decisions += 1;
        if (thrown !== null) {
          miss(`${name}: expected a decision, got error ${thrown.code} at ${thrown.location} (${thrown.message})`);
        } else if (got !== want) {
          miss(`${name}: decision differs, ${firstDifference(want, got)}`);
        }
      }
      // The JSON Lines protocol with the entry as its only line: exactly the expected line.
      const lines = engine.checkLines(input);
      if (lines !== want + "\n") miss(`${name}: checkLines differs, ${firstDifference(want + "\n", lines)}`);
    }
  }
  if (result.entries < MIN_ENTRIES) miss(`only ${result.entries} entries (at least ${MIN_ENTRIES} expected)`);
  return result;
}
