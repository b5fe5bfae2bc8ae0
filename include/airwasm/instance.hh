// airwasm public API: Instance (an instantiated Module inside a Store) and Linker (name resolution of
// imports, host functions defined once and bound into each Store at instantiation).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "airwasm/engine.hh"
#include "airwasm/error.hh"
#include "airwasm/extern.hh"
#include "airwasm/module.hh"

namespace airwasm {

class Store;

class Instance {
 public:
  // Instantiates `module` with its imports given in order (one Extern per import of module.imports()),
  // type-checked as by Linker::instantiate. The seam for linkers of their own (the component runtime).
  static Result<Instance> create(Store& store, const Module& module, std::span<const Extern> imports);

  std::optional<Extern> get_export(const Store& store, std::string_view name) const;
  std::optional<Func> get_func(const Store& store, std::string_view name) const;
  std::optional<Memory> get_memory(const Store& store, std::string_view name) const;
  std::optional<Table> get_table(const Store& store, std::string_view name) const;
  std::optional<Global> get_global(const Store& store, std::string_view name) const;
  std::vector<std::pair<std::string, Extern>> exports(const Store& store) const;

  uint64_t store_id() const { return store_id_; }
  uint32_t index() const { return index_; }
  Instance(uint64_t store_id, uint32_t index) : store_id_(store_id), index_(index) {}

 private:
  uint64_t store_id_;
  uint32_t index_;
};

namespace internal {
struct LinkerImpl;
}

class Linker {
 public:
  explicit Linker(const Engine& engine);
  ~Linker();
  Linker(Linker&&) noexcept;
  Linker& operator=(Linker&&) noexcept;

  // Later definitions of the same name replace earlier ones when shadowing is allowed (default: error).
  void allow_shadowing(bool allow);

  // Defines a Store-bound item; instantiating into another Store with it is an error.
  Result<void> define(std::string_view module, std::string_view name, const Extern& item);
  // Defines every export of `instance` under the module name `module` (the spec tests' "register").
  Result<void> define_instance(const Store& store, std::string_view module, const Instance& instance);
  // Defines a host function independent of any Store; it is created in a Store on first use there.
  Result<void> define_func(std::string_view module, std::string_view name, FuncType type,
                           HostCallback callback);
  Result<void> define_func_raw(std::string_view module, std::string_view name, FuncType type,
                               RawHostCallback callback);

  // Resolves the module's imports and instantiates it: allocates memories, tables and globals, applies
  // active segments and runs the start function. Errors: kUnlinkable ("unknown import", "incompatible
  // import type"), kUninstantiable (a trap during initialisation, with the trap's text), kLimit.
  Result<Instance> instantiate(Store& store, const Module& module) const;

  // Looks up a definition, creating Store-independent host functions in `store` if needed.
  std::optional<Extern> get(Store& store, std::string_view module, std::string_view name) const;

 private:
  std::unique_ptr<internal::LinkerImpl> impl_;
};

}  // namespace airwasm
