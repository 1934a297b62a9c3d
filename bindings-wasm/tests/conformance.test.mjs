// The conformance corpus (tests/conformance/) in JavaScript: under Node.js (the `node` build of
// pkg/) and in headless Chromium (the `web` build, through www/conformance.html). Every entry
// must give exactly its blessed output; see tests/conformance/README.md.
//
//   node --test bindings-wasm/tests/conformance.test.mjs     (after build.sh and npm ci)
//
// CHROMIUM overrides the browser path (default /usr/bin/chromium).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../www/serve.mjs";
import { MIN_ENTRIES, pairCorpus, runCorpus } from "../www/conformance-check.js";

const crate = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const corpus = resolve(crate, "..", "tests", "conformance");
const require = createRequire(import.meta.url);

/** {file: {cases, expected}}: the raw texts, as the browser gets them too. */
function corpusTexts() {
  const texts = {};
  for (const file of readdirSync(join(corpus, "cases")).filter((f) => f.endsWith(".jsonl")).sort()) {
    texts[file] = {
      cases: readFileSync(join(corpus, "cases", file), "utf8"),
      expected: readFileSync(join(corpus, "expected", file), "utf8"),
    };
  }
  return texts;
}

const texts = corpusTexts();

function assertConforms(result, where) {
  assert.ok(result.entries >= MIN_ENTRIES, `${where}: only ${result.entries} entries`);
  assert.equal(
    result.mismatches.length,
    0,
    `${where}: ${result.mismatches.length} of ${result.entries} entries mismatch:\n${result.mismatches.join("\n")}`,
  );
}

test("Node.js: every conformance entry gives its blessed output", () => {
  const { Engine } = require(join(crate, "pkg/node/reviewguard.js"));
  const result = runCorpus(new Engine(), pairCorpus(texts));
  assertConforms(result, "node");
  console.log(`# node: ${result.entries} entries (${result.decisions} decisions, ${result.errors} errors) conform`);
});

test("the comparison reports a changed output with its first differing byte", () => {
  const files = pairCorpus(texts);
  const [entry, expected] = Object.values(files)[0][0];
  const engine = { evaluateJson: () => expected.output.replace("RP-", "RQ-"), checkLines: () => expected.output + "\n" };
  const r = runCorpus(engine, { x: [[entry, expected]] });
  assert.equal(r.mismatches.length, 2); // the changed decision, and fewer than MIN_ENTRIES
  assert.match(r.mismatches[0], /first difference at byte \d+/);
});

let server, browser;

before(async () => {
  server = await serve(0);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test("Chromium: every conformance entry gives its blessed output (www/conformance.html)", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  await page.goto(`http://127.0.0.1:${server.address().port}/www/conformance.html`);
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 30_000 });
  const result = await page.evaluate((t) => window.reviewguardConformance(t), texts);
  assert.deepEqual(errors, []);
  assertConforms(result, "chromium");
  assert.equal(await page.getAttribute("#status", "data-state"), "pass");
  console.log(
    `# chromium: ${result.entries} entries (${result.decisions} decisions, ${result.errors} errors) conform in ${result.ms.toFixed(0)} ms`,
  );
  await page.close();
});
