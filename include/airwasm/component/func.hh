// airwasm public API (components): Func, a component function in a Store (an export of a component
// instance), called with dynamic values (Val). Calls lower the arguments into the callee with its
// canonical options, run it, lift the results and then run its post-return function; fuel, deadlines,
// interruption and memory limits apply as for core calls.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "airwasm/component/val.hh"
#include "airwasm/extern.hh"
#include "airwasm/trap.hh"

namespace airwasm::component {

class Func {
 public:
  TrapResult<std::vector<Val>> call(Store& store, std::span<const Val> args) const;
  TrapResult<std::vector<Val>> call(Store& store, std::span<const Val> args,
                                    const CallOptions& options) const;

  // The signature in WIT syntax: "func(a: u32, b: string) -> list<u8>".
  std::string signature(const Store& store) const;
  size_t param_count(const Store& store) const;
  size_t result_count(const Store& store) const;

  uint64_t store_id() const { return store_id_; }
  uint32_t index() const { return index_; }
  Func(uint64_t store_id, uint32_t index) : store_id_(store_id), index_(index) {}

 private:
  uint64_t store_id_;
  uint32_t index_;
};

}  // namespace airwasm::component
