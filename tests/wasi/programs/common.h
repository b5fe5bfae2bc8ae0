/* tests/wasi: helpers shared by the WASI test programs. Each program is built twice, for wasm32-wasi with
 * clang-19 + wasi-libc and natively with the host C compiler, and the deterministic ones must print the
 * same thing both ways. errno is printed by name, not with strerror(), whose wording differs between
 * wasi-libc and glibc. */
#include <errno.h>
#include <stdio.h>

__attribute__((unused)) static const char* errname(int e) {
  switch (e) {
    case 0:
      return "OK";
    case ENOENT:
      return "ENOENT";
    case EEXIST:
      return "EEXIST";
    case ENOTDIR:
      return "ENOTDIR";
    case EISDIR:
      return "EISDIR";
    case ENOTEMPTY:
      return "ENOTEMPTY";
    case EACCES:
      return "EACCES";
    case EPERM:
      return "EPERM";
    case EBADF:
      return "EBADF";
    case EINVAL:
      return "EINVAL";
    case ELOOP:
      return "ELOOP";
    case EXDEV:
      return "EXDEV";
    case ESPIPE:
      return "ESPIPE";
#ifdef ENOTCAPABLE
    case ENOTCAPABLE:
      return "ENOTCAPABLE";
#endif
    default:
      return "E?";
  }
}

/* Prints "what: OK" when rc >= 0, else "what: ERRNAME". */
__attribute__((unused)) static int report(const char* what, int rc) {
  printf("%s: %s\n", what, rc >= 0 ? "OK" : errname(errno));
  return rc;
}
