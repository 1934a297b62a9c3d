/*
 * The conformance corpus (tests/conformance/) through the C ABI: every entry must give exactly
 * its blessed output. A decision: rg_engine_evaluate_json returns RG_STATUS_OK and the same
 * bytes. An error: the same rg_status (100 + the code's number), the same code string from
 * rg_status_name, the same location from rg_error_location. Either way rg_engine_check_line
 * (line 1) gives the same output line and the matching outcome.
 *
 * usage: test_conformance CORPUS.tsv
 *   CORPUS.tsv: `conformance export-c` output (a hex re-encoding of cases/ and expected/), one
 *   line per entry: hex(name) hex(input) hex(output) status code hex(location)|-
 * Exits 1 on any mismatch (each printed with the entry's name and the first differing byte),
 * or when the corpus holds fewer than MIN_ENTRIES entries.
 */
#include "common.h"

#define MIN_ENTRIES 300

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Decodes `len` hex chars at `s` into a new NUL-terminated buffer; NULL on bad input. */
static char *unhex(const char *s, size_t len, size_t *out_len) {
    if (len % 2 != 0) return NULL;
    char *out = malloc(len / 2 + 1);
    if (out == NULL) return NULL;
    for (size_t i = 0; i < len; i += 2) {
        int hi = hexval(s[i]), lo = hexval(s[i + 1]);
        if (hi < 0 || lo < 0) {
            free(out);
            return NULL;
        }
        out[i / 2] = (char)(hi * 16 + lo);
    }
    out[len / 2] = '\0';
    *out_len = len / 2;
    return out;
}

/* Splits a line in place at tabs into exactly `n` fields. */
static int fields(char *line, size_t len, char **f, size_t *flen, int n) {
    int k = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || line[i] == '\t') {
            if (k == n) return -1;
            f[k] = line + start;
            flen[k] = i - start;
            k++;
            start = i + 1;
        }
    }
    return k == n ? 0 : -1;
}

static int failures = 0;

static void report_bytes(const char *name, const char *what, const char *want, size_t want_len,
                         const char *got, size_t got_len) {
    size_t i = 0;
    while (i < want_len && i < got_len && want[i] == got[i]) i++;
    size_t from = i > 40 ? i - 40 : 0;
    size_t want_to = i + 40 < want_len ? i + 40 : want_len;
    size_t got_to = i + 40 < got_len ? i + 40 : got_len;
    fprintf(stderr,
            "MISMATCH %s: %s differs at byte %zu\n  expected: ...%.*s...\n  got:      ...%.*s...\n",
            name, what, i, (int)(want_to - from), want + from, (int)(got_to - from), got + from);
    failures++;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS.tsv\n", argv[0]);
        return 2;
    }
    rg_engine *engine = NULL;
    rg_error *err = NULL;
    CHECK_STATUS(rg_error_new(&err), RG_STATUS_OK);
    CHECK_STATUS(rg_engine_new_default(&engine, err), RG_STATUS_OK);
    if (engine == NULL || err == NULL) return 1;

    size_t len;
    char *input = read_file(argv[1], &len);
    char **lines;
    size_t *lens;
    size_t n = split_lines(input, len, &lines, &lens);
    size_t entries = 0, decisions = 0, errors = 0;
    for (size_t item = 0; item < n; item++) {
        if (is_blank(lines[item], lens[item])) continue;
        char *f[6];
        size_t fl[6];
        if (fields(lines[item], lens[item], f, fl, 6) != 0) {
            fprintf(stderr, "%s:%zu: malformed line\n", argv[1], item + 1);
            return 2;
        }
        size_t name_len, case_len, want_len, loc_len = 0;
        char *name = unhex(f[0], fl[0], &name_len);
        char *json = unhex(f[1], fl[1], &case_len);
        char *want = unhex(f[2], fl[2], &want_len);
        char *loc = (fl[5] == 1 && f[5][0] == '-') ? NULL : unhex(f[5], fl[5], &loc_len);
        f[4][fl[4]] = '\0';
        const char *code = f[4];
        unsigned status = (unsigned)strtoul(f[3], NULL, 10);
        if (name == NULL || json == NULL || want == NULL) {
            fprintf(stderr, "%s:%zu: bad hex\n", argv[1], item + 1);
            return 2;
        }
        entries++;

        rg_buffer *out = NULL;
        rg_status st = rg_engine_evaluate_json(engine, json, case_len, &out, err);
        if (status == RG_STATUS_OK) {
            decisions++;
            if (st != RG_STATUS_OK) {
                const char *l = rg_error_location(err, NULL);
                fprintf(stderr, "MISMATCH %s: expected a decision, got %s at %s\n", name,
                        rg_status_name(st), l ? l : "(none)");
                failures++;
            } else if (!buffer_equals(out, want, want_len)) {
                report_bytes(name, "decision", want, want_len, rg_buffer_data(out),
                             rg_buffer_len(out));
            }
        } else {
            errors++;
            size_t got_loc_len = 0;
            const char *got_loc = st == RG_STATUS_OK ? NULL : rg_error_location(err, &got_loc_len);
            const char *got_code = rg_status_name(st);
            int same_loc = (loc == NULL && got_loc == NULL) ||
                           (loc != NULL && got_loc != NULL && got_loc_len == loc_len &&
                            memcmp(loc, got_loc, loc_len) == 0);
            if (st != status || got_code == NULL || strcmp(got_code, code) != 0 || !same_loc) {
                fprintf(stderr,
                        "MISMATCH %s: expected error %u %s at %s, got %u %s at %s\n", name,
                        status, code, loc ? loc : "(none)", (unsigned)st,
                        got_code ? got_code : "?", got_loc ? got_loc : "(none)");
                failures++;
            }
        }
        rg_buffer_free(out);

        /* The JSON Lines protocol, the entry as line 1: exactly the expected line. */
        rg_buffer *line = NULL;
        rg_outcome outcome = RG_OUTCOME_CLEAN;
        CHECK_STATUS(rg_engine_check_line(engine, 1, json, case_len, &line, &outcome, err),
                     RG_STATUS_OK);
        if (line != NULL && !buffer_equals(line, want, want_len)) {
            report_bytes(name, "check_line output", want, want_len, rg_buffer_data(line),
                         rg_buffer_len(line));
        }
        if ((status == RG_STATUS_OK) == (outcome == RG_OUTCOME_FAILED)) {
            fprintf(stderr, "MISMATCH %s: check_line outcome %u\n", name, (unsigned)outcome);
            failures++;
        }
        rg_buffer_free(line);
        free(name);
        free(json);
        free(want);
        free(loc);
    }
    free(lines);
    free(lens);
    free(input);
    rg_engine_free(engine);
    rg_error_free(err);
    if (entries < MIN_ENTRIES) {
        fprintf(stderr, "test_conformance: only %zu entries (at least %d expected)\n", entries,
                MIN_ENTRIES);
        return 1;
    }
    fprintf(stderr, "test_conformance: %zu entries (%zu decisions, %zu errors), %d mismatches\n",
            entries, decisions, errors, failures + rg_test_failures);
    return failures + rg_test_failures > 0;
}
