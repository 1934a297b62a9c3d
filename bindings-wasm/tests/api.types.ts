// Compile-only (tsc --noEmit): the committed declarations in types/ describe a usable API.
// The generated web build's declarations are checked too (its `init` default export).
import init from "../pkg/web/reviewguard.js";
import {
  Engine,
  type Decision,
  type ErrorCode,
  type Finding,
  type Kind,
  type ReviewguardError,
  type ScanOptions,
} from "../types/reviewguard.js";

export async function start(): Promise<void> {
  await init();
}

export function highlights(engine: Engine, text: string): string[] {
  const options: ScanOptions = { channel: "package_insert", locale: "en" };
  const found: Finding[] = engine.scan(text, options);
  const all: Finding[] = engine.scan(text);
  const kinds: Kind[] = found.concat(all).map((f) => f.kind);
  const high: boolean = found.some((f) => f.confidence === "high" && kinds.includes(f.kind));
  // @ts-expect-error: channels are a closed set
  engine.scan(text, { channel: "carrier_pigeon" });
  return high ? found.map((f) => text.slice(f.start, f.end) + f.quote + f.why + f.code + f.rule) : [];
}

export function decide(engine: Engine): string | null {
  const line: string = engine.evaluateJson('{"id":"c"}');
  const lines: string = engine.checkLines(line);
  const d: Decision = engine.evaluate({ id: "c", messages: [] });
  for (const v of d.violations) {
    const seller: string | null = v.seller;
    for (const e of v.evidence) {
      if ("text" in e) {
        const start: number = e.text.start;
        return seller ?? String(start) + lines;
      }
    }
  }
  return d.case;
}

export function failure(text: string): [ErrorCode, string | null] | undefined {
  try {
    Engine.fromPack(text).free();
  } catch (e) {
    const err = e as ReviewguardError;
    return [err.code, err.location];
  }
  return undefined;
}

export const packInfo = (engine: Engine): string => `${engine.packId} ${engine.languages.join(",")}`;
