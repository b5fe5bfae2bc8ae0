/* tests/wasi: attempts to leave the pre-opened directory, each of which must fail. Built for wasm32-wasi
 * only; it calls the preview1 functions directly (<wasi/api.h>) so that wasi-libc's own path handling
 * cannot hide what the runtime does. The test runs it with fd 3 = a "box" directory prepared by the
 * driver script:
 *   box/inside.txt ("inside"), box/sub/, box/hostabs -> <absolute path of ../outside.txt>,
 *   box/hostup -> ../outside.txt, box/sub/deep -> ../../outside.txt
 * and checks afterwards that nothing outside the box was read, created, changed or removed.
 * Prints one line per attempt: "name: errno N" (or "name: OPENED" / "name: OK" where success is right). */
#include <string.h>
#include <wasi/api.h>

#include <stdio.h>

#define BOX 3
#define ALL_RIGHTS ((__wasi_rights_t)0x1fffffff)

static void try_open(const char* what, const char* path, int follow) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(BOX, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, 0, ALL_RIGHTS,
                                      ALL_RIGHTS, 0, &fd);
  if (e) {
    printf("%s: errno %d\n", what, e);
    return;
  }
  char buf[64] = {0};
  __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf - 1};
  __wasi_size_t n = 0;
  (void)__wasi_fd_read(fd, &iov, 1, &n);
  printf("%s: OPENED '%s'\n", what, buf);
  (void)__wasi_fd_close(fd);
}

static void show(const char* what, __wasi_errno_t e) {
  if (e) printf("%s: errno %d\n", what, e);
  else printf("%s: OK\n", what);
}

int main(void) {
  __wasi_prestat_t pre;
  show("prestat fd 3", __wasi_fd_prestat_get(BOX, &pre));

  try_open("dotdot", "../outside.txt", 1);
  try_open("dotdot via sub", "sub/../../outside.txt", 1);
  try_open("absolute", "/etc/passwd", 1);
  try_open("absolute to box", "/inside.txt", 1);
  try_open("host absolute symlink", "hostabs", 1);
  try_open("host relative symlink", "hostup", 1);
  try_open("host symlink in subdir", "sub/deep", 1);
  try_open("host symlink as directory", "hostup/", 1);
  try_open("host symlink nofollow", "hostup", 0);

  show("guest symlink to outside (create)", __wasi_path_symlink("../outside.txt", BOX, "mylink"));
  try_open("guest symlink to outside (open)", "mylink", 1);
  show("guest absolute symlink (create)", __wasi_path_symlink("/etc/passwd", BOX, "abslink"));
  show("chain c1 -> c2", __wasi_path_symlink("c2", BOX, "c1"));
  show("chain c2 -> sub/c3", __wasi_path_symlink("sub/c3", BOX, "c2"));
  show("chain sub/c3 -> ../..", __wasi_path_symlink("../..", BOX, "sub/c3"));
  try_open("symlink chain to ..", "c1/outside.txt", 1);
  try_open("symlink chain as dir", "c1", 1);
  show("self loop (create)", __wasi_path_symlink("loop", BOX, "loop"));
  try_open("self loop", "loop", 1);

  show("hardlink from outside", __wasi_path_link(BOX, 0, "../outside.txt", BOX, "hl1"));
  show("hardlink through followed link", __wasi_path_link(BOX, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "hostup", BOX, "hl2"));
  show("hardlink to outside", __wasi_path_link(BOX, 0, "inside.txt", BOX, "../hl3"));
  show("rename to outside", __wasi_path_rename(BOX, "inside.txt", BOX, "../moved.txt"));
  show("rename from outside", __wasi_path_rename(BOX, "../outside.txt", BOX, "stolen.txt"));
  show("mkdir outside", __wasi_path_create_directory(BOX, "../newdir"));
  show("unlink outside", __wasi_path_unlink_file(BOX, "../outside.txt"));
  show("unlink through symlinked dir", __wasi_path_unlink_file(BOX, "c1/outside.txt"));
  show("rmdir ..", __wasi_path_remove_directory(BOX, ".."));
  __wasi_filestat_t st;
  show("stat ..", __wasi_path_filestat_get(BOX, 0, "..", &st));
  show("stat outside via symlink", __wasi_path_filestat_get(BOX, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "hostup", &st));
  show("set times outside", __wasi_path_filestat_set_times(BOX, 0, "../outside.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  uint8_t buf[64];
  __wasi_size_t used;
  show("readlink outside", __wasi_path_readlink(BOX, "../x", buf, sizeof buf, &used));
  show("bad fd", __wasi_path_create_directory(99, "x"));
  show("file as directory fd", __wasi_path_create_directory(1, "x"));

  /* What must keep working inside the box. */
  try_open("inside", "inside.txt", 1);
  try_open("inside via sub/..", "sub/../inside.txt", 1);
  show("guest symlink inside (create)", __wasi_path_symlink("inside.txt", BOX, "good"));
  try_open("guest symlink inside (open)", "good", 1);
  show("guest symlink up-and-back (create)", __wasi_path_symlink("../inside.txt", BOX, "sub/back"));
  try_open("guest symlink up-and-back (open)", "sub/back", 1);
  show("hardlink inside", __wasi_path_link(BOX, 0, "inside.txt", BOX, "hl-inside"));
  try_open("hardlink inside (open)", "hl-inside", 1);
  return 0;
}
