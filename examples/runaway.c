/* examples/runaway.c: a guest that never stops, to show fuel and time limits. */
int main(void) {
  volatile unsigned counter = 0;
  for (;;) counter++;
}
