// wasm: index-space helpers of the decoded Module (imports come first in every index space).
#include "wasm/module.hh"

namespace airwasm::wasm {

std::vector<const Import*> Module::imports_of(ExternKind kind) const {
  std::vector<const Import*> out;
  for (const Import& imp : imports)
    if (imp.kind == kind) out.push_back(&imp);
  return out;
}

uint32_t Module::func_type_index(uint32_t func_index) const {
  if (func_index < num_imported_funcs) {
    uint32_t seen = 0;
    for (const Import& imp : imports) {
      if (imp.kind != ExternKind::kFunc) continue;
      if (seen++ == func_index) return imp.func_type;
    }
  }
  return functions[func_index - num_imported_funcs];
}

TableType Module::table_type(uint32_t table_index) const {
  if (table_index < num_imported_tables) return imports_of(ExternKind::kTable)[table_index]->table;
  return tables[table_index - num_imported_tables];
}

MemoryType Module::memory_type(uint32_t memory_index) const {
  if (memory_index < num_imported_memories) return imports_of(ExternKind::kMemory)[memory_index]->memory;
  return memories[memory_index - num_imported_memories];
}

GlobalType Module::global_type(uint32_t global_index) const {
  if (global_index < num_imported_globals) return imports_of(ExternKind::kGlobal)[global_index]->global;
  return globals[global_index - num_imported_globals].type;
}

uint32_t Module::tag_type_index(uint32_t tag_index) const {
  if (tag_index < num_imported_tags) return imports_of(ExternKind::kTag)[tag_index]->func_type;
  return tags[tag_index - num_imported_tags];
}

}  // namespace airwasm::wasm
