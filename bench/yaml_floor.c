/* The floor for `plancc lint`: read every *.yaml / *.yml file under the given directories and
 * run libyaml's event parser over it, nothing else. Single-threaded, like a minimal tool. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static long files = 0, events = 0, failures = 0;

static int is_yaml(const char *p) {
    size_t n = strlen(p);
    return (n > 5 && strcmp(p + n - 5, ".yaml") == 0) || (n > 4 && strcmp(p + n - 4, ".yml") == 0);
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)ftw;
    if (type != FTW_F || !is_yaml(path)) return 0;
    FILE *f = fopen(path, "rb");
    if (!f) { failures++; return 0; }
    size_t size = (size_t)st->st_size;
    unsigned char *buf = malloc(size + 1);
    size_t got = fread(buf, 1, size, f);
    fclose(f);
    yaml_parser_t parser;
    yaml_event_t event;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, buf, got);
    for (;;) {
        if (!yaml_parser_parse(&parser, &event)) { failures++; break; }
        int done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        events++;
        if (done) break;
    }
    yaml_parser_delete(&parser);
    free(buf);
    files++;
    return 0;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) nftw(argv[i], visit, 32, FTW_PHYS);
    printf("%ld files, %ld events, %ld failures\n", files, events, failures);
    return failures ? 1 : 0;
}
