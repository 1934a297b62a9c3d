// The WebAssembly binding under Node.js (the `node` build of pkg/), compared with the CLI.
//
//   RG_CLI=target/debug/reviewguard node --test bindings-wasm/tests/
//
// RG_CLI names the `reviewguard` binary (default: ${CARGO_TARGET_DIR:-target}/debug/reviewguard
// at the workspace root); scripts/test-wasm.sh builds it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const crate = resolve(here, "..");
const root = resolve(crate, "..");
const require = createRequire(import.meta.url);
const { Engine } = require(join(crate, "pkg/node/reviewguard.js"));

const targetDir = resolve(root, process.env.CARGO_TARGET_DIR ?? "target");
const cli = process.env.RG_CLI ?? join(targetDir, "debug/reviewguard");
const engine = new Engine();

/** Runs the CLI; returns stdout (the exit status says violations/errors, not failure). */
function runCli(args, input) {
  const r = spawnSync(cli, args, { input, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  // 0: clean, 1: violations, 2: some input unreadable (check prints error lines for those).
  const ok = args[0] === "check" ? [0, 1, 2] : [0, 1];
  assert.ok(ok.includes(r.status), `reviewguard ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** The public examples, and the conformance corpus with its `expect` metadata stripped. */
function corpora() {
  const strip = (line) => {
    const v = JSON.parse(line);
    delete v.expect;
    return JSON.stringify(v);
  };
  const lines = (file) =>
    readFileSync(join(root, file), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
  return {
    "examples/cases.jsonl": lines("examples/cases.jsonl"),
    "tests/spec/examples.jsonl": lines("tests/spec/examples.jsonl").map(strip),
  };
}

test("the CLI binary exists", () => {
  assert.ok(existsSync(cli), `build it first: cargo build --bin reviewguard (looked at ${cli})`);
});

for (const [name, cases] of Object.entries(corpora())) {
  test(`decisions are byte-identical to \`reviewguard check\`: ${name}`, () => {
    const input = cases.join("\n") + "\n";
    const expected = runCli(["check", "-"], input);
    const lines = expected.split("\n").slice(0, -1);
    assert.equal(lines.length, cases.length);
    let decided = 0;
    cases.forEach((json, i) => {
      let got;
      try {
        got = engine.evaluateJson(json);
      } catch (err) {
        // The CLI prints an error line for an unreadable case: same code and location.
        const want = JSON.parse(lines[i]).error;
        assert.deepEqual({ code: err.code, location: err.location, message: err.message }, want);
        return;
      }
      assert.equal(got, lines[i], `case ${i + 1} of ${name}`);
      assert.deepEqual(engine.evaluate(JSON.parse(json)), JSON.parse(lines[i]));
      decided += 1;
    });
    assert.ok(decided > 0);
    // The batch call prints exactly what the CLI prints, error lines included.
    assert.equal(engine.checkLines(input), expected);
  });
}

test("an unreadable line in a batch gives the CLI's error line", () => {
  const input = '{"id":"a"}\nnot json\n{"id":"c","reviews":[{"id":"R","product":"B","author":"A"}]}\n';
  assert.equal(engine.checkLines(input), runCli(["check", "-"], input));
});

/** Scans with the binding and checks every span against the text and against the CLI. */
function checkSpans(text, channel = "buyer_seller_message", locale) {
  const options = locale ? { channel, locale } : { channel };
  const found = engine.scan(text, options);
  const args = ["scan", "--format", "json", "--channel", channel, "-"];
  const cliFound = JSON.parse(runCli(locale ? [...args, "--locale", locale] : args, text));
  assert.equal(found.length, cliFound.length);
  const bytes = Buffer.from(text, "utf8");
  found.forEach((f, i) => {
    const c = cliFound[i];
    assert.equal(text.slice(f.start, f.end), f.quote, `span ${i} of ${JSON.stringify(text)}`);
    assert.equal(f.quote, c.quote);
    // UTF-16 offset = length in JS units of the UTF-8 prefix the CLI reports.
    assert.equal(f.start, bytes.subarray(0, c.start).toString("utf8").length);
    assert.equal(f.end, bytes.subarray(0, c.end).toString("utf8").length);
    assert.deepEqual({ ...f, start: c.start, end: c.end }, c);
  });
  return found;
}

test("scan spans are UTF-16 offsets: ASCII", () => {
  const found = checkSpans("Leave us a 5-star review and we will send you a $10 gift card!");
  const kinds = new Set(found.map((f) => f.kind));
  assert.ok(kinds.has("compensated-review"), [...kinds].join());
  assert.ok(kinds.has("biased-review-request"), [...kinds].join());
});

test("scan spans are UTF-16 offsets: emoji (surrogate pairs) before and inside", () => {
  const found = checkSpans("😀🎁👍🏽 Thanks!! 🎉 Leave us a 5-star review 🌟 and we will send you a $10 gift card 💳!");
  assert.ok(found.length > 0);
  assert.ok(found.every((f) => f.start > 8));
});

test("scan spans are UTF-16 offsets: CJK and combining marks", () => {
  checkSpans("ご購入ありがとうございます。日本語のメッセージ。Leave a 5-star review and get a $10 gift card.");
  checkSpans("Cafe\u0301 cre\u0300me — Leave a five-star review and we\u0301ll send a gift card, n\u0303!");
  checkSpans("Bitte hinterlassen Sie eine 5-Sterne-Bewertung – dafür schicken wir Ihnen einen Gutschein 🎁.", "buyer_seller_message", "de");
  checkSpans("Laissez-nous un avis 5 étoiles et recevez une carte-cadeau de 10 € 🎁 !", "package_insert", "fr");
});

test("scan follows the channel: a package insert reports insert solicitation", () => {
  const text = "Enjoying your blender? Leave us a 5-star review!";
  const insert = checkSpans(text, "package_insert");
  assert.ok(insert.some((f) => f.kind === "insert-solicitation"));
  assert.ok(!insert.some((f) => f.kind === "biased-review-request"));
});

test("a neutral request is clean", () => {
  const text =
    "Thank you for your order! If you have a moment, we'd appreciate it if you shared your honest experience in a review.";
  assert.deepEqual(engine.scan(text, { channel: "review_request" }), []);
  assert.deepEqual(engine.scan(text), []);
});

test("scanReview reads incentive disclosures in a review", () => {
  const text = "I received this product for free in exchange for my honest review. 😀";
  const found = engine.scanReview(text);
  assert.ok(found.some((f) => f.kind === "compensated-review"));
  for (const f of found) assert.equal(text.slice(f.start, f.end), f.quote);
});

/** Runs `fn` and returns the error it throws. */
function thrown(fn) {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof Error, "throws an Error");
    assert.equal(err.name, "ReviewguardError");
    return err;
  }
  assert.fail("did not throw");
}

test("errors carry stable codes and locations", () => {
  let e = thrown(() => engine.evaluateJson("{"));
  assert.equal(e.code, "invalid_json");
  assert.match(e.location, /line 1 column/);

  e = thrown(() => engine.evaluateJson('{"id":"c","mesages":[]}'));
  assert.equal(e.code, "unknown_field");
  assert.match(e.message, /mesages/);

  e = thrown(() =>
    engine.evaluate({ id: "c", products: [{ id: "B" }], reviews: [{ id: "R", product: "B", author: "A", rating: 9 }] }),
  );
  assert.ok(["rating_out_of_range", "dangling_reference"].includes(e.code), e.code);
  assert.match(e.location, /^reviews\[0\]\./);

  e = thrown(() => engine.evaluate({ id: "c", products: [{ id: "B" }], parties: [{ id: "A", kind: "customer_account" }], reviews: [{ id: "R", product: "B", author: "A", rating: 9 }] }));
  assert.deepEqual([e.code, e.location], ["rating_out_of_range", "reviews[0].rating"]);

  e = thrown(() => engine.evaluate(undefined));
  assert.equal(e.code, "invalid_json");
  assert.equal(e.location, null);

  e = thrown(() => engine.scan("hello", { channel: "carrier_pigeon" }));
  assert.deepEqual([e.code, e.location], ["invalid_value", "options"]);

  e = thrown(() => engine.scan("x".repeat((1 << 20) + 1)));
  assert.equal(e.code, "limit_exceeded");

  e = thrown(() => Engine.fromPack("[pack\nname ="));
  assert.equal(e.code, "pack_syntax");
  assert.ok(e.location, "a pack error points at the file");
});

test("Engine.fromPack builds an engine from a pack held in one string", () => {
  const custom = Engine.fromPack('[pack]\nname = "p"\nversion = "1"\nlanguages = ["en"]\n');
  assert.equal(custom.packId, "p@1");
  assert.deepEqual(custom.languages, ["en"]);
  assert.deepEqual(custom.scan("Leave us a 5-star review for a gift card"), []);
  const d = JSON.parse(custom.evaluateJson('{"id":"c","messages":[{"id":"M","text":"hi"}]}'));
  assert.deepEqual(d, { case: "c", pack: "p@1", violations: [] });
  custom.free();
  const e = thrown(() => Engine.fromPack('[pack]\nname = "p"\nversion = 1\n'));
  assert.match(e.code, /^pack_/);
  assert.ok(e.location);
});

test("the package.json exports map points at files that exist", () => {
  const pkg = JSON.parse(readFileSync(join(crate, "pkg/package.json"), "utf8"));
  assert.equal(pkg.name, "reviewguard");
  const targets = [];
  const walk = (v) => (typeof v === "string" ? targets.push(v) : Object.values(v).forEach(walk));
  walk(pkg.exports);
  assert.ok(targets.length >= 8);
  for (const t of targets) assert.ok(existsSync(join(crate, "pkg", t)), t);
});

test("the package resolves through its exports map under Node", async () => {
  // Install-free: a throwaway node_modules/reviewguard symlink to pkg/.
  const dir = mkdtempSync(join(tmpdir(), "rg-wasm-"));
  const { symlinkSync, mkdirSync } = await import("node:fs");
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(join(crate, "pkg"), join(dir, "node_modules/reviewguard"));
  const script = join(dir, "use.mjs");
  writeFileSync(
    script,
    'import { Engine } from "reviewguard";\n' +
      'const e = new Engine();\n' +
      'console.log(e.scan("Leave us a 5-star review and we will send you a $10 gift card!").map((f) => f.kind).join(","));\n',
  );
  const r = spawnSync(process.execPath, [script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /compensated-review/);
});

test("the README's example runs (with the node build in place of the web one)", async () => {
  const readme = readFileSync(join(crate, "README.md"), "utf8");
  const block = readme.match(/## Example\n\n```js\n([\s\S]*?)```/)[1];
  const code = block
    .replace(/^import init, \{ Engine \} from "reviewguard\/web";.*$/m, 'import { Engine } from "reviewguard";')
    .replace(/^await init\(\);.*$/m, "");
  assert.notEqual(code, block, "the example's first lines changed; update this test");
  const dir = mkdtempSync(join(tmpdir(), "rg-readme-"));
  const { symlinkSync, mkdirSync } = await import("node:fs");
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(join(crate, "pkg"), join(dir, "node_modules/reviewguard"));
  writeFileSync(join(dir, "example.mjs"), code);
  const r = spawnSync(process.execPath, [join(dir, "example.mjs")], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /RP-02 compensated-review/);
  assert.match(r.stdout, /invalid_json line 1 column 1/);
});

test("lone surrogates: a JS string that is not valid UTF-16 still gets aligned spans", () => {
  // TextEncoder turns each lone surrogate into U+FFFD (one UTF-16 unit either way), so offsets
  // into the original string stay exact; nothing is dropped.
  const text = "\uD800 Leave us a 5-star review \uDC00 and get a $10 gift card \uDBFF!";
  const found = engine.scan(text, { channel: "buyer_seller_message" });
  assert.ok(found.length > 0);
  for (const f of found) {
    assert.equal(text.slice(f.start, f.end), f.quote.replace(/\uFFFD/g, (_, i) => text[f.start + i]));
    assert.ok(f.start >= 2 && f.end <= text.length - 2);
  }
  // In a case: a raw lone surrogate is text; an escaped one (`\ud800`) is invalid JSON, located.
  // (JSON.stringify would escape it, so the JSON is written by hand.)
  const raw = '{"id":"s","messages":[{"id":"M","text":"\uD800 Leave a 5-star review"}]}';
  assert.match(engine.evaluateJson(raw), /biased-review-request/);
  const escaped = '{"id":"s","messages":[{"id":"M","text":"\\ud800 x"}]}';
  assert.throws(() => engine.evaluateJson(escaped), (e) => e.code === "invalid_json" && /^line 1 column \d+$/.test(e.location));
});

test("hostile sizes from JavaScript: deep nesting and a long text end in errors, not crashes", () => {
  const deep = '{"products":[{"id":"P","theme":{"x":' + "[".repeat(100000) + "]".repeat(100000) + "}}]}";
  assert.throws(() => engine.evaluateJson(deep), (e) => e.code === "limit_exceeded" && e.location === "line 1 column 97");
  const long = "a".repeat((1 << 20) + 1);
  assert.throws(() => engine.scan(long), (e) => e.code === "limit_exceeded" && e.location === "text");
});

test("limits: defaults, overrides with locations, unknown fields refused", () => {
  assert.deepEqual(engine.limits, { maxCaseBytes: 64 << 20, maxTextBytes: 1 << 20, maxListLen: 200000, maxJsonDepth: 64 });
  const small = Engine.withLimits({ maxListLen: 1, maxTextBytes: 8 });
  assert.equal(small.limits.maxListLen, 1);
  assert.equal(small.limits.maxJsonDepth, 64);
  const two = '{"parties":[{"id":"S1","kind":"seller"},{"id":"A","kind":"customer_account"}]}';
  assert.throws(() => small.evaluateJson(two), (e) => e.code === "limit_exceeded" && e.location === "parties");
  assert.throws(() => small.scan("nine bytes"), (e) => e.code === "limit_exceeded" && e.location === "text");
  assert.match(engine.evaluateJson(two), /^\{"case":null/);
  assert.throws(() => Engine.withLimits({ maxCases: 1 }), (e) => e.code === "invalid_value" && e.location === "limits");
});

test("a misspelt scan option throws instead of being ignored", () => {
  assert.throws(
    () => engine.scan("Leave a 5-star review", { chanel: "package_insert" }),
    (e) => e.code === "invalid_value" && e.location === "options" && /chanel/.test(e.message),
  );
});
