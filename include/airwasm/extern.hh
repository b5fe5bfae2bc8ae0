// airwasm public API: handles to things that live in a Store (functions, memories, tables, globals) and
// the host-function interface. Handles are small values ({store id, index}); every operation takes the
// Store and checks that the handle belongs to it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "airwasm/error.hh"
#include "airwasm/trap.hh"
#include "airwasm/types.hh"
#include "airwasm/value.hh"

namespace airwasm {

class Store;
class Memory;
class Extern;

// Handed to host functions: the Store and the calling instance.
class Caller {
 public:
  Store& store() const { return *store_; }
  // An export of the calling instance (e.g. "memory"); empty for a call from the host itself.
  std::optional<Extern> get_export(std::string_view name) const;
  // The calling instance's memory 0, if any (what WASI functions read and write).
  std::optional<Memory> memory() const;
  // Charges extra fuel for the work a host function does; traps with "all fuel consumed by WebAssembly"
  // if not enough fuel is left (the host function should then return the trap).
  TrapResult<void> consume_fuel(uint64_t fuel) const;
  // Asks the interpreter to suspend the call once this host function returns (sliced calls only).
  void request_yield() const;

  Caller(Store* store, void* instance) : store_(store), instance_(instance) {}
  void* instance_impl() const { return instance_; }

 private:
  Store* store_;
  void* instance_;  // internal::InstanceImpl*, or null
};

// A host function. `params` and `results` have the function type's arity and types.
using HostCallback =
    std::function<TrapResult<void>(Caller&, std::span<const Val> params, std::span<Val> results)>;

// A host function working on the interpreter's raw slots (8 bytes per value, 16 for v128): parameters
// are read from slots[0..], results are written to slots[0..]. The fastest way to call into the host.
using RawHostCallback = std::function<TrapResult<void>(Caller&, uint64_t* slots)>;

// Options of one call from the host.
struct CallOptions {
  // Wall-clock budget of the call: when it passes, the guest traps with "deadline exceeded" within a
  // bounded number of instructions (interruption is checked on every backward branch and call).
  std::optional<std::chrono::nanoseconds> timeout;
};

class Func {
 public:
  static Func wrap(Store& store, FuncType type, HostCallback callback);
  static Func wrap_raw(Store& store, FuncType type, RawHostCallback callback);

  FuncType type(const Store& store) const;
  TrapResult<std::vector<Val>> call(Store& store, std::span<const Val> args) const;
  TrapResult<void> call(Store& store, std::span<const Val> args, std::span<Val> results) const;
  TrapResult<void> call(Store& store, std::span<const Val> args, std::span<Val> results,
                        const CallOptions& options) const;

  // Conversion to and from funcref values.
  Ref to_ref(const Store& store) const;
  static std::optional<Func> from_ref(const Store& store, Ref ref);

  uint64_t store_id() const { return store_id_; }
  uint32_t index() const { return index_; }
  Func(uint64_t store_id, uint32_t index) : store_id_(store_id), index_(index) {}

 private:
  uint64_t store_id_;
  uint32_t index_;
};

class Memory {
 public:
  static Result<Memory> create(Store& store, MemoryType type);
  MemoryType type(const Store& store) const;
  std::span<uint8_t> data(const Store& store) const;
  uint64_t size_pages(const Store& store) const;
  // Returns the previous size in pages, or an error if the maximum or a Store limit forbids it.
  Result<uint64_t> grow(Store& store, uint64_t delta_pages) const;

  uint64_t store_id() const { return store_id_; }
  uint32_t index() const { return index_; }
  Memory(uint64_t store_id, uint32_t index) : store_id_(store_id), index_(index) {}

 private:
  uint64_t store_id_;
  uint32_t index_;
};

class Table {
 public:
  static Result<Table> create(Store& store, TableType type, Val init);
  TableType type(const Store& store) const;
  uint64_t size(const Store& store) const;
  Result<Val> get(const Store& store, uint64_t index) const;
  Result<void> set(Store& store, uint64_t index, Val value) const;
  Result<uint64_t> grow(Store& store, uint64_t delta, Val init) const;

  uint64_t store_id() const { return store_id_; }
  uint32_t index() const { return index_; }
  Table(uint64_t store_id, uint32_t index) : store_id_(store_id), index_(index) {}

 private:
  uint64_t store_id_;
  uint32_t index_;
};

class Global {
 public:
  static Result<Global> create(Store& store, GlobalType type, Val init);
  GlobalType type(const Store& store) const;
  Val get(const Store& store) const;
  Result<void> set(Store& store, Val value) const;

  uint64_t store_id() const { return store_id_; }
  uint32_t index() const { return index_; }
  Global(uint64_t store_id, uint32_t index) : store_id_(store_id), index_(index) {}

 private:
  uint64_t store_id_;
  uint32_t index_;
};

// An exception tag (exception handling). Each instance that defines a tag makes a distinct one; a
// catch clause matches exceptions thrown with the very same tag.
class Tag {
 public:
  static Result<Tag> create(Store& store, FuncType type);  // params: the payload; results must be empty
  FuncType type(const Store& store) const;

  uint64_t store_id() const { return store_id_; }
  uint32_t index() const { return index_; }
  Tag(uint64_t store_id, uint32_t index) : store_id_(store_id), index_(index) {}

 private:
  uint64_t store_id_;
  uint32_t index_;
};

// One of Func, Table, Memory, Global, Tag.
class Extern {
 public:
  Extern(Func f) : kind_(ExternKind::kFunc), store_id_(f.store_id()), index_(f.index()) {}
  Extern(Table t) : kind_(ExternKind::kTable), store_id_(t.store_id()), index_(t.index()) {}
  Extern(Memory m) : kind_(ExternKind::kMemory), store_id_(m.store_id()), index_(m.index()) {}
  Extern(Global g) : kind_(ExternKind::kGlobal), store_id_(g.store_id()), index_(g.index()) {}
  Extern(Tag t) : kind_(ExternKind::kTag), store_id_(t.store_id()), index_(t.index()) {}

  ExternKind kind() const { return kind_; }
  std::optional<Func> func() const {
    return is(ExternKind::kFunc) ? std::optional(Func(store_id_, index_)) : std::nullopt;
  }
  std::optional<Table> table() const {
    return is(ExternKind::kTable) ? std::optional(Table(store_id_, index_)) : std::nullopt;
  }
  std::optional<Memory> memory() const {
    return is(ExternKind::kMemory) ? std::optional(Memory(store_id_, index_)) : std::nullopt;
  }
  std::optional<Global> global() const {
    return is(ExternKind::kGlobal) ? std::optional(Global(store_id_, index_)) : std::nullopt;
  }
  std::optional<Tag> tag() const {
    return is(ExternKind::kTag) ? std::optional(Tag(store_id_, index_)) : std::nullopt;
  }
  ExternType type(const Store& store) const;
  uint64_t store_id() const { return store_id_; }
  uint32_t index() const { return index_; }

 private:
  bool is(ExternKind k) const { return kind_ == k; }
  ExternKind kind_;
  uint64_t store_id_;
  uint32_t index_;
};

}  // namespace airwasm
