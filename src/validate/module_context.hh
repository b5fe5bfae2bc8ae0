// validate: the index spaces of a decoded module, flattened once (imports first, then definitions) so
// that validation looks up any function/table/memory/global type in O(1). Module::func_type() and
// friends walk the import list; this is what the validators use instead. Built only from a decoded
// Module; function type indices may still be out of range here (validate_module reports those).
#pragma once

#include <cstdint>
#include <vector>

#include "wasm/module.hh"

namespace airwasm::validate {

struct ModuleContext {
  const wasm::Module* module = nullptr;
  std::vector<uint32_t> func_types;        // type index of every function in the function index space
  std::vector<wasm::TableType> tables;     // every table, imported ones first
  std::vector<wasm::MemoryType> memories;  // every memory, imported ones first
  std::vector<wasm::GlobalType> globals;   // every global, imported ones first
  uint32_t num_imported_globals = 0;       // constant expressions may read only these (Wasm 2.0)

  uint32_t num_funcs() const { return uint32_t(func_types.size()); }
  uint32_t num_tables() const { return uint32_t(tables.size()); }
  uint32_t num_memories() const { return uint32_t(memories.size()); }
  uint32_t num_globals() const { return uint32_t(globals.size()); }
};

ModuleContext make_module_context(const wasm::Module& module);

}  // namespace airwasm::validate
