// The seller message checker: re-scans the draft on every edit and highlights the spans the
// policy engine flags. No framework; loads the `web` build of the package.
import init, { Engine } from "../pkg/web/reviewguard.js";

const $ = (id) => document.getElementById(id);
const draft = $("draft");
const highlights = $("highlights");
const channel = $("channel");
const locale = $("locale");
const list = $("findings");
const count = $("count");
const clean = $("clean");
const status = $("status");

let engine = null;

// Start-up: fetch + compile + instantiate the module, then build the engine (compile the pack).
const t0 = performance.now();
try {
  await init({ module_or_path: new URL("../pkg/web/reviewguard_bg.wasm", import.meta.url) });
  const t1 = performance.now();
  engine = new Engine();
  const t2 = performance.now();
  window.reviewguardStartup = { instantiateMs: t1 - t0, buildMs: t2 - t1, totalMs: t2 - t0 };
  for (const lang of engine.languages) {
    locale.append(new Option(lang, lang));
  }
  status.textContent = `${engine.packId} ready in ${(t2 - t0).toFixed(1)} ms`;
  draft.disabled = false;
  draft.focus();
} catch (err) {
  status.textContent = `The policy engine failed to load: ${err.code ?? ""} ${err.message}`;
  throw err;
}

/** Scans the draft and redraws the highlights and the side list. */
export function check() {
  const text = draft.value;
  const options = { channel: channel.value };
  if (locale.value) options.locale = locale.value;
  let findings;
  try {
    findings = engine.scan(text, options);
  } catch (err) {
    status.textContent = `${err.code}: ${err.message}`;
    findings = [];
  }
  renderHighlights(text, findings);
  renderList(findings);
  return findings;
}

/** Marks every flagged stretch; overlapping findings split the text at each boundary. */
function renderHighlights(text, findings) {
  const cuts = new Set([0, text.length]);
  for (const f of findings) {
    cuts.add(f.start);
    cuts.add(f.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const piece = text.slice(a, b);
    const over = findings.filter((f) => f.start <= a && b <= f.end);
    if (over.length === 0) {
      frag.append(piece);
      continue;
    }
    const mark = document.createElement("mark");
    mark.textContent = piece;
    mark.dataset.kinds = [...new Set(over.map((f) => f.kind))].join(" ");
    mark.title = over.map((f) => `${f.code} ${f.kind}: ${f.why}`).join("\n");
    if (over.every((f) => f.confidence === "medium")) mark.className = "medium";
    frag.append(mark);
  }
  // A trailing newline needs a character after it to take up a line in the layer.
  frag.append("\u200b");
  highlights.replaceChildren(frag);
  // Reading scrollTop forces a layout: do it once per frame, not once per check.
  if (!syncQueued) {
    syncQueued = true;
    requestAnimationFrame(() => {
      syncQueued = false;
      highlights.scrollTop = draft.scrollTop;
    });
  }
}
let syncQueued = false;

function renderList(findings) {
  count.textContent = String(findings.length);
  count.classList.toggle("bad", findings.length > 0);
  clean.hidden = findings.length > 0;
  list.replaceChildren(
    ...findings.map((f) => {
      const li = document.createElement("li");
      li.dataset.kind = f.kind;
      li.dataset.code = f.code;
      const head = document.createElement("div");
      head.className = "head";
      const code = document.createElement("span");
      code.className = "code";
      code.textContent = f.code;
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = f.kind;
      head.append(code, kind);
      const quote = document.createElement("p");
      quote.className = "quote";
      quote.textContent = `“${f.quote}”`;
      const why = document.createElement("p");
      why.className = "why";
      why.textContent = `${f.why} (${f.code}, rule ${f.rule})`;
      li.append(head, quote, why);
      return li;
    }),
  );
}

draft.addEventListener("input", check);
channel.addEventListener("change", check);
locale.addEventListener("change", check);
draft.addEventListener("scroll", () => {
  highlights.scrollTop = draft.scrollTop;
});

// For tests and benchmarks.
window.reviewguard = { engine, check };
check();
