/* tests/wasi: arguments and environment. Prints argv[1..] and the sorted environment; the test runs it
 * natively under `env -i` with the same variables, so both lists must match exactly. */
#include <stdlib.h>
#include <string.h>

#include "common.h"

extern char** environ;

static int cmp(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

int main(int argc, char** argv) {
  printf("argc %d\n", argc);
  for (int i = 1; i < argc; ++i) printf("argv[%d] = '%s'\n", i, argv[i]);
  int n = 0;
  while (environ[n]) ++n;
  char** sorted = malloc(sizeof(char*) * (n + 1));
  memcpy(sorted, environ, sizeof(char*) * n);
  qsort(sorted, n, sizeof(char*), cmp);
  printf("environ %d\n", n);
  for (int i = 0; i < n; ++i) printf("  %s\n", sorted[i]);
  const char* foo = getenv("FOO");
  printf("FOO %s\n", foo ? foo : "(unset)");
  const char* missing = getenv("AIRWASM_TEST_MISSING");
  printf("AIRWASM_TEST_MISSING %s\n", missing ? missing : "(unset)");
  free(sorted);
  return 0;
}
