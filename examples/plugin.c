/* examples/plugin.c: a library-style guest (no WASI, no main) for the embedding demo.
 * `work(n)` does a bounded amount of integer work; `spin()` never returns. */
#include <stdint.h>

__attribute__((export_name("work"))) uint32_t work(uint32_t n) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n * 1000u; i++) h = (h ^ i) * 16777619u;
  return h;
}

__attribute__((export_name("spin"))) void spin(void) {
  volatile uint32_t x = 0;
  for (;;) x++;
}
