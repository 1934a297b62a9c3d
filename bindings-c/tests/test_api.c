/*
 * The C API end to end: version, status names, the public examples byte for byte against the
 * CLI's output, every error status provoked on purpose (with out-parameters left untouched),
 * typed scanning, NULL-tolerant accessors and frees.
 *
 * usage: test_api CASES.jsonl EXPECTED.jsonl CARGO_VERSION
 *   EXPECTED is `reviewguard check CASES` output (scripts/test-c.sh makes it with the CLI).
 */
#include "common.h"

#define SENTINEL ((void *)0x1)

static rg_engine *engine;
static rg_error *err;

static const char *cstr_or(const char *s, const char *fallback) { return s ? s : fallback; }

/* Evaluates `json` and checks the failure: status, code name, location; out untouched. */
static void expect_case_error(const char *json, rg_status want, const char *want_location) {
    rg_buffer *out = SENTINEL;
    rg_status got = rg_engine_evaluate_json(engine, json, strlen(json), &out, err);
    if (got != want) {
        fprintf(stderr, "case %s: status %u (%s: %s), expected %u (%s)\n", json, (unsigned)got,
                rg_status_name(got), cstr_or(rg_error_message(err, NULL), "?"), (unsigned)want,
                rg_status_name(want));
        rg_test_failures++;
        if (got == RG_STATUS_OK) rg_buffer_free(out);
        return;
    }
    CHECK(out == SENTINEL);
    CHECK(rg_error_code(err) == want);
    size_t len = 0;
    const char *msg = rg_error_message(err, &len);
    CHECK(msg != NULL && len == strlen(msg) && len > 0);
    const char *loc = rg_error_location(err, NULL);
    if (want_location != NULL) {
        if (loc == NULL || strcmp(loc, want_location) != 0) {
            fprintf(stderr, "case %s: location %s, expected %s\n", json, cstr_or(loc, "(none)"),
                    want_location);
            rg_test_failures++;
        }
    }
}

static void expect_pack_error(const char *pack, rg_status want, int want_location) {
    rg_engine *e = SENTINEL;
    rg_status got = rg_engine_new_from_pack(pack, strlen(pack), &e, err);
    if (got != want) {
        fprintf(stderr, "pack:\n%s\nstatus %u (%s: %s), expected %u (%s)\n", pack, (unsigned)got,
                rg_status_name(got), cstr_or(rg_error_message(err, NULL), "?"), (unsigned)want,
                rg_status_name(want));
        rg_test_failures++;
        if (got == RG_STATUS_OK) rg_engine_free(e);
        return;
    }
    CHECK(e == SENTINEL);
    /* Diagnostics point into the pack text, named `<pack>`. */
    const char *loc = rg_error_location(err, NULL);
    if (want_location && (loc == NULL || strncmp(loc, "<pack>:", 7) != 0)) {
        fprintf(stderr, "pack error %s: location %s\n", rg_status_name(want),
                cstr_or(loc, "(none)"));
        rg_test_failures++;
    }
}

static void test_version(const char *cargo_version) {
    CHECK(strcmp(rg_version(), RG_VERSION) == 0);
    CHECK(strcmp(rg_version(), cargo_version) == 0);
    char composed[64];
    snprintf(composed, sizeof composed, "%d.%d.%d", RG_VERSION_MAJOR, RG_VERSION_MINOR,
             RG_VERSION_PATCH);
    CHECK(strcmp(composed, cargo_version) == 0);
}

static void test_status_names(void) {
    CHECK(strcmp(rg_status_name(RG_STATUS_OK), "ok") == 0);
    CHECK(strcmp(rg_status_name(RG_STATUS_NULL_POINTER), "null_pointer") == 0);
    CHECK(strcmp(rg_status_name(RG_STATUS_NULL_WITH_LENGTH), "null_with_length") == 0);
    CHECK(strcmp(rg_status_name(RG_STATUS_INVALID_UTF8), "invalid_utf8") == 0);
    CHECK(strcmp(rg_status_name(RG_STATUS_INPUT_TOO_LARGE), "input_too_large") == 0);
    CHECK(strcmp(rg_status_name(RG_STATUS_PANIC), "panic") == 0);
    CHECK(strcmp(rg_status_name(RG_STATUS_DANGLING_REFERENCE), "dangling_reference") == 0);
    CHECK(strcmp(rg_status_name(RG_STATUS_PACK_INVALID_VALUE), "pack_invalid_value") == 0);
    CHECK(strcmp(rg_status_name(4242), "unknown") == 0);
    /* Published numbers: never renumber. */
    CHECK(RG_STATUS_OK == 0 && RG_STATUS_NULL_POINTER == 1 && RG_STATUS_NULL_WITH_LENGTH == 2);
    CHECK(RG_STATUS_INVALID_UTF8 == 3 && RG_STATUS_INPUT_TOO_LARGE == 4 && RG_STATUS_PANIC == 5);
    CHECK(RG_STATUS_INVALID_JSON == 101 && RG_STATUS_LIMIT_EXCEEDED == 110);
    CHECK(RG_STATUS_PACK_SYNTAX == 120 && RG_STATUS_PACK_INVALID_VALUE == 127);
    CHECK(strcmp(rg_kind_code(RG_KIND_INSIDER_REVIEW), "RP-05") == 0);
    CHECK(strcmp(rg_kind_slug(RG_KIND_BIASED_REVIEW_REQUEST), "biased-review-request") == 0);
    CHECK(rg_kind_code(0) == NULL && rg_kind_slug(12) == NULL);
}

/* The public examples: batch output, per-line output and evaluate_json against the CLI. */
static void test_examples(const char *cases_path, const char *expected_path) {
    size_t cases_len, expected_len;
    char *cases = read_file(cases_path, &cases_len);
    char *expected = read_file(expected_path, &expected_len);

    /* The batch call gives the CLI's standard output, byte for byte. */
    rg_buffer *out = NULL;
    rg_check_summary summary = {0};
    CHECK_STATUS(rg_engine_check_jsonl(engine, cases, cases_len, &out, &summary, err),
                 RG_STATUS_OK);
    if (out != NULL) {
        if (!buffer_equals(out, expected, expected_len)) {
            fprintf(stderr, "batch output differs from the CLI's (%zu vs %zu bytes)\n",
                    rg_buffer_len(out), expected_len);
            rg_test_failures++;
        }
        rg_buffer_free(out);
    }
    CHECK(summary.items > 0 && summary.items == summary.decided + summary.failed);

    /* One call per line gives the same lines; evaluate_json the same decisions. */
    char **lines, **want;
    size_t *lens, *want_lens;
    size_t n = split_lines(cases, cases_len, &lines, &lens);
    size_t m = split_lines(expected, expected_len, &want, &want_lens);
    size_t item = 0, violations = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_blank(lines[i], lens[i])) continue;
        if (item >= m) {
            fprintf(stderr, "more items than expected lines\n");
            rg_test_failures++;
            break;
        }
        rg_buffer *line = NULL;
        rg_outcome outcome = 99;
        CHECK_STATUS(rg_engine_check_line(engine, i + 1, lines[i], lens[i], &line, &outcome, err),
                     RG_STATUS_OK);
        if (line != NULL) {
            if (!buffer_equals(line, want[item], want_lens[item])) {
                fprintf(stderr, "line %zu differs:\n  C:   %s\n  CLI: %s\n", i + 1,
                        rg_buffer_data(line), want[item]);
                rg_test_failures++;
            }
            rg_buffer_free(line);
        }
        rg_buffer *decision = NULL;
        rg_status st = rg_engine_evaluate_json(engine, lines[i], lens[i], &decision, err);
        if (outcome == RG_OUTCOME_FAILED) {
            failed++;
            CHECK(st >= 101 && decision == NULL);
            /* The error line names the same code as the status. */
            char code[96];
            snprintf(code, sizeof code, "\"code\":\"%s\"", rg_status_name(st));
            CHECK(strstr(want[item], code) != NULL);
        } else {
            CHECK_STATUS(st, RG_STATUS_OK);
            CHECK(decision != NULL && buffer_equals(decision, want[item], want_lens[item]));
            CHECK(rg_buffer_data(decision)[rg_buffer_len(decision)] == '\0');
            if (outcome == RG_OUTCOME_VIOLATIONS) violations++;
            CHECK((outcome == RG_OUTCOME_VIOLATIONS) ==
                  (strstr(want[item], "\"violations\":[]") == NULL));
        }
        rg_buffer_free(decision);
        item++;
    }
    CHECK(item == m && item == summary.items);
    CHECK(violations == summary.with_violations && failed == summary.failed);
    fprintf(stderr, "examples: %zu items, %zu with violations, %zu unreadable\n", item,
            violations, failed);
    free(lines);
    free(lens);
    free(want);
    free(want_lens);
    free(cases);
    free(expected);
}

/* Every status of the C boundary, provoked on purpose. */
static void test_boundary_statuses(void) {
    const char *ok_case = "{\"id\":\"c1\"}";
    rg_buffer *out = SENTINEL;
    rg_engine *e = SENTINEL;
    rg_error *e2 = SENTINEL;
    rg_findings *f = SENTINEL;
    rg_outcome outcome = 99;

    /* NULL required pointers: handles and out-parameters. */
    CHECK_STATUS(rg_error_new(NULL), RG_STATUS_NULL_POINTER);
    CHECK_STATUS(rg_engine_new_default(NULL, err), RG_STATUS_NULL_POINTER);
    CHECK(rg_error_code(err) == RG_STATUS_NULL_POINTER);
    CHECK(strcmp(rg_error_message(err, NULL), "`engine_out` is NULL") == 0);
    CHECK(rg_error_location(err, NULL) == NULL);
    CHECK_STATUS(rg_engine_new_from_pack("x", 1, NULL, err), RG_STATUS_NULL_POINTER);
    CHECK_STATUS(rg_engine_evaluate_json(NULL, ok_case, strlen(ok_case), &out, err),
                 RG_STATUS_NULL_POINTER);
    CHECK(strcmp(rg_error_message(err, NULL), "`engine` is NULL") == 0);
    CHECK_STATUS(rg_engine_evaluate_json(engine, ok_case, strlen(ok_case), NULL, err),
                 RG_STATUS_NULL_POINTER);
    CHECK_STATUS(rg_engine_check_line(engine, 1, ok_case, strlen(ok_case), NULL, &outcome, err),
                 RG_STATUS_NULL_POINTER);
    CHECK_STATUS(rg_engine_check_line(engine, 1, ok_case, strlen(ok_case), &out, NULL, err),
                 RG_STATUS_NULL_POINTER);
    CHECK_STATUS(rg_engine_check_jsonl(NULL, ok_case, strlen(ok_case), &out, NULL, err),
                 RG_STATUS_NULL_POINTER);
    CHECK_STATUS(rg_engine_scan(engine, "hi", 2, RG_CHANNEL_EXTERNAL, NULL, 0, NULL, err),
                 RG_STATUS_NULL_POINTER);
    CHECK_STATUS(rg_engine_pack_id(NULL, &out, err), RG_STATUS_NULL_POINTER);
    /* The error object itself is optional. */
    CHECK_STATUS(rg_engine_evaluate_json(NULL, ok_case, strlen(ok_case), &out, NULL),
                 RG_STATUS_NULL_POINTER);

    /* A NULL input with a non-zero length. */
    CHECK_STATUS(rg_engine_evaluate_json(engine, NULL, 5, &out, err),
                 RG_STATUS_NULL_WITH_LENGTH);
    CHECK(strcmp(rg_error_message(err, NULL), "`json` is NULL with length 5") == 0);
    CHECK_STATUS(rg_engine_new_from_pack(NULL, 1, &e, err), RG_STATUS_NULL_WITH_LENGTH);
    CHECK_STATUS(rg_engine_scan(engine, NULL, 3, RG_CHANNEL_EXTERNAL, NULL, 0, &f, err),
                 RG_STATUS_NULL_WITH_LENGTH);
    CHECK_STATUS(rg_engine_scan(engine, "hi", 2, RG_CHANNEL_EXTERNAL, NULL, 2, &f, err),
                 RG_STATUS_NULL_WITH_LENGTH);
    CHECK_STATUS(rg_engine_check_jsonl(engine, NULL, 1, &out, NULL, err),
                 RG_STATUS_NULL_WITH_LENGTH);
    /* (NULL, 0) is the empty string: not a boundary failure, an unreadable case. */
    CHECK_STATUS(rg_engine_evaluate_json(engine, NULL, 0, &out, err), RG_STATUS_INVALID_JSON);

    /* Invalid UTF-8, with the byte offset as location. */
    const char bad[] = "{\"id\":\"\xff\"}";
    CHECK_STATUS(rg_engine_evaluate_json(engine, bad, sizeof bad - 1, &out, err),
                 RG_STATUS_INVALID_UTF8);
    CHECK(strcmp(cstr_or(rg_error_location(err, NULL), ""), "byte 7") == 0);
    CHECK_STATUS(rg_engine_check_line(engine, 1, bad, sizeof bad - 1, &out, &outcome, err),
                 RG_STATUS_INVALID_UTF8);
    CHECK_STATUS(rg_engine_check_jsonl(engine, bad, sizeof bad - 1, &out, NULL, err),
                 RG_STATUS_INVALID_UTF8);
    CHECK_STATUS(rg_engine_scan(engine, "\xc3\x28", 2, RG_CHANNEL_EXTERNAL, NULL, 0, &f, err),
                 RG_STATUS_INVALID_UTF8);
    CHECK_STATUS(rg_engine_new_from_pack("\xe2\x82", 2, &e, err), RG_STATUS_INVALID_UTF8);

    /* Over RG_MAX_INPUT_LEN: refused before a single byte is read. */
    size_t huge = (size_t)RG_MAX_INPUT_LEN + 1;
    CHECK_STATUS(rg_engine_evaluate_json(engine, ok_case, huge, &out, err),
                 RG_STATUS_INPUT_TOO_LARGE);
    CHECK_STATUS(rg_engine_check_jsonl(engine, ok_case, huge, &out, NULL, err),
                 RG_STATUS_INPUT_TOO_LARGE);
    CHECK_STATUS(rg_engine_scan(engine, ok_case, huge, RG_CHANNEL_EXTERNAL, NULL, 0, &f, err),
                 RG_STATUS_INPUT_TOO_LARGE);
    CHECK_STATUS(rg_engine_new_from_pack(ok_case, huge, &e, err), RG_STATUS_INPUT_TOO_LARGE);

    /* An enumeration argument out of range. */
    CHECK_STATUS(rg_engine_scan(engine, "hi", 2, 42, NULL, 0, &f, err),
                 RG_STATUS_INVALID_ARGUMENT);
    CHECK(strcmp(rg_error_message(err, NULL), "`channel` is 42, not an `rg_channel` value") == 0);

    /* A panic inside the library becomes a status (test builds only). */
#ifdef RG_TESTING
    CHECK_STATUS(rg_testing_panic(err), RG_STATUS_PANIC);
    CHECK(strstr(rg_error_message(err, NULL), "deliberate panic") != NULL);
    CHECK_STATUS(rg_testing_panic(NULL), RG_STATUS_PANIC);
#else
    fprintf(stderr, "note: built without RG_TESTING, the panic status is not provoked\n");
#endif

    /* Out-parameters are written only on success. */
    CHECK(out == SENTINEL && e == SENTINEL && e2 == SENTINEL && f == SENTINEL && outcome == 99);
}

/* Every engine error status that a case can produce. */
static void test_case_errors(void) {
    expect_case_error("{\"id\": ", RG_STATUS_INVALID_JSON, NULL);
    expect_case_error("{\"id\":\"c\",\"sellr\":\"S1\"}", RG_STATUS_UNKNOWN_FIELD, NULL);
    expect_case_error("{\"messages\":[{\"text\":\"hi\"}]}", RG_STATUS_MISSING_FIELD, NULL);
    expect_case_error("{\"parties\":[{\"id\":\"S1\",\"kind\":\"robot\"}]}",
                      RG_STATUS_INVALID_VALUE, NULL);
    expect_case_error("{\"parties\":[{\"id\":\"S1\",\"kind\":\"seller\"},"
                      "{\"id\":\"S1\",\"kind\":\"seller\"}]}",
                      RG_STATUS_DUPLICATE_ID, NULL);
    expect_case_error("{\"id\":\"c9\",\"reviews\":[{\"id\":\"R\",\"product\":\"B\",\"author\":\"A\"}]}",
                      RG_STATUS_DANGLING_REFERENCE, "reviews[0].product");
    expect_case_error("{\"parties\":[{\"id\":\"A\",\"kind\":\"customer_account\"}],"
                      "\"products\":[{\"id\":\"B\"}],"
                      "\"reviews\":[{\"id\":\"R\",\"product\":\"B\",\"author\":\"A\",\"rating\":9}]}",
                      RG_STATUS_RATING_OUT_OF_RANGE, "reviews[0].rating");
    expect_case_error("{\"messages\":[{\"id\":\"M\",\"text\":\"hi\",\"sent_at\":\"yesterday\"}]}",
                      RG_STATUS_INVALID_TIMESTAMP, "messages[0].sent_at");
    expect_case_error("{\"parties\":[{\"id\":\"S\",\"kind\":\"seller\"},"
                      "{\"id\":\"A\",\"kind\":\"customer_account\"}],"
                      "\"payments\":[{\"id\":\"P\",\"from\":\"S\",\"to\":\"A\",\"kind\":\"cash\","
                      "\"amount\":\"-5\"}]}",
                      RG_STATUS_INVALID_AMOUNT, "payments[0].amount");

    /* A message over the engine's 1 MiB text limit. */
    size_t text_len = (1u << 20) + 1;
    const char *head = "{\"messages\":[{\"id\":\"M\",\"text\":\"";
    const char *tail = "\"}]}";
    size_t total = strlen(head) + text_len + strlen(tail);
    char *big = malloc(total + 1);
    if (big == NULL) exit(2);
    memcpy(big, head, strlen(head));
    memset(big + strlen(head), 'a', text_len);
    memcpy(big + strlen(head) + text_len, tail, strlen(tail) + 1);
    expect_case_error(big, RG_STATUS_LIMIT_EXCEEDED, "messages[0].text");
    free(big);
}

#define PACK_HEAD "[pack]\nname = \"t\"\nversion = \"1\"\nlanguages = [\"en\"]\n"
#define CONCEPT "[[concept]]\nname = \"review\"\nlang = \"en\"\nterms = [\"review\"]\n"
#define RULE(kind, all, examples)                                                   \
    "[[rule]]\nid = \"r\"\nkind = \"" kind "\"\nall = [\"" all "\"]\nwhy = \"w\"\n" \
    examples

/* Every engine error status that a pack given to rg_engine_new_from_pack can produce.
 * (RG_STATUS_PACK_EXAMPLE_FAILED comes only from checking a pack's examples, which the
 * engine constructors do not do: `reviewguard pack check` does.) */
static void test_pack_errors(void) {
    const char *valid =
        PACK_HEAD CONCEPT RULE("biased-review-request", "review", "must_match = [\"review\"]\n");
    rg_engine *custom = NULL;
    CHECK_STATUS(rg_engine_new_from_pack(valid, strlen(valid), &custom, err), RG_STATUS_OK);
    if (custom != NULL) {
        rg_buffer *id = NULL;
        CHECK_STATUS(rg_engine_pack_id(custom, &id, err), RG_STATUS_OK);
        CHECK(id != NULL && strcmp(rg_buffer_data(id), "t@1") == 0);
        rg_buffer_free(id);
        rg_engine_free(custom);
    }
    expect_pack_error(CONCEPT, RG_STATUS_PACK_SYNTAX, 0); /* no [pack] table */
    expect_pack_error(PACK_HEAD "[[concept]]\nname = \"x\"\nlang = \"en\"\nterms = [\"a\"]\nbogus = 1\n",
                      RG_STATUS_PACK_SYNTAX, 1);
    expect_pack_error(PACK_HEAD CONCEPT RULE("biased-review-request", "reveiw",
                                             "must_match = [\"x\"]\n"),
                      RG_STATUS_PACK_UNKNOWN_CONCEPT, 1);
    expect_pack_error(PACK_HEAD CONCEPT RULE("no-such-kind", "review", "must_match = [\"x\"]\n"),
                      RG_STATUS_PACK_UNKNOWN_KIND, 1);
    expect_pack_error(PACK_HEAD CONCEPT RULE("biased-review-request", "review", ""),
                      RG_STATUS_PACK_NO_EXAMPLES, 1);
    expect_pack_error(PACK_HEAD "[[concept]]\nname = \"x\"\nlang = \"en\"\nterms = [\"\"]\n",
                      RG_STATUS_PACK_BAD_PATTERN, 1);
    expect_pack_error(PACK_HEAD CONCEPT CONCEPT, RG_STATUS_PACK_DUPLICATE_ID, 1);
    expect_pack_error(PACK_HEAD "[[concept]]\nname = \"x\"\nlang = \"xx\"\nterms = [\"a\"]\n",
                      RG_STATUS_PACK_INVALID_VALUE, 1);
}

static void test_scan(void) {
    const char *text = "Thanks! Leave a 5-star review and we'll send you a $10 gift card.";
    rg_findings *f = NULL;
    CHECK_STATUS(rg_engine_scan(engine, text, strlen(text), RG_CHANNEL_BUYER_SELLER_MESSAGE, "en",
                                2, &f, err),
                 RG_STATUS_OK);
    size_t n = rg_findings_len(f);
    CHECK(n > 0);
    const rg_finding *items = rg_findings_items(f);
    int compensated = 0;
    for (size_t i = 0; i < n; i++) {
        const rg_finding *x = &items[i];
        CHECK(rg_findings_get(f, i) == x);
        CHECK(rg_kind_code(x->kind) != NULL);
        CHECK(x->confidence == RG_CONFIDENCE_MEDIUM || x->confidence == RG_CONFIDENCE_HIGH);
        CHECK(x->start < x->end && x->end <= strlen(text));
        CHECK(x->quote_len == x->end - x->start);
        CHECK(memcmp(x->quote, text + x->start, x->quote_len) == 0 && x->quote[x->quote_len] == 0);
        CHECK(strlen(x->rule) == x->rule_len && strlen(x->why) == x->why_len && x->rule_len > 0);
        if (x->kind == RG_KIND_COMPENSATED_REVIEW) compensated = 1;
    }
    CHECK(compensated);
    CHECK(rg_findings_get(f, n) == NULL);
    rg_findings_free(f);

    /* A clean text: zero findings, an empty array. */
    f = NULL;
    CHECK_STATUS(rg_engine_scan(engine, "Your order shipped.", 19, RG_CHANNEL_EXTERNAL, NULL, 0,
                                &f, err),
                 RG_STATUS_OK);
    CHECK(f != NULL && rg_findings_len(f) == 0 && rg_findings_items(f) == NULL);
    rg_findings_free(f);

    /* A customer's review disclosing an incentive. */
    const char *review = "I received this product for free in exchange for my honest review.";
    f = NULL;
    CHECK_STATUS(rg_engine_scan(engine, review, strlen(review), RG_CHANNEL_REVIEW, NULL, 0, &f,
                                err),
                 RG_STATUS_OK);
    CHECK(rg_findings_len(f) > 0);
    rg_findings_free(f);
}

/* NUL bytes are text, not terminators: lengths are explicit. Hostile input from C. */
static void test_nul_and_hostile_bytes(void) {
    static const char text[] = "Leave a 5-star\0 review\0 and get a $10 gift card\0";
    size_t len = sizeof text - 1;
    rg_findings *f = NULL;
    CHECK_STATUS(rg_engine_scan(engine, text, len, RG_CHANNEL_PACKAGE_INSERT, NULL, 0, &f, err),
                 RG_STATUS_OK);
    CHECK(rg_findings_len(f) > 0);
    for (size_t i = 0; i < rg_findings_len(f); i++) {
        const rg_finding *x = rg_findings_get(f, i);
        CHECK(x->start < x->end && x->end <= len);
        CHECK(memcmp(x->quote, text + x->start, x->quote_len) == 0);
    }
    rg_findings_free(f);

    /* A raw NUL inside a JSON string is a control character: invalid JSON, located. */
    static const char nul_case[] = "{\"messages\":[{\"id\":\"M\",\"text\":\"a\0b\"}]}";
    rg_buffer *out = SENTINEL;
    CHECK_STATUS(rg_engine_evaluate_json(engine, nul_case, sizeof nul_case - 1, &out, err),
                 RG_STATUS_INVALID_JSON);
    CHECK(out == SENTINEL);
    CHECK(strcmp(cstr_or(rg_error_location(err, NULL), ""), "line 1 column 33") == 0);
    /* The escaped form is text: a decision. */
    static const char escaped[] = "{\"messages\":[{\"id\":\"M\",\"text\":\"a\\u0000b\"}]}";
    CHECK_STATUS(rg_engine_evaluate_json(engine, escaped, sizeof escaped - 1, &out, err),
                 RG_STATUS_OK);
    if (out != SENTINEL) rg_buffer_free(out);

    /* Nested 100 000 deep: limit_exceeded where the 65th level opens, no stack overflow. */
    size_t depth = 100000, n = 0;
    char *deep = malloc(2 * depth + 64);
    CHECK(deep != NULL);
    if (deep == NULL) return;
    n += (size_t)sprintf(deep, "{\"products\":[{\"id\":\"P\",\"theme\":{\"x\":");
    memset(deep + n, '[', depth);
    memset(deep + n + depth, ']', depth);
    n += 2 * depth;
    n += (size_t)sprintf(deep + n, "}}]}");
    out = SENTINEL;
    CHECK_STATUS(rg_engine_evaluate_json(engine, deep, n, &out, err), RG_STATUS_LIMIT_EXCEEDED);
    CHECK(strcmp(cstr_or(rg_error_location(err, NULL), ""), "line 1 column 97") == 0);
    free(deep);

    /* Every byte value once, in a case and as a text: an error or a result, never a crash. */
    char all[256];
    for (int i = 0; i < 256; i++) all[i] = (char)i;
    rg_status st = rg_engine_evaluate_json(engine, all, sizeof all, &out, err);
    CHECK(st == RG_STATUS_INVALID_UTF8 || st == RG_STATUS_INVALID_JSON);
    st = rg_engine_scan(engine, all, 128, RG_CHANNEL_EXTERNAL, NULL, 0, &f, err);
    CHECK(st == RG_STATUS_OK);
    if (st == RG_STATUS_OK) rg_findings_free(f);
}

/* Limits: defaults as documented, overrides refuse with a location, NULL means default. */
static void test_limits(void) {
    rg_limits l = rg_limits_default();
    CHECK(l.max_case_bytes == 64u << 20 && l.max_text_bytes == 1u << 20);
    CHECK(l.max_list_len == 200000 && l.max_json_depth == 64);
    l.max_list_len = 1;
    l.max_text_bytes = 8;
    rg_engine *small = NULL;
    CHECK_STATUS(rg_engine_new_with_limits(NULL, 0, &l, &small, err), RG_STATUS_OK);
    if (small == NULL) return;
    static const char two[] =
        "{\"parties\":[{\"id\":\"S1\",\"kind\":\"seller\"},{\"id\":\"A\",\"kind\":\"customer_account\"}]}";
    rg_buffer *out = SENTINEL;
    CHECK_STATUS(rg_engine_evaluate_json(small, two, sizeof two - 1, &out, err),
                 RG_STATUS_LIMIT_EXCEEDED);
    CHECK(out == SENTINEL);
    CHECK(strcmp(cstr_or(rg_error_location(err, NULL), ""), "parties") == 0);
    rg_findings *f = NULL;
    CHECK_STATUS(rg_engine_scan(small, "nine bytes", 10, RG_CHANNEL_EXTERNAL, NULL, 0, &f, err),
                 RG_STATUS_LIMIT_EXCEEDED);
    rg_engine_free(small);
    /* NULL limits: the defaults, here over a pack given as text. */
    static const char pack[] =
        PACK_HEAD CONCEPT RULE("biased-review-request", "review", "must_match = [\"review\"]\n");
    CHECK_STATUS(rg_engine_new_with_limits(pack, sizeof pack - 1, NULL, &small, err), RG_STATUS_OK);
    CHECK_STATUS(rg_engine_evaluate_json(small, two, sizeof two - 1, &out, err), RG_STATUS_OK);
    if (out != SENTINEL) rg_buffer_free(out);
    rg_engine_free(small);
    /* A NULL pack with a length is a boundary error, not the default pack. */
    CHECK_STATUS(rg_engine_new_with_limits(NULL, 3, NULL, &small, err),
                 RG_STATUS_NULL_WITH_LENGTH);
}

/* Accessors and frees tolerate NULL. */
static void test_null_tolerance(void) {
    rg_buffer_free(NULL);
    rg_engine_free(NULL);
    rg_error_free(NULL);
    rg_findings_free(NULL);
    CHECK(rg_buffer_data(NULL) == NULL && rg_buffer_len(NULL) == 0);
    CHECK(rg_findings_len(NULL) == 0 && rg_findings_items(NULL) == NULL);
    CHECK(rg_findings_get(NULL, 0) == NULL);
    CHECK(rg_error_code(NULL) == RG_STATUS_NULL_POINTER);
    CHECK(rg_error_message(NULL, NULL) == NULL && rg_error_location(NULL, NULL) == NULL);
    rg_error *fresh = NULL;
    CHECK_STATUS(rg_error_new(&fresh), RG_STATUS_OK);
    CHECK(rg_error_code(fresh) == RG_STATUS_OK);
    size_t len = 99;
    CHECK(strcmp(rg_error_message(fresh, &len), "") == 0 && len == 0);
    CHECK(rg_error_location(fresh, NULL) == NULL);
    rg_error_free(fresh);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s CASES EXPECTED CARGO_VERSION\n", argv[0]);
        return 2;
    }
    CHECK_STATUS(rg_error_new(&err), RG_STATUS_OK);
    CHECK_STATUS(rg_engine_new_default(&engine, err), RG_STATUS_OK);
    if (engine == NULL) return 1;
    test_version(argv[3]);
    test_status_names();
    test_examples(argv[1], argv[2]);
    test_boundary_statuses();
    test_case_errors();
    test_pack_errors();
    test_scan();
    test_nul_and_hostile_bytes();
    test_limits();
    test_null_tolerance();
    rg_engine_free(engine);
    rg_error_free(err);
    if (rg_test_failures > 0) {
        fprintf(stderr, "test_api: %d failures\n", rg_test_failures);
        return 1;
    }
    fprintf(stderr, "test_api: ok\n");
    return 0;
}
