/* Helpers shared by the C tests: checks that report file:line, file reading, hex. */
#ifndef RG_TEST_COMMON_H
#define RG_TEST_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reviewguard.h"

static int rg_test_failures = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            rg_test_failures++;                                                      \
        }                                                                            \
    } while (0)

#define CHECK_STATUS(expr, want)                                                            \
    do {                                                                                    \
        rg_status got_ = (expr);                                                            \
        if (got_ != (rg_status)(want)) {                                                    \
            fprintf(stderr, "%s:%d: %s returned %u (%s), expected %u (%s)\n", __FILE__,     \
                    __LINE__, #expr, (unsigned)got_, rg_status_name(got_), (unsigned)(want), \
                    rg_status_name(want));                                                  \
            rg_test_failures++;                                                             \
        }                                                                                   \
    } while (0)

/* Reads a whole file; exits on failure. The caller frees the result. */
static inline char *read_file(const char *path, size_t *len_out) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    size_t cap = 1 << 16, len = 0;
    char *data = malloc(cap + 1);
    size_t n;
    while (data != NULL && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            cap *= 2;
            char *bigger = realloc(data, cap + 1);
            if (bigger == NULL) free(data);
            data = bigger;
        }
    }
    fclose(f);
    if (data == NULL) {
        fprintf(stderr, "out of memory reading %s\n", path);
        exit(2);
    }
    data[len] = '\0';
    *len_out = len;
    return data;
}

/* Splits `text` in place into lines (without '\n'); returns the count. `lines` gets malloc'd. */
static inline size_t split_lines(char *text, size_t len, char ***lines_out, size_t **lens_out) {
    size_t count = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') count++;
    }
    if (len > 0 && text[len - 1] != '\n') count++;
    char **lines = calloc(count + 1, sizeof *lines);
    size_t *lens = calloc(count + 1, sizeof *lens);
    if (lines == NULL || lens == NULL) exit(2);
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= len && k < count; i++) {
        if (i == len || text[i] == '\n') {
            lines[k] = text + start;
            lens[k] = i - start;
            if (i < len) text[i] = '\0';
            k++;
            start = i + 1;
        }
    }
    *lines_out = lines;
    *lens_out = lens;
    return count;
}

static inline int is_blank(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return 0;
    }
    return 1;
}

static inline int buffer_equals(const rg_buffer *buf, const char *want, size_t want_len) {
    return rg_buffer_len(buf) == want_len && memcmp(rg_buffer_data(buf), want, want_len) == 0;
}

/* A malloc'd copy of a NUL-terminated string (strdup is POSIX, not C11). */
static inline char *copy_string(const char *s) {
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy == NULL) exit(2);
    return memcpy(copy, s, n);
}

#endif
