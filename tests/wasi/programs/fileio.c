/* tests/wasi: file I/O in the current directory (a pre-opened "." under airwasm): create, write, read,
 * seek, pread/pwrite, stat, truncate, readdir, rename, symlink/readlink, hard links, utimensat, unlink,
 * mkdir/rmdir, and the errors of the common misuses. Output is deterministic (directory listings are
 * sorted) and compared with the natively built program. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static int cmp(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static void list(const char* path) {
  DIR* d = opendir(path);
  if (!d) {
    printf("list %s: %s\n", path, errname(errno));
    return;
  }
  char* names[64];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) && n < 64) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char buf[300];
    snprintf(buf, sizeof buf, "%s%s", e->d_name, e->d_type == DT_DIR ? "/" : e->d_type == DT_LNK ? "@" : "");
    names[n++] = strdup(buf);
  }
  closedir(d);
  qsort(names, n, sizeof names[0], cmp);
  printf("list %s:", path);
  for (int i = 0; i < n; ++i) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

int main(void) {
  report("mkdir work", mkdir("work", 0755));
  int fd = report("open work/a.txt", open("work/a.txt", O_CREAT | O_RDWR | O_TRUNC, 0644));
  printf("write: %d\n", (int)write(fd, "hello, world\n", 13));
  printf("lseek set 7: %d\n", (int)lseek(fd, 7, SEEK_SET));
  char buf[64] = {0};
  printf("read 5: %d '%s'\n", (int)read(fd, buf, 5), buf);
  printf("lseek cur: %d\n", (int)lseek(fd, 0, SEEK_CUR));
  printf("pwrite: %d\n", (int)pwrite(fd, "HELLO", 5, 0));
  memset(buf, 0, sizeof buf);
  printf("pread: %d '%.12s'\n", (int)pread(fd, buf, 12, 0), buf);
  printf("lseek end: %d\n", (int)lseek(fd, 0, SEEK_END));
  struct stat st;
  report("fstat", fstat(fd, &st));
  printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode) ? 1 : 0);
  report("ftruncate 5", ftruncate(fd, 5));
  fstat(fd, &st);
  printf("size after truncate %lld\n", (long long)st.st_size);
  report("close", close(fd));
  report("close again", close(fd));

  FILE* f = fopen("work/b.txt", "w");
  for (int i = 1; i <= 100; ++i) fprintf(f, "line %d\n", i);
  fclose(f);
  f = fopen("work/b.txt", "r");
  int lines = 0, sum = 0, v;
  while (fscanf(f, "line %d\n", &v) == 1) {
    ++lines;
    sum += v;
  }
  fclose(f);
  printf("lines %d sum %d\n", lines, sum);
  f = fopen("work/b.txt", "a");
  fputs("appended\n", f);
  fclose(f);
  report("stat b.txt", stat("work/b.txt", &st));
  printf("b.txt size %lld\n", (long long)st.st_size);

  report("mkdir work/sub", mkdir("work/sub", 0755));
  report("mkdir work/sub again", mkdir("work/sub", 0755));
  close(report("create work/sub/c.txt", open("work/sub/c.txt", O_CREAT | O_WRONLY, 0644)));
  list("work");
  report("rename a.txt", rename("work/a.txt", "work/sub/renamed.txt"));
  report("access old name", access("work/a.txt", F_OK));
  report("symlink", symlink("renamed.txt", "work/sub/link"));
  memset(buf, 0, sizeof buf);
  printf("readlink: %d '%s'\n", (int)readlink("work/sub/link", buf, sizeof buf - 1), buf);
  report("stat via link", stat("work/sub/link", &st));
  printf("via link size %lld\n", (long long)st.st_size);
  report("lstat link", lstat("work/sub/link", &st));
  printf("lstat is link %d\n", S_ISLNK(st.st_mode) ? 1 : 0);
  fd = report("open via link", open("work/sub/link", O_RDONLY));
  memset(buf, 0, sizeof buf);
  printf("read via link: '%s'\n", read(fd, buf, sizeof buf - 1) > 0 ? buf : "");
  close(fd);
  report("open link O_NOFOLLOW", open("work/sub/link", O_RDONLY | O_NOFOLLOW));
  report("hard link", link("work/b.txt", "work/b2.txt"));
  stat("work/b.txt", &st);
  printf("nlink %d\n", (int)st.st_nlink);
  struct timespec times[2] = {{1000000000, 0}, {1234567890, 500}};
  report("utimensat", utimensat(AT_FDCWD, "work/b.txt", times, 0));
  stat("work/b2.txt", &st);
  printf("mtime %lld.%09ld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  list("work");
  list("work/sub");
  report("rmdir non-empty", rmdir("work/sub"));
  report("rmdir a file", rmdir("work/b.txt"));
  report("unlink a directory", unlink("work/sub"));
  report("open missing", open("work/missing.txt", O_RDONLY));
  report("open missing dir", open("work/nodir/x", O_RDONLY));
  report("opendir a file", opendir("work/b.txt") ? 0 : -1);
  report("create exclusive existing", open("work/b.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
  report("write to directory", open("work/sub", O_WRONLY));
  report("unlink link", unlink("work/sub/link"));
  report("unlink renamed", unlink("work/sub/renamed.txt"));
  report("unlink c", unlink("work/sub/c.txt"));
  report("rmdir sub", rmdir("work/sub"));
  report("unlink b", unlink("work/b.txt"));
  report("unlink b2", unlink("work/b2.txt"));
  report("rmdir work", rmdir("work"));
  list(".");
  return 0;
}
