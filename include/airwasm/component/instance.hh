// airwasm public API (components): Instance, an instantiated component in a Store. Exported functions
// are found by name: a root export ("run"), or a function of an exported instance
// ("wasi:cli/run@0.2.0#run", or get_func(store, "wasi:cli/run@0.2.0", "run")).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "airwasm/component/func.hh"
#include "airwasm/error.hh"

namespace airwasm::component {

template <typename Sig>
class TypedFunc;

class Instance {
 public:
  std::optional<Func> get_func(Store& store, std::string_view name) const;
  std::optional<Func> get_func(Store& store, std::string_view instance, std::string_view name) const;
  // A typed handle, e.g. get_typed_func<uint32_t(std::string_view)>(store, "count"), checked against the
  // function's type (airwasm/component/typed.hh, which must be included to use it).
  template <typename Sig>
  Result<TypedFunc<Sig>> get_typed_func(Store& store, std::string_view name) const;
  // Names of the root exports; exported instances show as "name" and their functions as "name#func".
  std::vector<std::string> export_names(const Store& store) const;

  uint64_t store_id() const { return store_id_; }
  uint32_t index() const { return index_; }
  Instance(uint64_t store_id, uint32_t index) : store_id_(store_id), index_(index) {}

 private:
  uint64_t store_id_;
  uint32_t index_;
};

}  // namespace airwasm::component
