/* tslint:disable */
/* eslint-disable */

/** What every method throws: a JS `Error` with the core's stable code and location. */
export interface ReviewguardError extends Error {
    name: "ReviewguardError";
    /** The stable machine code; never parse `message`. */
    code: ErrorCode;
    /** A JSON path into the case (`reviews[3].rating`), `line L column C`, `FILE:LINE:COLUMN` of a pack, or null. */
    location: string | null;
}



export interface Engine {
    /**
     * Judges one seller-written text (a draft message, insert, listing...). Findings come in
     * span order with `start`/`end` in UTF-16 code units: `text.slice(f.start, f.end)` is
     * `f.quote`. Throws a `ReviewguardError` (`invalid_value` at `options`, `limit_exceeded`).
     */
    scan(text: string, options?: ScanOptions): Finding[];
}


/**
 * A payment that is part of the evidence.
 */
export interface PaymentEvidence {
    /**
     * The payment id.
     */
    id: string;
    /**
     * The payment kind (`refund`, `gift_card`, ...).
     */
    kind: string;
    /**
     * The linked review.
     */
    review: string | null;
}

/**
 * A quoted span of a text field (UTF-8 byte offsets, as in the CLI output).
 */
export interface TextEvidence {
    /**
     * The item holding the text.
     */
    in: Subject;
    /**
     * The field: `text`, `title` or `note`.
     */
    field: string;
    /**
     * UTF-8 byte offset of the start in the original field.
     */
    start: number;
    /**
     * UTF-8 byte offset of the end (exclusive).
     */
    end: number;
    /**
     * The original text between `start` and `end`.
     */
    quote: string;
    /**
     * The rule that matched.
     */
    rule: string;
    /**
     * One line: why the rule fires.
     */
    why: string;
}

/**
 * A review edit that is part of the evidence.
 */
export interface EditEvidence {
    /**
     * The review id.
     */
    review: string;
    /**
     * Index into the review's `edits`.
     */
    index: number;
    /**
     * Who made the edit.
     */
    by: string | null;
    /**
     * `removed`, `rating_raised` or `edited`.
     */
    change: string;
    /**
     * Rating before the edit, when known.
     */
    rating_before: number | null;
    /**
     * Rating after the edit, when known.
     */
    rating_after: number | null;
}

/**
 * Input limits of an engine (`Engine.withLimits`, `engine.limits`); an omitted field keeps
 * its default. Over a limit, a call throws `limit_exceeded` with a location.
 */
export interface Limits {
    /**
     * Bytes of one case's JSON (UTF-8); default 64 MiB.
     */
    maxCaseBytes?: number;
    /**
     * Bytes of one text field or scanned text (UTF-8); default 1 MiB.
     */
    maxTextBytes?: number;
    /**
     * Items in one list of a case (parties, relations, reviews, ...); default 200 000.
     */
    maxListLen?: number;
    /**
     * Levels of JSON nesting; default 64.
     */
    maxJsonDepth?: number;
}

/**
 * One piece of evidence: one key naming its sort.
 */
export type Evidence = { relation_path: string[] } | { text: TextEvidence } | { product: ProductEvidence } | { payment: PaymentEvidence } | { edit: EditEvidence } | { variation: VariationEvidence };

/**
 * One span of a scanned text that breaks policy.
 *
 * `start` and `end` are **UTF-16 code unit** offsets (JavaScript string indices), so
 * `text.slice(f.start, f.end) === f.quote` holds for any text, emoji and CJK included.
 */
export interface Finding {
    /**
     * The violation kind reported (after the pack's channel remapping).
     */
    kind: Kind;
    /**
     * The stable policy code of `kind`, `RP-01` .. `RP-11`.
     */
    code: string;
    /**
     * The id of the pack rule that matched.
     */
    rule: string;
    /**
     * How strong the evidence is.
     */
    confidence: Confidence;
    /**
     * UTF-16 offset of the start.
     */
    start: number;
    /**
     * UTF-16 offset of the end (exclusive).
     */
    end: number;
    /**
     * The original text of the span.
     */
    quote: string;
    /**
     * One line: why the rule fires.
     */
    why: string;
}

/**
 * One violation of one kind by one seller about one subject.
 */
export interface Violation {
    /**
     * `RP-01` .. `RP-11`.
     */
    code: string;
    /**
     * The kind slug.
     */
    kind: Kind;
    /**
     * The seller responsible (`null` for an anonymous draft).
     */
    seller: string | null;
    /**
     * What the violation is about.
     */
    subject: Subject;
    /**
     * How strong the evidence is.
     */
    confidence: Confidence;
    /**
     * Why, in canonical order.
     */
    evidence: Evidence[];
    /**
     * The pack's recommended enforcement actions for this kind.
     */
    actions: string[];
}

/**
 * Options of `Engine.scan`.
 */
export interface ScanOptions {
    /**
     * The channel the text is sent in; default `buyer_seller_message`.
     */
    channel?: Channel;
    /**
     * A language hint (`en`, `de`, `fr`, `es`, `it`, `ja`); default: every language of the pack.
     */
    locale?: string;
}

/**
 * Siblings of a variation family that differ in a non-theme attribute.
 */
export interface VariationEvidence {
    /**
     * The family parent.
     */
    parent: string;
    /**
     * `product_type`, `category` or `brand`.
     */
    attribute: string;
    /**
     * The distinct values, sorted.
     */
    values: string[];
    /**
     * The products involved, sorted.
     */
    products: string[];
}

/**
 * The answer for one case: exactly `JSON.parse` of the CLI's decision line.
 *
 * Text evidence offsets here are UTF-8 byte offsets, as in the CLI output; use
 * `Engine.scan` for JavaScript string offsets of a single text.
 */
export interface Decision {
    /**
     * The case id, when the case has one.
     */
    case: string | null;
    /**
     * The pack that decided, `name@version`.
     */
    pack: string;
    /**
     * Every violation found, in canonical order.
     */
    violations: Violation[];
}

/**
 * The eleven violation kinds of POLICY.md, by slug.
 */
export type Kind = "seller-self-review" | "compensated-review" | "refund-for-review-change" | "review-club" | "insider-review" | "review-change-request" | "review-diversion" | "variation-abuse" | "insert-solicitation" | "customer-account-misuse" | "biased-review-request";

/**
 * The stable code carried by every error the binding throws (`err.code`).
 */
export type ErrorCode = "invalid_json" | "unknown_field" | "missing_field" | "invalid_value" | "duplicate_id" | "dangling_reference" | "rating_out_of_range" | "invalid_timestamp" | "invalid_amount" | "limit_exceeded" | "pack_syntax" | "pack_unknown_concept" | "pack_unknown_kind" | "pack_no_examples" | "pack_bad_pattern" | "pack_duplicate_id" | "pack_example_failed" | "pack_invalid_value";

/**
 * The strength of the evidence (POLICY.md, "Confidence").
 */
export type Confidence = "medium" | "high";

/**
 * What a violation is about: one key naming the item.
 */
export type Subject = { review: string } | { message: string } | { payment: string } | { variation_family: string } | { catalog_event: number };

/**
 * Where a seller's text is sent (CASES.md, message `channel`).
 */
export type Channel = "buyer_seller_message" | "package_insert" | "product_listing" | "review_request" | "external";

/**
 * Why a reviewed product is the seller's or a competitor's.
 */
export interface ProductEvidence {
    /**
     * The product id.
     */
    id: string;
    /**
     * `own` or `competitor`.
     */
    owner: string;
    /**
     * `seller`, `competitor_relation` or `shared_category`.
     */
    basis: string;
    /**
     * The selling party, when given.
     */
    seller: string | null;
    /**
     * The shared category, for `shared_category`.
     */
    category?: string;
}


/**
 * A compiled policy pack: build once, then evaluate and scan as often as needed.
 */
export class Engine {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Judges every item of a JSON Lines (or JSON array) input; returns the output of
     * `reviewguard check` for it, one line per item, each ending in `\n`. Items that cannot
     * be read give error lines instead of throwing.
     */
    checkLines(input: string): string;
    /**
     * Judges one case given as JSON text; returns the decision line, byte-identical to the
     * output of `reviewguard check` for the same case.
     */
    evaluateJson(case_json: string): string;
    /**
     * Judges one case given as a JS object; returns the decision as an object
     * (`JSON.parse(engine.evaluateJson(JSON.stringify(c)))`).
     */
    evaluate(_case: object): Decision;
    /**
     * An engine over a policy pack held in one TOML string; a bad pack throws with a
     * `pack_*` code and a `FILE:LINE:COLUMN` location.
     */
    static fromPack(text: string): Engine;
    /**
     * An engine over the bundled default pack (`amazon-customer-reviews`).
     */
    constructor();
    /**
     * Judges a review's own text for incentive disclosures ("I received this for free in
     * exchange for my review"); offsets as in `Engine.scan`.
     */
    scanReview(text: string): Finding[];
    /**
     * An engine with input limits (see `Limits`; omitted fields keep their
     * defaults), over the bundled pack or over `pack` (one TOML string) when given. Unknown
     * fields throw `invalid_value` at `limits`.
     */
    static withLimits(limits: Limits, pack?: string | null): Engine;
    /**
     * The languages the pack declares (valid `locale` hints).
     */
    readonly languages: string[];
    /**
     * The limits in force, every field filled.
     */
    readonly limits: Limits;
    /**
     * `name@version` of the pack, as reported in decisions.
     */
    readonly packId: string;
}
