// tests/component/real: a plugin guest written in C against wasi-libc, implementing the `plugin` world of
// ../wit/plugin.wit. The canonical-ABI glue is written by hand (no bindings generator): imports are
// declared with their flattened core signatures under the interface's import module, exports carry the
// `interface#function` names wit-component expects, results that flatten to more than one value go
// through a return area, and `cabi_realloc` lets the host allocate argument and result memory.
// printf uses wasi_snapshot_preview1's fd_write, so the component needs the preview1 adapter.
// Built as a reactor (no main): ../build.sh and build.mjs turn it into a component.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOST_IMPORT(name) __attribute__((import_module("airwasm:plugin/host@0.1.0"), import_name(name)))
#define GUEST_EXPORT(name) __attribute__((export_name("airwasm:plugin/guest@0.1.0#" name)))
#define GUEST_POST_RETURN(name) __attribute__((export_name("cabi_post_airwasm:plugin/guest@0.1.0#" name)))

// ---- canonical ABI allocation -------------------------------------------------------------------------

// malloc aligns to 16, more than any canonical ABI type needs.
__attribute__((export_name("cabi_realloc"))) void* cabi_realloc(void* old, size_t old_size, size_t align,
                                                                   size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void*)align;
  void* p = realloc(old, new_size);
  if (!p) abort();
  return p;
}

// ---- imports: interface airwasm:plugin/host ---------------------------------------------------------

enum level { LEVEL_TRACE, LEVEL_DEBUG, LEVEL_INFO, LEVEL_WARN, LEVEL_ERROR };
enum { CAP_STORAGE = 1 << 0, CAP_NETWORK = 1 << 1, CAP_TIMERS = 1 << 2 };
enum { PAYLOAD_TEXT, PAYLOAD_BINARY, PAYLOAD_EMPTY };

typedef struct {
  const char* ptr;
  size_t len;
} str_t;

// option<list<u8>> and result<u32, string>: a discriminant byte, then the payload at offset 4.
typedef struct {
  uint8_t tag;
  uint8_t* ptr;
  size_t len;
} option_bytes_t;

typedef struct {
  uint8_t tag;
  union {
    uint32_t ok;
    str_t err;
  } val;
} result_u32_string_t;

HOST_IMPORT("log") void host_log(int32_t level, const char* msg, size_t msg_len);
HOST_IMPORT("now-ms") int64_t host_now_ms(void);
// send(to: string, meta: message-meta{sender: string, sequence: u64, tags: list<string>},
//      body: payload) -> result<u32, string>: ten flat parameters, the result through a return pointer.
HOST_IMPORT("send")
void host_send(const char* to, size_t to_len, const char* sender, size_t sender_len, int64_t sequence,
               const str_t* tags, size_t tags_len, int32_t body_tag, int32_t body_a, int32_t body_b,
               result_u32_string_t* ret);
HOST_IMPORT("[constructor]kv-store") int32_t host_kv_store_new(const char* name, size_t name_len);
HOST_IMPORT("[method]kv-store.get")
void host_kv_store_get(int32_t self, const char* key, size_t key_len, option_bytes_t* ret);
HOST_IMPORT("[method]kv-store.set")
void host_kv_store_set(int32_t self, const char* key, size_t key_len, const uint8_t* value, size_t value_len);
HOST_IMPORT("[resource-drop]kv-store") void host_kv_store_drop(int32_t handle);

static void log_str(enum level level, const char* msg) {
  host_log(level, msg, strlen(msg));
}

// ---- exports: interface airwasm:plugin/guest --------------------------------------------------------

// plugin-info{name: string, version: tuple<u16, u16, u16>, needs: capabilities, verbosity: level}
typedef struct {
  const char* name;
  size_t name_len;
  uint16_t version[3];
  uint8_t needs;
  uint8_t verbosity;
} plugin_info_t;
_Static_assert(sizeof(plugin_info_t) == 16, "plugin-info is 16 bytes in the canonical ABI");

static plugin_info_t g_info;
static option_bytes_t g_reply;
static int32_t g_store = -1;
static uint32_t g_sequence;

GUEST_EXPORT("describe") plugin_info_t* guest_describe(void) {
  static const char kName[] = "c-plugin";
  g_info.name = kName;
  g_info.name_len = sizeof kName - 1;
  g_info.version[0] = 0;
  g_info.version[1] = 1;
  g_info.version[2] = 0;
  g_info.needs = CAP_STORAGE | CAP_TIMERS;
  g_info.verbosity = LEVEL_INFO;
  return &g_info;
}

// Echoes the message back with a prefix, after remembering it in the host's store and forwarding it.
// An empty message gets no reply.
GUEST_EXPORT("handle-message") option_bytes_t* guest_handle_message(uint8_t* msg, size_t len) {
  printf("c-plugin: message of %zu bytes at %lld ms\n", len, (long long)host_now_ms());
  fflush(stdout);
  if (g_store < 0) {
    static const char kStore[] = "c-plugin";
    g_store = host_kv_store_new(kStore, sizeof kStore - 1);
  }
  option_bytes_t previous;
  host_kv_store_get(g_store, "last", 4, &previous);
  // Empty lists may come with a pointer realloc never returned (jco passes 1): free only real blocks.
  if (previous.tag == 1 && previous.len > 0) free(previous.ptr);
  host_kv_store_set(g_store, "last", 4, msg, len);

  str_t tags[2] = {{"echo", 4}, {"c", 1}};
  result_u32_string_t sent;
  host_send("observer", 8, "c-plugin", 8, ++g_sequence, tags, 2, PAYLOAD_BINARY, (int32_t)(uintptr_t)msg,
            (int32_t)len, &sent);
  if (sent.tag != 0) {
    log_str(LEVEL_WARN, "send failed");
    free((void*)sent.val.err.ptr);
  }

  g_reply.tag = 0;
  g_reply.ptr = NULL;
  g_reply.len = 0;
  if (len > 0) {
    static const char kPrefix[] = "echo: ";
    const size_t n = sizeof kPrefix - 1;
    g_reply.tag = 1;
    g_reply.ptr = malloc(n + len);
    if (!g_reply.ptr) abort();
    memcpy(g_reply.ptr, kPrefix, n);
    memcpy(g_reply.ptr + n, msg, len);
    g_reply.len = n + len;
  }
  if (len > 0) free(msg);  // the argument list was allocated with cabi_realloc and now belongs to the guest
  return &g_reply;
}

GUEST_POST_RETURN("handle-message") void guest_handle_message_post_return(option_bytes_t* ret) {
  if (ret->tag == 1) free(ret->ptr);
}

// outcome: result<list<u8>, string> flattens to a discriminant and the joined (pointer, length) pair.
GUEST_EXPORT("handle-callback") int32_t guest_handle_callback(uint32_t id, int32_t tag, void* ptr, size_t len) {
  if (tag == 0) {
    printf("c-plugin: callback %u succeeded with %zu bytes\n", id, len);
  } else {
    printf("c-plugin: callback %u failed: %.*s\n", id, (int)len, (const char*)ptr);
    log_str(LEVEL_ERROR, "callback failed");
  }
  fflush(stdout);
  if (len > 0) free(ptr);
  if (id == 0 && g_store >= 0) {  // callback 0 means "shut down": release the store
    host_kv_store_drop(g_store);
    g_store = -1;
  }
  return tag == 0;
}
