/* tests/wasi: how a program ends. argv[1] picks the way: "return" (main returns 42), "exit" (exit(7) from
 * five calls deep: proc_exit must unwind every frame; atexit handlers run first), "zero" (returns 0),
 * "trap" (an unreachable instruction in crash_here(), which the trap backtrace must name). */
#include <stdlib.h>
#include <string.h>

#include "common.h"

static void on_exit_handler(void) { printf("atexit handler ran\n"); }

__attribute__((noinline)) static void nested(int depth) {
  if (depth < 0) return;
  if (depth == 0) {
    printf("exiting from depth 5\n");
    exit(7);
  }
  nested(depth - 1);
  printf("unreachable after exit\n");
}

__attribute__((noinline)) void crash_here(void) { __builtin_trap(); }

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "zero";
  atexit(on_exit_handler);
  if (!strcmp(mode, "return")) {
    printf("returning 42\n");
    return 42;
  }
  if (!strcmp(mode, "exit")) nested(5);
  if (!strcmp(mode, "trap")) {
    printf("about to trap\n");
    fflush(stdout);
    crash_here();
  }
  printf("returning 0\n");
  return 0;
}
