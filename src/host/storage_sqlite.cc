// The SQLite backend of the host's key-value storage (include/airwasm/host/storage.hh).
//
// Two connections per file store, each guarded by its mutex: one for writes (SQLite serializes writers
// anyway) and one for reads, so that a read never waits behind a write's fsync or behind another process
// holding the write lock (WAL lets readers proceed during a write). ":memory:" has one connection: a
// second one would open a different, empty database. Schema
// (version 1, PRAGMA user_version; the file is marked with PRAGMA application_id so that another
// application's database is refused rather than modified):
//   airwasm_kv(namespace TEXT, key TEXT, value BLOB, PRIMARY KEY(namespace, key)) WITHOUT ROWID
//   airwasm_kv_usage(namespace TEXT PRIMARY KEY, used_bytes INTEGER, key_count INTEGER) WITHOUT ROWID
// The usage row is updated in the same transaction as the entry it accounts for, so usage and quota
// checks cost one primary-key lookup instead of a scan, and can never disagree with the data.
// Durability: WAL journal with synchronous=FULL, each write one BEGIN IMMEDIATE ... COMMIT transaction:
// a write that returned ok is on disk (fsync of the WAL) and a crash leaves the old or the new state.
#include <sqlite3.h>

#include <map>
#include <mutex>

#include "airwasm/host/storage.hh"
#include "base/utf8.hh"

namespace airwasm::host {
namespace {

constexpr int kSchemaVersion = 1;
constexpr int32_t kApplicationId = 0x61777376;  // "awsv": this file is an airwasm key-value store

StorageError io_error(sqlite3* db, std::string_view what) {
  return StorageError{StorageError::Case::kIoError,
                      "sqlite: " + std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory")};
}

// A prepared statement, reset and cleared when the scope that used it ends (so it never holds a read
// transaction open between operations).
class Statement {
 public:
  Statement() = default;
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepare(sqlite3* db, const char* sql) {
    return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) == SQLITE_OK;
  }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

class Use {
 public:
  explicit Use(const Statement& statement) : stmt_(statement.get()) {}
  ~Use() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;

  void text(int index, std::string_view value) {
    sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
  }
  void blob(int index, std::span<const uint8_t> value) {
    // A zero-length blob needs a non-null pointer to be a blob rather than NULL.
    static const uint8_t kEmpty = 0;
    sqlite3_bind_blob64(stmt_, index, value.empty() ? &kEmpty : value.data(), value.size(), SQLITE_STATIC);
  }
  void integer(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  int step() { return sqlite3_step(stmt_); }
  int64_t column_int(int index) { return sqlite3_column_int64(stmt_, index); }
  std::string_view column_text(int index) {
    auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
    return text ? std::string_view(text, size_t(sqlite3_column_bytes(stmt_, index))) : std::string_view();
  }
  StorageValue column_blob(int index) {
    auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, index));
    size_t size = size_t(sqlite3_column_bytes(stmt_, index));
    return data ? StorageValue(data, data + size) : StorageValue();
  }

 private:
  sqlite3_stmt* stmt_;
};

// One SQLite connection and its prepared statements; used only with `mutex` held.
struct Connection {
  explicit Connection(sqlite3* handle) : db(handle) {}
  // close_v2: the connection really closes once the statements (members, finalized after this body)
  // are gone.
  ~Connection() { sqlite3_close_v2(db); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool prepare_statements();

  sqlite3* db;
  std::mutex mutex;
  Statement get, exists, put, remove, usage_get, usage_put, usage_remove, list, begin, commit, rollback;
};

// Opens `path` read-write (creating it), with this store's connection settings.
std::expected<std::unique_ptr<Connection>, Error> open_connection(const std::string& path,
                                                                  const StorageOptions& options) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message =
        "cannot open storage " + path + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    return make_error(ErrorKind::kIo, std::move(message));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, int(options.busy_timeout_ms));
  return std::make_unique<Connection>(db);
}

class SqliteStore final : public KeyValueStore {
 public:
  SqliteStore(std::unique_ptr<Connection> writer, StorageOptions options)
      : writer_(std::move(writer)), options_(options) {}

  // Creates or checks the schema and prepares the statements, on the writer connection.
  std::expected<void, Error> initialize();
  // A second connection for reads (file databases only).
  void set_reader(std::unique_ptr<Connection> reader) { reader_ = std::move(reader); }

  std::expected<std::optional<StorageValue>, StorageError> get(std::string_view ns,
                                                               std::string_view key) override;
  std::expected<void, StorageError> set(std::string_view ns, std::string_view key,
                                        std::span<const uint8_t> value) override;
  std::expected<void, StorageError> remove(std::string_view ns, std::string_view key) override;
  std::expected<bool, StorageError> exists(std::string_view ns, std::string_view key) override;
  std::expected<std::vector<std::string>, StorageError> list_keys(
      std::string_view ns, std::optional<std::string_view> prefix) override;
  std::expected<StorageUsage, StorageError> usage(std::string_view ns) override;
  void set_quota(std::string_view ns, uint64_t quota_bytes) override;
  uint64_t quota(std::string_view ns) const override;

 private:
  std::optional<StorageError> check(std::string_view ns, std::string_view key) const;
  Connection& reader() { return reader_ ? *reader_ : *writer_; }

  std::unique_ptr<Connection> writer_;
  std::unique_ptr<Connection> reader_;  // null for ":memory:" (the writer reads too)
  StorageOptions options_;
  mutable std::mutex quota_mutex_;
  std::map<std::string, uint64_t, std::less<>> quotas_;
};

// Rolls back unless committed, so every early return leaves the database as it was.
class Transaction {
 public:
  Transaction(sqlite3* db, const Statement& begin, const Statement& commit, const Statement& rollback)
      : db_(db), commit_(commit), rollback_(rollback) {
    Use use(begin);
    began_ = use.step() == SQLITE_DONE;
  }
  ~Transaction() {
    if (began_ && !committed_) {
      Use use(rollback_);
      (void)use.step();
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  std::optional<StorageError> began() const {
    if (began_) return std::nullopt;
    return io_error(db_, "begin");
  }
  std::expected<void, StorageError> commit() {
    Use use(commit_);
    if (use.step() != SQLITE_DONE) return std::unexpected(io_error(db_, "commit"));
    committed_ = true;
    return {};
  }

 private:
  sqlite3* db_;
  const Statement& commit_;
  const Statement& rollback_;
  bool began_ = false;
  bool committed_ = false;
};

std::expected<void, Error> SqliteStore::initialize() {
  sqlite3* db = writer_->db;
  auto fail = [&](std::string_view what) {
    return make_error(ErrorKind::kIo,
                      "cannot open storage: " + std::string(what) + ": " + sqlite3_errmsg(db));
  };
  auto pragma_int = [&](const char* sql) -> std::optional<int64_t> {
    Statement statement;
    if (!statement.prepare(db, sql)) return std::nullopt;
    Use use(statement);
    int rc = use.step();
    if (rc == SQLITE_ROW) return use.column_int(0);
    return rc == SQLITE_DONE ? std::optional<int64_t>(0) : std::nullopt;
  };
  auto exec_sql = [&](const char* sql) {
    return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  };

  // Reading the header first tells a non-database file apart (SQLITE_NOTADB) before anything is written.
  std::optional<int64_t> application_id = pragma_int("PRAGMA application_id");
  if (!application_id) return fail("reading the database header");
  std::optional<int64_t> table_count = pragma_int("SELECT count(*) FROM sqlite_schema");
  if (!table_count) return fail("reading the schema");
  if (*application_id == 0 && *table_count != 0) {
    return make_error(ErrorKind::kIo, "cannot open storage: the database belongs to another application");
  }
  if (*application_id != 0 && *application_id != kApplicationId) {
    return make_error(ErrorKind::kIo, "cannot open storage: the database belongs to another application");
  }
  // WAL: readers never block the writer and a commit is one append + fsync; ":memory:" keeps "memory".
  if (!exec_sql("PRAGMA journal_mode=WAL") || !exec_sql("PRAGMA synchronous=FULL"))
    return fail("configuring");
  std::optional<int64_t> version = pragma_int("PRAGMA user_version");
  if (!version) return fail("reading the schema version");
  if (*version > kSchemaVersion) {
    return make_error(ErrorKind::kIo, "cannot open storage: schema version " + std::to_string(*version) +
                                          " is newer than this airwasm's (" + std::to_string(kSchemaVersion) +
                                          ")");
  }
  if (*version == 0) {
    std::string create =
        "BEGIN IMMEDIATE;"
        "CREATE TABLE IF NOT EXISTS airwasm_kv (namespace TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT "
        "NULL,"
        " PRIMARY KEY (namespace, key)) WITHOUT ROWID;"
        "CREATE TABLE IF NOT EXISTS airwasm_kv_usage (namespace TEXT NOT NULL PRIMARY KEY,"
        " used_bytes INTEGER NOT NULL, key_count INTEGER NOT NULL) WITHOUT ROWID;"
        "PRAGMA application_id=" +
        std::to_string(kApplicationId) + ";PRAGMA user_version=" + std::to_string(kSchemaVersion) +
        ";COMMIT;";
    if (!exec_sql(create.c_str())) {
      exec_sql("ROLLBACK");
      return fail("creating the schema");
    }
  }

  if (!writer_->prepare_statements()) return fail("preparing statements");
  return {};
}

bool Connection::prepare_statements() {
  return get.prepare(db, "SELECT value FROM airwasm_kv WHERE namespace=?1 AND key=?2") &&
         exists.prepare(db,
                        "SELECT length(CAST(key AS BLOB)) + length(value) FROM airwasm_kv"
                        " WHERE namespace=?1 AND key=?2") &&
         put.prepare(db,
                     "INSERT INTO airwasm_kv (namespace, key, value) VALUES (?1, ?2, ?3)"
                     " ON CONFLICT (namespace, key) DO UPDATE SET value=excluded.value") &&
         remove.prepare(db, "DELETE FROM airwasm_kv WHERE namespace=?1 AND key=?2") &&
         usage_get.prepare(db, "SELECT used_bytes, key_count FROM airwasm_kv_usage WHERE namespace=?1") &&
         usage_put.prepare(db,
                           "INSERT INTO airwasm_kv_usage (namespace, used_bytes, key_count)"
                           " VALUES (?1, ?2, ?3) ON CONFLICT (namespace) DO UPDATE SET"
                           " used_bytes=excluded.used_bytes, key_count=excluded.key_count") &&
         usage_remove.prepare(db, "DELETE FROM airwasm_kv_usage WHERE namespace=?1") &&
         list.prepare(db, "SELECT key FROM airwasm_kv WHERE namespace=?1 AND key>=?2 ORDER BY key") &&
         begin.prepare(db, "BEGIN IMMEDIATE") && commit.prepare(db, "COMMIT") &&
         rollback.prepare(db, "ROLLBACK");
}

std::optional<StorageError> SqliteStore::check(std::string_view ns, std::string_view key) const {
  if (!base::is_valid_utf8(ns))
    return StorageError{StorageError::Case::kInvalidKey, "namespace is not valid UTF-8"};
  if (std::optional<std::string> why = validate_storage_key(key, options_.max_key_bytes)) {
    return StorageError{StorageError::Case::kInvalidKey, std::move(*why)};
  }
  return std::nullopt;
}

// The namespace's (used_bytes, key_count).
std::expected<std::pair<uint64_t, uint64_t>, StorageError> read_usage(Connection& c, std::string_view ns) {
  Use use(c.usage_get);
  use.text(1, ns);
  int rc = use.step();
  if (rc == SQLITE_ROW) return std::pair{uint64_t(use.column_int(0)), uint64_t(use.column_int(1))};
  if (rc == SQLITE_DONE) return std::pair{uint64_t{0}, uint64_t{0}};
  return std::unexpected(io_error(c.db, "reading usage"));
}

std::expected<void, StorageError> write_usage(Connection& c, std::string_view ns, uint64_t used,
                                              uint64_t count) {
  if (count == 0) {
    Use use(c.usage_remove);
    use.text(1, ns);
    if (use.step() != SQLITE_DONE) return std::unexpected(io_error(c.db, "writing usage"));
    return {};
  }
  Use use(c.usage_put);
  use.text(1, ns);
  use.integer(2, int64_t(used));
  use.integer(3, int64_t(count));
  if (use.step() != SQLITE_DONE) return std::unexpected(io_error(c.db, "writing usage"));
  return {};
}

// The stored entry's size (key + value bytes), if there is one.
std::expected<std::optional<uint64_t>, StorageError> entry_size(Connection& c, std::string_view ns,
                                                                std::string_view key) {
  Use use(c.exists);
  use.text(1, ns);
  use.text(2, key);
  int rc = use.step();
  if (rc == SQLITE_ROW) return std::optional<uint64_t>(uint64_t(use.column_int(0)));
  if (rc == SQLITE_DONE) return std::optional<uint64_t>();
  return std::unexpected(io_error(c.db, "reading"));
}

std::expected<std::optional<StorageValue>, StorageError> SqliteStore::get(std::string_view ns,
                                                                          std::string_view key) {
  if (auto error = check(ns, key)) return std::unexpected(std::move(*error));
  Connection& c = reader();
  std::lock_guard lock(c.mutex);
  Use use(c.get);
  use.text(1, ns);
  use.text(2, key);
  int rc = use.step();
  if (rc == SQLITE_ROW) return std::optional<StorageValue>(use.column_blob(0));
  if (rc == SQLITE_DONE) return std::optional<StorageValue>();
  return std::unexpected(io_error(c.db, "reading"));
}

std::expected<void, StorageError> SqliteStore::set(std::string_view ns, std::string_view key,
                                                   std::span<const uint8_t> value) {
  if (auto error = check(ns, key)) return std::unexpected(std::move(*error));
  uint64_t quota_bytes = quota(ns);
  Connection& c = *writer_;
  std::lock_guard lock(c.mutex);
  Transaction transaction(c.db, c.begin, c.commit, c.rollback);
  if (auto error = transaction.began()) return std::unexpected(std::move(*error));
  auto old_size = entry_size(c, ns, key);
  if (!old_size) return std::unexpected(old_size.error());
  auto usage = read_usage(c, ns);
  if (!usage) return std::unexpected(usage.error());
  auto [used, count] = *usage;
  uint64_t new_entry = uint64_t(key.size()) + uint64_t(value.size());
  uint64_t new_used = used - old_size->value_or(0) + new_entry;
  // A write that does not grow the namespace is always allowed, so that a namespace whose quota was
  // lowered below its usage can still be shrunk by overwriting.
  if (new_used > quota_bytes && new_used > used) {
    return std::unexpected(StorageError{StorageError::Case::kQuotaExceeded, {}});
  }
  {
    Use use(c.put);
    use.text(1, ns);
    use.text(2, key);
    use.blob(3, value);
    if (use.step() != SQLITE_DONE) return std::unexpected(io_error(c.db, "writing"));
  }
  if (auto written = write_usage(c, ns, new_used, count + (old_size->has_value() ? 0 : 1)); !written) {
    return std::unexpected(written.error());
  }
  return transaction.commit();
}

std::expected<void, StorageError> SqliteStore::remove(std::string_view ns, std::string_view key) {
  if (auto error = check(ns, key)) return std::unexpected(std::move(*error));
  Connection& c = *writer_;
  std::lock_guard lock(c.mutex);
  Transaction transaction(c.db, c.begin, c.commit, c.rollback);
  if (auto error = transaction.began()) return std::unexpected(std::move(*error));
  auto old_size = entry_size(c, ns, key);
  if (!old_size) return std::unexpected(old_size.error());
  if (!old_size->has_value())
    return std::unexpected(StorageError{StorageError::Case::kNotFound, std::string(key)});
  auto usage = read_usage(c, ns);
  if (!usage) return std::unexpected(usage.error());
  {
    Use use(c.remove);
    use.text(1, ns);
    use.text(2, key);
    if (use.step() != SQLITE_DONE) return std::unexpected(io_error(c.db, "deleting"));
  }
  auto [used, count] = *usage;
  uint64_t size = **old_size;
  if (auto written = write_usage(c, ns, used >= size ? used - size : 0, count > 0 ? count - 1 : 0);
      !written) {
    return std::unexpected(written.error());
  }
  return transaction.commit();
}

std::expected<bool, StorageError> SqliteStore::exists(std::string_view ns, std::string_view key) {
  if (auto error = check(ns, key)) return std::unexpected(std::move(*error));
  Connection& c = reader();
  std::lock_guard lock(c.mutex);
  auto size = entry_size(c, ns, key);
  if (!size) return std::unexpected(size.error());
  return size->has_value();
}

std::expected<std::vector<std::string>, StorageError> SqliteStore::list_keys(
    std::string_view ns, std::optional<std::string_view> prefix) {
  if (!base::is_valid_utf8(ns)) {
    return std::unexpected(StorageError{StorageError::Case::kInvalidKey, "namespace is not valid UTF-8"});
  }
  std::string_view from = prefix.value_or("");
  if (!base::is_valid_utf8(from)) {
    return std::unexpected(StorageError{StorageError::Case::kInvalidKey, "prefix is not valid UTF-8"});
  }
  Connection& c = reader();
  std::lock_guard lock(c.mutex);
  Use use(c.list);
  use.text(1, ns);
  use.text(2, from);
  std::vector<std::string> keys;
  // Keys compare as bytes (BINARY collation), so the keys with the prefix are one contiguous range that
  // starts at the prefix itself: stop at the first key past it.
  for (;;) {
    int rc = use.step();
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return std::unexpected(io_error(c.db, "listing"));
    std::string_view key = use.column_text(0);
    if (!key.starts_with(from)) break;
    keys.emplace_back(key);
  }
  return keys;
}

std::expected<StorageUsage, StorageError> SqliteStore::usage(std::string_view ns) {
  if (!base::is_valid_utf8(ns)) {
    return std::unexpected(StorageError{StorageError::Case::kInvalidKey, "namespace is not valid UTF-8"});
  }
  uint64_t quota_bytes = quota(ns);
  Connection& c = reader();
  std::lock_guard lock(c.mutex);
  auto usage = read_usage(c, ns);
  if (!usage) return std::unexpected(usage.error());
  return StorageUsage{usage->first, quota_bytes, usage->second};
}

void SqliteStore::set_quota(std::string_view ns, uint64_t quota_bytes) {
  std::lock_guard lock(quota_mutex_);
  auto it = quotas_.find(ns);
  if (it == quotas_.end()) {
    quotas_.emplace(std::string(ns), quota_bytes);
  } else {
    it->second = quota_bytes;
  }
}

uint64_t SqliteStore::quota(std::string_view ns) const {
  std::lock_guard lock(quota_mutex_);
  auto it = quotas_.find(ns);
  return it == quotas_.end() ? options_.default_quota_bytes : it->second;
}

}  // namespace

std::optional<std::string> validate_storage_key(std::string_view key, size_t max_key_bytes) {
  if (key.empty()) return "key is empty";
  if (key.size() > max_key_bytes) {
    return "key is " + std::to_string(key.size()) + " bytes long, more than " + std::to_string(max_key_bytes);
  }
  if (!base::is_valid_utf8(key)) return "key is not valid UTF-8";
  for (unsigned char c : key) {
    if (c < 0x20 || c == 0x7f) return "key contains a control character";
  }
  return std::nullopt;
}

std::expected<std::unique_ptr<KeyValueStore>, Error> open_sqlite_store(const std::string& path,
                                                                       const StorageOptions& options) {
  auto writer = open_connection(path, options);
  if (!writer) return std::unexpected(std::move(writer.error()));
  auto store = std::make_unique<SqliteStore>(std::move(*writer), options);
  if (auto ok = store->initialize(); !ok) return std::unexpected(ok.error());
  // ":memory:" and "" (a private temporary database) exist only in their one connection.
  if (path != ":memory:" && !path.empty()) {
    auto reader = open_connection(path, options);
    if (!reader) return std::unexpected(std::move(reader.error()));
    if (!(*reader)->prepare_statements()) {
      return make_error(ErrorKind::kIo, std::string("cannot open storage: preparing statements: ") +
                                            sqlite3_errmsg((*reader)->db));
    }
    store->set_reader(std::move(*reader));
  }
  return store;
}

}  // namespace airwasm::host
