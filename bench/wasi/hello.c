// bench/wasi: the start-up benchmark's program (WASI preview 1 module and, made a component, WASI 0.2).
#include <stdio.h>
int main(void) { printf("hello, world\n"); return 0; }
