/*
 * The text corpus (tests/corpus/ *.jsonl) through rg_engine_scan: prints every finding in the
 * format of `examples/reference.rs corpus`, which gives the same items through the Rust engine;
 * scripts/test-c.sh compares the two outputs byte for byte.
 *
 * usage: test_corpus INPUT.tsv > OUTPUT.tsv
 *   INPUT: one line per item, CHANNEL<TAB>LOCALE<TAB>HEX(text)
 */
#include "common.h"

static int unhex(const char *s, size_t len, char *out) {
    for (size_t i = 0; i + 1 < len; i += 2) {
        unsigned v;
        if (sscanf(s + i, "%2x", &v) != 1) return -1;
        out[i / 2] = (char)v;
    }
    return 0;
}

static void print_hex(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) printf("%02x", (unsigned char)s[i]);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s INPUT.tsv\n", argv[0]);
        return 2;
    }
    rg_engine *engine = NULL;
    rg_error *err = NULL;
    CHECK_STATUS(rg_error_new(&err), RG_STATUS_OK);
    CHECK_STATUS(rg_engine_new_default(&engine, err), RG_STATUS_OK);
    if (engine == NULL) return 1;
    size_t len;
    char *input = read_file(argv[1], &len);
    char **lines;
    size_t *lens;
    size_t n = split_lines(input, len, &lines, &lens);
    for (size_t item = 0; item < n; item++) {
        char *line = lines[item];
        char *tab1 = strchr(line, '\t');
        char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (tab2 == NULL) {
            fprintf(stderr, "bad input line %zu\n", item + 1);
            return 2;
        }
        unsigned channel = (unsigned)strtoul(line, NULL, 10);
        const char *locale = tab1 + 1;
        size_t locale_len = (size_t)(tab2 - locale);
        const char *hex = tab2 + 1;
        size_t hex_len = lens[item] - (size_t)(hex - line);
        char *text = malloc(hex_len / 2 + 1);
        if (text == NULL || unhex(hex, hex_len, text) != 0) return 2;
        rg_findings *found = NULL;
        rg_status st = rg_engine_scan(engine, text, hex_len / 2, channel,
                                      locale_len ? locale : NULL, locale_len, &found, err);
        if (st != RG_STATUS_OK) {
            printf("%zu\terror\t%u\n", item, (unsigned)st);
        } else {
            const rg_finding *f = rg_findings_items(found);
            for (size_t i = 0; i < rg_findings_len(found); i++) {
                printf("%zu\t%u\t%u\t%zu\t%zu\t%s\t", item, (unsigned)f[i].kind,
                       (unsigned)f[i].confidence, f[i].start, f[i].end, f[i].rule);
                print_hex(f[i].quote, f[i].quote_len);
                printf("\t");
                print_hex(f[i].why, f[i].why_len);
                printf("\n");
            }
            rg_findings_free(found);
        }
        free(text);
    }
    free(lines);
    free(lens);
    free(input);
    rg_engine_free(engine);
    rg_error_free(err);
    fprintf(stderr, "test_corpus: %zu items scanned\n", n);
    return rg_test_failures > 0;
}
