// airwasm plugin host: the key-value storage behind the airssys `storage` interface.
//
// `KeyValueStore` is abstract so that another backend can replace the embedded default, SQLite
// (`open_sqlite_store`, library airwasm_host_storage). Every operation names the namespace it works in;
// the engine passes the calling component's namespace (by default `ComponentId::to_string()`), so a
// component can only reach another namespace if the engine (its capability grant) lets it.
//
// Invariants of every implementation:
// - Thread-safe: any operation may be called from any thread at any time.
// - Every successful write (set, remove) is atomic and durable when it returns: after a crash or a
//   restart the store holds either the old or the new value, never a mix, and never loses a write that
//   returned ok (for a file database; ":memory:" is gone with the process).
// - Keys are validated (`validate_storage_key`): invalid ones give invalid-key and touch nothing.
// - A namespace's usage is the sum of its keys' and values' byte lengths; a write that would take it
//   above the namespace's quota gives quota-exceeded and changes nothing.
// - No exception leaves the API; SQLite failures become io-error("...").
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "airwasm/error.hh"
#include "airwasm/host/types.hh"

namespace airwasm::host {

using StorageValue = std::vector<uint8_t>;  // type storage-value = list<u8>

// record storage-usage
struct StorageUsage {
  uint64_t used_bytes = 0;   // sum over the namespace's entries of key bytes + value bytes
  uint64_t quota_bytes = 0;  // the namespace's quota
  uint64_t key_count = 0;
  friend bool operator==(const StorageUsage&, const StorageUsage&) = default;
};

struct StorageOptions {
  // Quota of a namespace that has none set with set_quota().
  uint64_t default_quota_bytes = 10ull << 20;  // 10 MiB
  // Longest key accepted, in UTF-8 bytes.
  size_t max_key_bytes = 1024;
  // How long a write waits for another process holding the database file's write lock (SQLite
  // busy_timeout), in milliseconds. Within one process the store serializes its own writes; reads use a
  // connection of their own and never wait for a write (file databases).
  uint32_t busy_timeout_ms = 5000;
};

// Why a key is invalid, or nothing when it is valid: a key is 1..max_key_bytes bytes of valid UTF-8 with
// no control characters (U+0000..U+001F, U+007F). The text is what invalid-key(...) carries.
std::optional<std::string> validate_storage_key(std::string_view key, size_t max_key_bytes);

class KeyValueStore {
 public:
  virtual ~KeyValueStore() = default;

  // The value stored under `key`, or nothing when there is none.
  virtual std::expected<std::optional<StorageValue>, StorageError> get(std::string_view ns,
                                                                       std::string_view key) = 0;
  // Inserts or replaces. quota-exceeded when the namespace's usage after the write would exceed its quota.
  virtual std::expected<void, StorageError> set(std::string_view ns, std::string_view key,
                                                std::span<const uint8_t> value) = 0;
  // Deletes `key`; not-found(key) when there is no such key (the WIT `delete`).
  virtual std::expected<void, StorageError> remove(std::string_view ns, std::string_view key) = 0;
  virtual std::expected<bool, StorageError> exists(std::string_view ns, std::string_view key) = 0;
  // The namespace's keys starting with `prefix` (all keys without one), sorted by their UTF-8 bytes.
  // A prefix is any valid UTF-8 (it need not be a valid key; "" lists everything).
  virtual std::expected<std::vector<std::string>, StorageError> list_keys(
      std::string_view ns, std::optional<std::string_view> prefix) = 0;
  virtual std::expected<StorageUsage, StorageError> usage(std::string_view ns) = 0;

  // Sets the quota of one namespace (held in memory: the engine sets it at each load). Lowering it below
  // the current usage keeps the data; further writes that grow the namespace fail until it shrinks.
  virtual void set_quota(std::string_view ns, uint64_t quota_bytes) = 0;
  virtual uint64_t quota(std::string_view ns) const = 0;
};

// Opens (creating if needed) an SQLite database file, or a private in-memory one for ":memory:".
// Fails with an ErrorKind::kIo error when the file cannot be opened or is not an airwasm store.
std::expected<std::unique_ptr<KeyValueStore>, Error> open_sqlite_store(const std::string& path,
                                                                       const StorageOptions& options = {});

}  // namespace airwasm::host
