// The seller message checker (www/) in a real browser: Debian's headless Chromium driven by
// playwright-core. Types a violating message and a neutral one, checks the highlighted spans
// and the side list, saves screenshots to test-artifacts/, and prints start-up and
// per-keystroke timings (a benchmark: printed, not asserted).
//
//   node --test bindings-wasm/tests/browser.test.mjs     (after build.sh and npm ci)
//
// CHROMIUM overrides the browser path (default /usr/bin/chromium).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../www/serve.mjs";

const crate = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const artifacts = join(crate, "test-artifacts");
mkdirSync(artifacts, { recursive: true });

const VIOLATING =
  "Hi Sam, thanks for your order! Please leave us a 5-star review and we will send you a $10 gift card as a thank-you.";
const NEUTRAL =
  "Hi Sam, thanks for your order! If you have a moment, we'd appreciate it if you shared your honest experience in a review.";

let server, browser, page, url;

before(async () => {
  server = await serve(0);
  url = `http://127.0.0.1:${server.address().port}/www/`;
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
      // playwright's launch() already gives each run a new, empty --user-data-dir.
    ],
  });
  page = await browser.newPage({ viewport: { width: 1200, height: 720 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  page.on("response", (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  await page.goto(url);
  await page.waitForSelector("#draft:not([disabled])", { timeout: 30_000 });
  assert.deepEqual(errors, []);
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** The marked stretches of the highlight layer, as [start, end, text] in UTF-16 offsets. */
async function marks() {
  return page.evaluate(() => {
    const out = [];
    let pos = 0;
    for (const node of document.getElementById("highlights").childNodes) {
      const len = node.textContent.length;
      if (node.nodeName === "MARK") out.push([pos, pos + len, node.textContent]);
      pos += len;
    }
    return out;
  });
}

/** Union of [start, end) ranges, merged where they touch. */
function union(ranges) {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

async function typeDraft(text) {
  await page.fill("#draft", "");
  await page.locator("#draft").pressSequentially(text);
  assert.equal(await page.inputValue("#draft"), text);
}

test("a 5-star-for-a-gift-card message is highlighted and explained", async () => {
  await page.selectOption("#channel", "buyer_seller_message");
  await typeDraft(VIOLATING);

  const kinds = await page.$$eval("#findings li", (lis) => lis.map((li) => li.dataset.kind));
  assert.ok(kinds.includes("compensated-review"), `side list: ${kinds}`);
  assert.ok(kinds.includes("biased-review-request"), `side list: ${kinds}`);
  const items = await page.$$eval("#findings li", (lis) => lis.map((li) => li.textContent));
  assert.ok(items.every((t) => /RP-\d\d/.test(t)), "each finding names its policy code");
  assert.ok(items.some((t) => t.includes("compensated-review") && t.includes("RP-02")));
  assert.ok(items.some((t) => t.includes("biased-review-request") && t.includes("RP-11")));

  // The highlighted stretches are exactly the engine's spans, in JS string offsets.
  const findings = await page.evaluate(
    (t) => window.reviewguard.engine.scan(t, { channel: "buyer_seller_message" }),
    VIOLATING,
  );
  const marked = await marks();
  assert.deepEqual(
    union(marked.map(([a, b]) => [a, b])),
    union(findings.map((f) => [f.start, f.end])),
  );
  for (const [a, b, text] of marked) assert.equal(VIOLATING.slice(a, b), text);
  const markedText = marked.map((m) => m[2]).join("|");
  assert.match(markedText, /5-star/);
  assert.match(markedText, /send you a \$10/);
  assert.equal(await page.textContent("#count"), String(findings.length));

  await page.screenshot({ path: join(artifacts, "checker-violations.png"), fullPage: true });
});

test("a neutral request flags nothing", async () => {
  await typeDraft(NEUTRAL);
  assert.equal(await page.locator("#findings li").count(), 0);
  assert.deepEqual(await marks(), []);
  assert.equal(await page.textContent("#count"), "0");
  assert.ok(await page.isVisible("#clean"));
  await page.screenshot({ path: join(artifacts, "checker-neutral.png"), fullPage: true });
});

test("the channel picker re-checks: a package insert reports insert solicitation", async () => {
  await typeDraft("Loving your new blender? Leave us a 5-star review!");
  await page.selectOption("#channel", "package_insert");
  const kinds = await page.$$eval("#findings li", (lis) => lis.map((li) => li.dataset.kind));
  assert.ok(kinds.includes("insert-solicitation"), `side list: ${kinds}`);
  await page.selectOption("#channel", "buyer_seller_message");
});

test("benchmark: start-up and per-keystroke re-check in Chromium", async () => {
  // Start-up: fetch + compile + instantiate + build the engine, on fresh page loads.
  const startups = [];
  for (let i = 0; i < 7; i++) {
    await page.reload();
    await page.waitForSelector("#draft:not([disabled])");
    startups.push(await page.evaluate(() => window.reviewguardStartup));
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const fmt = (x) => x.toFixed(2);
  console.log(
    `# startup (median of ${startups.length} loads): total ${fmt(med(startups.map((s) => s.totalMs)))} ms ` +
      `= fetch+instantiate ${fmt(med(startups.map((s) => s.instantiateMs)))} ms + ` +
      `engine build ${fmt(med(startups.map((s) => s.buildMs)))} ms; first load ${fmt(startups[0].totalMs)} ms`,
  );

  // Per keystroke: a 2 KB draft with one more character each time. performance.now() is
  // coarse (100 µs) without cross-origin isolation, so time batches and divide.
  const r = await page.evaluate(() => {
    const { engine, check } = window.reviewguard;
    const sentences = [
      "Thank you for your order! We hope the blender makes your mornings easier.",
      "If anything arrived damaged, reply to this message and we will sort it out.",
      "Please leave us a 5-star review and we will send you a $10 gift card.",
      "Our team ships every order within one business day from our warehouse.",
      "If you have a moment, we'd appreciate your honest experience in a review.",
    ];
    let base = "";
    for (let i = 0; base.length < 2048; i++) base += sentences[i % sentences.length] + " ";
    base = base.slice(0, 2048);
    const opts = { channel: "buyer_seller_message" };
    const letters = "abcdefghijklmnopqrstuvwxyz ";
    const batch = 20;
    const scanMs = [];
    const checkMs = [];
    const draft = document.getElementById("draft");
    for (let round = 0; round < 25; round++) {
      let t = performance.now();
      for (let k = 0; k < batch; k++) engine.scan(base + letters[(round * batch + k) % letters.length], opts);
      scanMs.push((performance.now() - t) / batch);
      t = performance.now();
      for (let k = 0; k < batch; k++) {
        draft.value = base + letters[(round * batch + k) % letters.length];
        check();
      }
      checkMs.push((performance.now() - t) / batch);
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return {
      bytes: new TextEncoder().encode(base).length,
      findings: engine.scan(base, opts).length,
      scan: med(scanMs),
      check: med(checkMs),
    };
  });
  console.log(
    `# keystroke re-check of a ${r.bytes}-byte draft (${r.findings} findings), median of 25 batches of 20: ` +
      `engine.scan ${(r.scan * 1000).toFixed(0)} µs; scan + redraw ${(r.check * 1000).toFixed(0)} µs`,
  );
  assert.ok(r.findings > 0);
});
