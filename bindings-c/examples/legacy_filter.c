/*
 * legacy_filter: judge JSON Lines cases read from standard input, one decision per line on
 * standard output, like `reviewguard check` (same bytes, same exit codes), as a small legacy
 * service would embed the library.
 *
 * Exit status: 0 every case is clean, 1 at least one case breaks a rule, 2 at least one line
 * could not be read (its output line is an error line) or the library failed.
 *
 * Build against an installed prefix (bindings-c/install.sh PREFIX):
 *   export PKG_CONFIG_PATH=PREFIX/lib/pkgconfig
 *   cc -o legacy_filter legacy_filter.c $(pkg-config --cflags --libs reviewguard)
 *   LD_LIBRARY_PATH=PREFIX/lib ./legacy_filter < cases.jsonl
 */
#define _POSIX_C_SOURCE 200809L /* getline */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <reviewguard.h>

static int is_blank(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return 0;
    }
    return 1;
}

int main(void) {
    if (strcmp(rg_version(), RG_VERSION) != 0) {
        fprintf(stderr, "legacy_filter: header %s but library %s\n", RG_VERSION, rg_version());
        return 2;
    }
    rg_error *err = NULL;
    rg_engine *engine = NULL;
    if (rg_error_new(&err) != RG_STATUS_OK) return 2;
    rg_status st = rg_engine_new_default(&engine, err);
    if (st != RG_STATUS_OK) {
        fprintf(stderr, "legacy_filter: %s: %s\n", rg_status_name(st), rg_error_message(err, NULL));
        rg_error_free(err);
        return 2;
    }

    int violations = 0, errors = 0;
    char *line = NULL;
    size_t cap = 0, number = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, stdin)) != -1) {
        size_t len = (size_t)got;
        number++;
        if (len > 0 && line[len - 1] == '\n') len--;
        if (len > 0 && line[len - 1] == '\r') len--;
        if (is_blank(line, len)) continue;

        rg_buffer *out = NULL;
        rg_outcome outcome;
        st = rg_engine_check_line(engine, number, line, len, &out, &outcome, err);
        if (st != RG_STATUS_OK) { /* e.g. invalid UTF-8: report it and go on */
            const char *where = rg_error_location(err, NULL);
            fprintf(stderr, "legacy_filter: line %zu: %s: %s%s%s\n", number, rg_status_name(st),
                    rg_error_message(err, NULL), where ? " at " : "", where ? where : "");
            errors = 1;
            continue;
        }
        fwrite(rg_buffer_data(out), 1, rg_buffer_len(out), stdout);
        fputc('\n', stdout);
        rg_buffer_free(out);
        if (outcome == RG_OUTCOME_VIOLATIONS) violations = 1;
        if (outcome == RG_OUTCOME_FAILED) errors = 1;
    }
    free(line);
    rg_engine_free(engine);
    rg_error_free(err);
    if (fflush(stdout) != 0) return 2;
    return errors ? 2 : violations ? 1 : 0;
}
