/* examples/hello.c: a WASI command for the demo. Prints its arguments and an environment variable,
 * reads and writes files in its pre-opened directory, and shows that the sandbox refuses an escape. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  printf("hello from WebAssembly!\n  args:");
  for (int i = 1; i < argc; i++) printf(" %s", argv[i]);
  const char* greeting = getenv("GREETING");
  printf("\n  GREETING=%s\n", greeting ? greeting : "(unset)");

  FILE* in = fopen("/data/message.txt", "r");
  if (in) {
    char line[256];
    while (fgets(line, sizeof line, in)) printf("  read from /data/message.txt: %s", line);
    fclose(in);
  }
  FILE* out = fopen("/data/written-by-guest.txt", "w");
  if (out) {
    fprintf(out, "written by the guest through WASI\n");
    fclose(out);
    printf("  wrote /data/written-by-guest.txt\n");
  }
  FILE* escape = fopen("/data/../../etc/passwd", "r");
  printf("  escape attempt /data/../../etc/passwd: %s\n", escape ? "OPENED (sandbox broken!)" : "denied");
  return escape ? 1 : 0;
}
