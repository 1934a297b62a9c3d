/*
 * One engine shared by 8 threads: each judges every example case (evaluate_json and
 * check_line) and scans texts, several rounds, with its own rg_error, and compares every result
 * with what the main thread got alone.
 *
 * usage: test_threads CASES.jsonl [ROUNDS]
 */
#include <pthread.h>

#include "common.h"

#define THREADS 8

static rg_engine *engine;
static char **cases;
static size_t *case_lens;
static char **expected; /* check_line output of the main thread, per case */
static size_t ncases;
static int rounds = 3;
static const char *scan_text = "Leave a review and we'll send you a $10 gift card!";
static size_t expected_findings;

static void *worker(void *arg) {
    size_t id = (size_t)arg;
    size_t mismatches = 0;
    rg_error *err = NULL;
    if (rg_error_new(&err) != RG_STATUS_OK) return (void *)1;
    for (int r = 0; r < rounds; r++) {
        for (size_t k = 0; k < ncases; k++) {
            /* Threads walk the cases from different starting points. */
            size_t i = (k + id * 5) % ncases;
            rg_buffer *line = NULL;
            rg_outcome outcome;
            if (rg_engine_check_line(engine, i + 1, cases[i], case_lens[i], &line, &outcome,
                                     err) != RG_STATUS_OK ||
                strcmp(rg_buffer_data(line), expected[i]) != 0) {
                mismatches++;
            }
            rg_buffer_free(line);
            rg_buffer *decision = NULL;
            rg_status st = rg_engine_evaluate_json(engine, cases[i], case_lens[i], &decision, err);
            if (st == RG_STATUS_OK && strcmp(rg_buffer_data(decision), expected[i]) != 0) {
                mismatches++;
            }
            if (st != RG_STATUS_OK && rg_error_code(err) != st) mismatches++;
            rg_buffer_free(decision);
        }
        rg_findings *f = NULL;
        if (rg_engine_scan(engine, scan_text, strlen(scan_text), RG_CHANNEL_BUYER_SELLER_MESSAGE,
                           NULL, 0, &f, err) != RG_STATUS_OK ||
            rg_findings_len(f) != expected_findings) {
            mismatches++;
        }
        rg_findings_free(f);
    }
    rg_error_free(err);
    return (void *)mismatches;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s CASES [ROUNDS]\n", argv[0]);
        return 2;
    }
    if (argc > 2) rounds = atoi(argv[2]);
    CHECK_STATUS(rg_engine_new_default(&engine, NULL), RG_STATUS_OK);
    if (engine == NULL) return 1;
    size_t len;
    char *text = read_file(argv[1], &len);
    char **lines;
    size_t *lens;
    size_t n = split_lines(text, len, &lines, &lens);
    cases = calloc(n + 1, sizeof *cases);
    case_lens = calloc(n + 1, sizeof *case_lens);
    expected = calloc(n + 1, sizeof *expected);
    if (cases == NULL || case_lens == NULL || expected == NULL) return 2;
    for (size_t i = 0; i < n; i++) {
        if (is_blank(lines[i], lens[i])) continue;
        rg_buffer *line = NULL;
        rg_outcome outcome;
        CHECK_STATUS(rg_engine_check_line(engine, ncases + 1, lines[i], lens[i], &line, &outcome,
                                          NULL),
                     RG_STATUS_OK);
        cases[ncases] = lines[i];
        case_lens[ncases] = lens[i];
        expected[ncases] = copy_string(rg_buffer_data(line));
        rg_buffer_free(line);
        ncases++;
    }
    rg_findings *f = NULL;
    CHECK_STATUS(rg_engine_scan(engine, scan_text, strlen(scan_text),
                                RG_CHANNEL_BUYER_SELLER_MESSAGE, NULL, 0, &f, NULL),
                 RG_STATUS_OK);
    expected_findings = rg_findings_len(f);
    CHECK(expected_findings > 0);
    rg_findings_free(f);

    pthread_t threads[THREADS];
    for (size_t t = 0; t < THREADS; t++) {
        if (pthread_create(&threads[t], NULL, worker, (void *)t) != 0) return 2;
    }
    size_t total = 0;
    for (size_t t = 0; t < THREADS; t++) {
        void *mismatches;
        pthread_join(threads[t], &mismatches);
        total += (size_t)mismatches;
    }
    CHECK(total == 0);
    fprintf(stderr, "test_threads: %d threads x %d rounds x %zu cases, %zu mismatches\n", THREADS,
            rounds, ncases, total);
    for (size_t i = 0; i < ncases; i++) free(expected[i]);
    free(expected);
    free(cases);
    free(case_lens);
    free(lines);
    free(lens);
    free(text);
    rg_engine_free(engine);
    return rg_test_failures > 0;
}
