/* Test input for clang_module_test.cc: compiled at build time with
 *   clang-19 --target=wasm32-wasi --sysroot=/usr -O2
 * It exercises what a real toolchain emits: WASI imports, exported functions and memory, a function
 * table with an element segment (the function pointers below), data segments and a name section. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*binop)(int, int);

static int op_add(int a, int b) { return a + b; }
static int op_sub(int a, int b) { return a - b; }
static int op_mul(int a, int b) { return a * b; }

static const binop kOps[] = {op_add, op_sub, op_mul};
static char greeting[64] = "hello from airwasm";

__attribute__((export_name("apply"))) int apply(int which, int a, int b) {
  if (which < 0 || which > 2) return 0;
  return kOps[which](a, b);
}

__attribute__((export_name("greeting_length"))) int greeting_length(void) { return (int)strlen(greeting); }

int main(int argc, char** argv) {
  char* copy = malloc(strlen(greeting) + 1);
  strcpy(copy, greeting);
  printf("%s: %d\n", copy, apply(argc % 3, 6, 7));
  free(copy);
  return 0;
}
