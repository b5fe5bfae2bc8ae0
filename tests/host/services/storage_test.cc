// The SQLite key-value store (include/airwasm/host/storage.hh): the storage interface's operations, quotas,
// key validation, persistence across close/reopen of a file database (checked also with the sqlite3
// library directly, an independent reader of the file), atomicity and use from many threads.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "airwasm/host/storage.hh"

namespace airwasm::host {
namespace {

StorageValue bytes(std::string_view text) {
  return StorageValue(text.begin(), text.end());
}

// A get() result as text: the value, "<none>" when absent, "<error ...>" on failure.
std::string text_of(const std::expected<std::optional<StorageValue>, StorageError>& result) {
  if (!result) return "<error " + result.error().to_string() + ">";
  if (!result->has_value()) return "<none>";
  return std::string((*result)->begin(), (*result)->end());
}

std::unique_ptr<KeyValueStore> open_memory(StorageOptions options = {}) {
  auto store = open_sqlite_store(":memory:", options);
  EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().to_string());
  return store ? std::move(*store) : nullptr;
}

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "airwasm-storage-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(std::string_view name) const { return (std::filesystem::path(path_) / name).string(); }

 private:
  std::string path_;
};

TEST(SqliteStore, SetGetExistsRemove) {
  auto store = open_memory();
  ASSERT_TRUE(store);
  EXPECT_EQ(text_of(store->get("a/b/c", "k")), "<none>");
  EXPECT_EQ(store->exists("a/b/c", "k"), false);
  ASSERT_TRUE(store->set("a/b/c", "k", bytes("value")));
  EXPECT_EQ(text_of(store->get("a/b/c", "k")), "value");
  EXPECT_EQ(store->exists("a/b/c", "k"), true);
  ASSERT_TRUE(store->set("a/b/c", "k", bytes("other")));  // replaces
  EXPECT_EQ(text_of(store->get("a/b/c", "k")), "other");
  ASSERT_TRUE(store->remove("a/b/c", "k"));
  EXPECT_EQ(store->exists("a/b/c", "k"), false);
  EXPECT_EQ(text_of(store->get("a/b/c", "k")), "<none>");
  auto again = store->remove("a/b/c", "k");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().to_string(), "not-found(\"k\")");
}

TEST(SqliteStore, EmptyAndBinaryValuesRoundTrip) {
  auto store = open_memory();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->set("ns", "empty", {}));
  EXPECT_EQ(text_of(store->get("ns", "empty")), "");
  StorageValue all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(uint8_t(i));
  ASSERT_TRUE(store->set("ns", "binary", all_bytes));
  EXPECT_EQ(store->get("ns", "binary").value(), std::optional<StorageValue>(all_bytes));
}

TEST(SqliteStore, NamespacesAreSeparate) {
  auto store = open_memory();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->set("one", "k", bytes("1")));
  ASSERT_TRUE(store->set("two", "k", bytes("2")));
  EXPECT_EQ(text_of(store->get("one", "k")), "1");
  EXPECT_EQ(text_of(store->get("two", "k")), "2");
  ASSERT_TRUE(store->remove("one", "k"));
  EXPECT_EQ(store->exists("two", "k"), true);
  EXPECT_EQ(store->list_keys("one", std::nullopt), std::vector<std::string>{});
  EXPECT_EQ(store->usage("two")->key_count, 1u);
}

TEST(SqliteStore, ListKeysWithAndWithoutPrefix) {
  auto store = open_memory();
  ASSERT_TRUE(store);
  for (const char* key : {"user:2", "user:1", "user", "users", "config", "usez", "\xc3\xa9t\xc3\xa9"}) {
    ASSERT_TRUE(store->set("ns", key, bytes("x")));
  }
  ASSERT_TRUE(store->set("other", "user:9", bytes("x")));
  using Keys = std::vector<std::string>;
  EXPECT_EQ(store->list_keys("ns", std::nullopt),
            (Keys{"config", "user", "user:1", "user:2", "users", "usez", "\xc3\xa9t\xc3\xa9"}));
  EXPECT_EQ(store->list_keys("ns", "user"), (Keys{"user", "user:1", "user:2", "users"}));
  EXPECT_EQ(store->list_keys("ns", "user:"), (Keys{"user:1", "user:2"}));
  EXPECT_EQ(store->list_keys("ns", ""), store->list_keys("ns", std::nullopt));
  EXPECT_EQ(store->list_keys("ns", "zzz"), Keys{});
  EXPECT_EQ(store->list_keys("ns", "\xc3\xa9"), Keys{"\xc3\xa9t\xc3\xa9"});
  // A prefix is a byte prefix, not a LIKE or GLOB pattern.
  EXPECT_EQ(store->list_keys("ns", "us%"), Keys{});
  EXPECT_EQ(store->list_keys("ns", "us*"), Keys{});
  auto bad = store->list_keys("ns", "\xff");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, StorageError::Case::kInvalidKey);
}

TEST(SqliteStore, UsageCountsKeyAndValueBytes) {
  auto store = open_memory(StorageOptions{.default_quota_bytes = 1000});
  ASSERT_TRUE(store);
  EXPECT_EQ(store->usage("ns"), (StorageUsage{0, 1000, 0}));
  ASSERT_TRUE(store->set("ns", "abc", bytes("12345")));  // 3 + 5
  ASSERT_TRUE(store->set("ns", "d", bytes("")));         // 1 + 0
  EXPECT_EQ(store->usage("ns"), (StorageUsage{9, 1000, 2}));
  ASSERT_TRUE(store->set("ns", "abc", bytes("1")));  // 3 + 1 replaces 3 + 5
  EXPECT_EQ(store->usage("ns"), (StorageUsage{5, 1000, 2}));
  ASSERT_TRUE(store->remove("ns", "d"));
  EXPECT_EQ(store->usage("ns"), (StorageUsage{4, 1000, 1}));
  store->set_quota("ns", 50);
  EXPECT_EQ(store->usage("ns"), (StorageUsage{4, 50, 1}));
  EXPECT_EQ(store->usage("elsewhere"), (StorageUsage{0, 1000, 0}));
}

TEST(SqliteStore, QuotaExceededChangesNothing) {
  auto store = open_memory(StorageOptions{.default_quota_bytes = 10});
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->set("ns", "k", bytes("123456789")));  // exactly 10: allowed
  auto over = store->set("ns", "j", bytes(""));            // 11
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().to_string(), "quota-exceeded");
  EXPECT_EQ(store->exists("ns", "j"), false);
  auto grow = store->set("ns", "k", bytes("1234567890"));
  ASSERT_FALSE(grow);
  EXPECT_EQ(grow.error().kind, StorageError::Case::kQuotaExceeded);
  EXPECT_EQ(text_of(store->get("ns", "k")), "123456789");
  EXPECT_EQ(store->usage("ns"), (StorageUsage{10, 10, 1}));
  // Quotas are per namespace.
  ASSERT_TRUE(store->set("other", "k", bytes("123456789")));
  store->set_quota("big", 1 << 20);
  ASSERT_TRUE(store->set("big", "k", StorageValue(1000, 7)));
  // A lowered quota keeps the data; writes that shrink the namespace still work, growing ones do not.
  store->set_quota("big", 10);
  EXPECT_EQ(store->usage("big")->used_bytes, 1001u);
  ASSERT_TRUE(store->set("big", "k", StorageValue(500, 7)));
  EXPECT_FALSE(store->set("big", "k2", bytes("x")));
  ASSERT_TRUE(store->remove("big", "k"));
  ASSERT_TRUE(store->set("big", "k2", bytes("x")));
}

TEST(SqliteStore, InvalidKeysAreRefused) {
  auto store = open_memory(StorageOptions{.max_key_bytes = 8});
  ASSERT_TRUE(store);
  for (std::string_view key : {std::string_view(""), std::string_view("123456789"), std::string_view("\xff"),
                               std::string_view("\xc3"), std::string_view("a\nb"),
                               std::string_view("a\0b", 3), std::string_view("\x7f")}) {
    SCOPED_TRACE(std::string(key));
    auto set = store->set("ns", key, bytes("v"));
    ASSERT_FALSE(set);
    EXPECT_EQ(set.error().kind, StorageError::Case::kInvalidKey);
    EXPECT_FALSE(store->get("ns", key));
    EXPECT_FALSE(store->exists("ns", key));
    EXPECT_FALSE(store->remove("ns", key));
  }
  EXPECT_EQ(store->usage("ns")->key_count, 0u);
  EXPECT_TRUE(store->set("ns", "12345678", bytes("v")));  // exactly max_key_bytes
  EXPECT_TRUE(store->set("ns", "\xe2\x82\xac!", bytes("v")));
  EXPECT_EQ(validate_storage_key("", 8), "key is empty");
  EXPECT_EQ(validate_storage_key("a\tb", 8), "key contains a control character");
  EXPECT_EQ(validate_storage_key("ok key", 8), std::nullopt);
}

TEST(SqliteStore, FileDatabasePersistsAcrossReopen) {
  TempDir dir;
  std::string path = dir.file("store.db");
  {
    auto store = open_sqlite_store(path);
    ASSERT_TRUE(store) << store.error().to_string();
    ASSERT_TRUE((*store)->set("demo/store/1", "count", bytes("41")));
    ASSERT_TRUE((*store)->set("demo/store/1", "gone", bytes("x")));
    ASSERT_TRUE((*store)->remove("demo/store/1", "gone"));
    ASSERT_TRUE((*store)->set("demo/other/1", "k", bytes("v")));
  }
  {
    auto store = open_sqlite_store(path);
    ASSERT_TRUE(store) << store.error().to_string();
    EXPECT_EQ(text_of((*store)->get("demo/store/1", "count")), "41");
    EXPECT_EQ((*store)->exists("demo/store/1", "gone"), false);
    EXPECT_EQ((*store)->usage("demo/store/1")->used_bytes, 7u);
    EXPECT_EQ((*store)->usage("demo/store/1")->key_count, 1u);
    ASSERT_TRUE((*store)->set("demo/store/1", "count", bytes("42")));
  }
  // An independent reader: the sqlite3 library on the file, in WAL mode, sees the committed value.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(db, "SELECT value FROM airwasm_kv WHERE namespace='demo/store/1' AND key='count'",
                         -1, &stmt, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(
      std::string(static_cast<const char*>(sqlite3_column_blob(stmt, 0)), sqlite3_column_bytes(stmt, 0)),
      "42");
  sqlite3_finalize(stmt);
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST(SqliteStore, EveryWriteIsCommittedWhenItReturns) {
  // A second connection (another process would see the same) reads each write right after it returned:
  // nothing is held in an open transaction or a cache.
  TempDir dir;
  std::string path = dir.file("store.db");
  auto store = open_sqlite_store(path);
  ASSERT_TRUE(store) << store.error().to_string();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  auto count_rows = [&] {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM airwasm_kv", -1, &stmt, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    int64_t count = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return count;
  };
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE((*store)->set("ns", "k" + std::to_string(i), bytes("v")));
    EXPECT_EQ(count_rows(), i + 1);
  }
  ASSERT_TRUE((*store)->remove("ns", "k0"));
  EXPECT_EQ(count_rows(), 4);
  sqlite3_close(db);
}

TEST(SqliteStore, WritesSurviveAProcessThatDiesWithoutClosing) {
  // A child process writes and then dies at once (_exit: no destructor, no close, no checkpoint), as an
  // engine killed right after the guest's set() returned; the next process sees every acknowledged write.
  TempDir dir;
  std::string path = dir.file("store.db");
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = open_sqlite_store(path);
    if (!store) _exit(2);
    for (int i = 0; i < 20; ++i) {
      if (!(*store)->set("ns", "k" + std::to_string(i), bytes("v" + std::to_string(i)))) _exit(3);
    }
    if (!(*store)->remove("ns", "k0")) _exit(4);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto store = open_sqlite_store(path);
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_EQ(text_of((*store)->get("ns", "k0")), "<none>");
  EXPECT_EQ(text_of((*store)->get("ns", "k19")), "v19");
  EXPECT_EQ((*store)->usage("ns")->key_count, 19u);
}

TEST(SqliteStore, FailedWriteLeavesNoTrace) {
  // Atomicity: a write refused half-way (quota check inside the transaction) leaves data and usage as they
  // were, also in the file as another connection sees it.
  TempDir dir;
  std::string path = dir.file("store.db");
  {
    auto store = open_sqlite_store(path, StorageOptions{.default_quota_bytes = 20});
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->set("ns", "a", bytes("0123456789")));
    ASSERT_FALSE((*store)->set("ns", "a", bytes("01234567890123456789")));
    ASSERT_FALSE((*store)->set("ns", "b", bytes("0123456789")));
    ASSERT_FALSE((*store)->remove("ns", "missing"));
  }
  auto store = open_sqlite_store(path, StorageOptions{.default_quota_bytes = 20});
  ASSERT_TRUE(store);
  EXPECT_EQ(text_of((*store)->get("ns", "a")), "0123456789");
  EXPECT_EQ((*store)->usage("ns"), (StorageUsage{11, 20, 1}));
  EXPECT_EQ((*store)->list_keys("ns", std::nullopt), std::vector<std::string>{"a"});
}

TEST(SqliteStore, RefusesFilesThatAreNotAirwasmStores) {
  TempDir dir;
  std::string garbage = dir.file("garbage.db");
  std::ofstream(garbage) << std::string(4096, 'x');
  auto not_db = open_sqlite_store(garbage);
  ASSERT_FALSE(not_db);
  EXPECT_EQ(not_db.error().kind, ErrorKind::kIo);
  EXPECT_NE(not_db.error().message.find("not a database"), std::string::npos) << not_db.error().message;

  std::string foreign = dir.file("foreign.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(foreign.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto other_app = open_sqlite_store(foreign);
  ASSERT_FALSE(other_app);
  EXPECT_NE(other_app.error().message.find("another application"), std::string::npos);

  auto missing_dir = open_sqlite_store(dir.file("no/such/dir/store.db"));
  ASSERT_FALSE(missing_dir);
  EXPECT_EQ(missing_dir.error().kind, ErrorKind::kIo);
}

TEST(SqliteStore, ReadsDoNotWaitForABlockedWrite) {
  // Another process (here: another connection) holds the write lock, so a set() waits in SQLite's busy
  // handler. Reads of other components must still be answered meanwhile (WAL readers, own connection).
  TempDir dir;
  std::string path = dir.file("store.db");
  auto store = open_sqlite_store(path, StorageOptions{.busy_timeout_ms = 20000});
  ASSERT_TRUE(store);
  KeyValueStore& kv = **store;
  ASSERT_TRUE(kv.set("reader/ns/1", "k", bytes("v")));
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::atomic<bool> write_done{false};
  std::expected<void, StorageError> write_result;
  std::thread writer([&] {
    write_result = kv.set("writer/ns/1", "k", bytes("v"));
    write_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the writer reach the busy wait
  EXPECT_EQ(text_of(kv.get("reader/ns/1", "k")), "v");
  EXPECT_EQ(kv.exists("reader/ns/1", "k"), true);
  EXPECT_EQ(kv.list_keys("reader/ns/1", std::nullopt), std::vector<std::string>{"k"});
  EXPECT_EQ(kv.usage("reader/ns/1")->key_count, 1u);
  EXPECT_FALSE(write_done.load());  // the reads above did not wait for it
  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  writer.join();
  EXPECT_TRUE(write_result) << write_result.error().to_string();
  EXPECT_EQ(text_of(kv.get("writer/ns/1", "k")), "v");
  sqlite3_close(other);
}

TEST(SqliteStore, ConcurrentUseFromThreads) {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("store.db"));
  ASSERT_TRUE(store);
  KeyValueStore& kv = **store;
  constexpr int kThreads = 4, kKeys = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string ns = "ns" + std::to_string(t % 2);  // two threads per namespace
      for (int i = 0; i < kKeys; ++i) {
        std::string key = "t" + std::to_string(t) + "-" + std::to_string(i);
        if (!kv.set(ns, key, bytes("value"))) ++failures;
        if (!kv.set(ns, "shared", bytes(key))) ++failures;  // every thread overwrites one key too
        auto read = kv.get(ns, key);
        if (!read || *read != std::optional<StorageValue>(bytes("value"))) ++failures;
        if (i % 5 == 0 && !kv.remove(ns, key)) ++failures;
        if (!kv.list_keys(ns, "t")) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  // Per namespace: 2 threads x (50 keys - 10 removed) + "shared"; usage matches the entries exactly.
  for (std::string ns : {"ns0", "ns1"}) {
    auto keys = kv.list_keys(ns, std::nullopt);
    ASSERT_TRUE(keys);
    EXPECT_EQ(keys->size(), 2u * (kKeys - kKeys / 5) + 1);
    uint64_t expected_bytes = 0;
    for (const std::string& key : *keys) expected_bytes += key.size() + (*kv.get(ns, key))->size();
    EXPECT_EQ(kv.usage(ns),
              (StorageUsage{expected_bytes, StorageOptions{}.default_quota_bytes, keys->size()}));
  }
}

}  // namespace
}  // namespace airwasm::host
