/* tests/wasi: guest pointers outside linear memory. Every call passes a buffer, string or result pointer
 * past the end of memory (or wrapping around 4 GiB) and must get EFAULT (21) back, with the runtime
 * neither crashing nor touching host memory. wasm32-wasi only (raw <wasi/api.h> calls). Also checks the
 * errors for bad arguments that are not pointers (bad fd, bad whence, bad clock id, seek on a pipe). */
#include <stdint.h>
#include <stdio.h>
#include <wasi/api.h>

#define FAR ((void*)0xfffffff0u)

/* The raw import, so that a path (pointer, length) pair can point anywhere: wasi-libc's wrapper would
 * run strlen() on it first. */
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags, int64_t base,
                      int64_t inheriting, int32_t fdflags, int32_t result)
    __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__("path_open")));

static void show(const char* what, __wasi_errno_t e) { printf("%s: errno %d\n", what, e); }

int main(void) {
  __wasi_size_t n;
  __wasi_ciovec_t far_buf = {(const uint8_t*)FAR, 64};
  show("fd_write iovec buffer out of bounds", __wasi_fd_write(1, &far_buf, 1, &n));
  show("fd_write iovec array out of bounds", __wasi_fd_write(1, (const __wasi_ciovec_t*)FAR, 4, &n));
  __wasi_ciovec_t ok = {(const uint8_t*)"x", 1};
  show("fd_write result out of bounds", __wasi_fd_write(1, &ok, 1, (__wasi_size_t*)FAR));
  __wasi_iovec_t far_in = {(uint8_t*)FAR, 64};
  show("fd_read into out of bounds", __wasi_fd_read(0, &far_in, 1, &n));
  show("args_sizes_get out of bounds", __wasi_args_sizes_get((__wasi_size_t*)FAR, &n));
  show("args_get out of bounds", __wasi_args_get((uint8_t**)FAR, (uint8_t*)FAR));
  show("environ_get out of bounds", __wasi_environ_get((uint8_t**)FAR, (uint8_t*)FAR));
  show("clock_time_get out of bounds", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, (__wasi_timestamp_t*)FAR));
  show("random_get out of bounds", __wasi_random_get((uint8_t*)FAR, 64));
  show("random_get wrapping length", __wasi_random_get((uint8_t*)16, 0xffffffffu));
  show("fd_fdstat_get out of bounds", __wasi_fd_fdstat_get(1, (__wasi_fdstat_t*)FAR));
  show("fd_filestat_get out of bounds", __wasi_fd_filestat_get(3, (__wasi_filestat_t*)FAR));
  show("fd_prestat_get out of bounds", __wasi_fd_prestat_get(3, (__wasi_prestat_t*)FAR));
  show("fd_prestat_dir_name out of bounds", __wasi_fd_prestat_dir_name(3, (uint8_t*)FAR, 64));
  show("path_open path out of bounds", __wasi_path_open(3, 0, (const char*)"x", 0, 0, 0, 0, (__wasi_fd_t*)FAR));
  show("fd_readdir buffer out of bounds", __wasi_fd_readdir(3, (uint8_t*)FAR, 64, 0, &n));
  __wasi_event_t ev;
  show("poll_oneoff subscriptions out of bounds", __wasi_poll_oneoff((const __wasi_subscription_t*)FAR, &ev, 1, &n));
  show("poll_oneoff no subscriptions", __wasi_poll_oneoff((const __wasi_subscription_t*)&ev, &ev, 0, &n));
  /* The test pipes stdin in. */
  show("fd_seek bad whence", __wasi_fd_seek(0, 0, 7, (__wasi_filesize_t*)&ev));
  show("fd_seek on a pipe", __wasi_fd_seek(0, 0, __WASI_WHENCE_SET, (__wasi_filesize_t*)&ev));
  show("fd_write to a directory", __wasi_fd_write(3, &ok, 1, &n));
  __wasi_timestamp_t t;
  show("clock_time_get bad clock", __wasi_clock_time_get(99, 1, &t));
  show("fd_close bad fd", __wasi_fd_close(1234));
  show("fd_renumber to a closed fd", __wasi_fd_renumber(3, 1234));
  show("path_open path wraps", (__wasi_errno_t)raw_path_open(3, 0, (int32_t)0xffffff00u, 0x1000, 0, 0, 0, 0,
                                                             (int32_t)(uintptr_t)&n));
  show("path_open path past the end", (__wasi_errno_t)raw_path_open(3, 0, 0x7fffffff, 16, 0, 0, 0, 0,
                                                                    (int32_t)(uintptr_t)&n));
  show("sock_shutdown", __wasi_sock_shutdown(1, __WASI_SDFLAGS_WR));
  return 0;
}
