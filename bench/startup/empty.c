/* empty: the smallest WASI command, for measuring a runtime's fixed cost (process start, module load,
 * instantiation, WASI setup, _start). Built like the benchmark programs. */
int main(void) {
  return 0;
}
