/*
 * The C side of bench.sh: times rg_engine_evaluate_json (plus rg_buffer_free) over every case
 * of CASES, ROUNDS times, after one warm-up round; prints `c CALLS NS_PER_CALL (checksum N)`,
 * the same line as `examples/reference.rs bench` prints for the Rust engine called directly.
 *
 * usage: bench CASES.jsonl ROUNDS
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reviewguard.h"

static size_t run(const rg_engine *engine, char **cases, size_t *lens, size_t n) {
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        rg_buffer *decision = NULL;
        if (rg_engine_evaluate_json(engine, cases[i], lens[i], &decision, NULL) == RG_STATUS_OK) {
            bytes += rg_buffer_len(decision);
            rg_buffer_free(decision);
        }
    }
    return bytes;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s CASES ROUNDS\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) return 2;
    static char text[1 << 22];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    char *cases[4096];
    size_t lens[4096], n = 0;
    for (char *line = strtok(text, "\n"); line != NULL && n < 4096; line = strtok(NULL, "\n")) {
        cases[n] = line;
        lens[n] = strlen(line);
        n++;
    }
    long rounds = atol(argv[2]);
    rg_engine *engine = NULL;
    if (rg_engine_new_default(&engine, NULL) != RG_STATUS_OK) return 2;
    size_t bytes = run(engine, cases, lens, n); /* warm-up */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long r = 0; r < rounds; r++) bytes += run(engine, cases, lens, n);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
    size_t calls = (size_t)rounds * n;
    printf("c %zu %.0f (checksum %zu)\n", calls, ns / (double)calls, bytes);
    rg_engine_free(engine);
    return 0;
}
