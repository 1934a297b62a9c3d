// The conformance page: loads the `web` build of the package, builds the engine and exposes
// `window.reviewguardConformance(texts)`, which runs the corpus (the texts of
// tests/conformance/cases/*.jsonl and expected/*.jsonl, keyed by file name) and shows the
// result. tests/conformance.test.mjs drives it in headless Chromium.
import init, { Engine } from "../pkg/web/reviewguard.js";
import { pairCorpus, runCorpus } from "./conformance-check.js";

const status = document.getElementById("status");
const list = document.getElementById("mismatches");

await init({ module_or_path: new URL("../pkg/web/reviewguard_bg.wasm", import.meta.url) });
const engine = new Engine();

window.reviewguardConformance = (texts) => {
  const t0 = performance.now();
  const result = runCorpus(engine, pairCorpus(texts));
  result.ms = performance.now() - t0;
  list.replaceChildren(
    ...result.mismatches.map((m) => {
      const li = document.createElement("li");
      li.textContent = m;
      return li;
    }),
  );
  status.textContent =
    `${result.entries} entries (${result.decisions} decisions, ${result.errors} errors): ` +
    `${result.mismatches.length} mismatches, ${result.ms.toFixed(0)} ms`;
  status.dataset.state = result.mismatches.length === 0 ? "pass" : "fail";
  return result;
};
status.textContent = `${engine.packId} ready: waiting for the corpus`;
status.dataset.state = "ready";
