// validate: building the flattened index spaces of a module (see module_context.hh).
#include "validate/module_context.hh"

namespace airwasm::validate {

ModuleContext make_module_context(const wasm::Module& m) {
  ModuleContext c;
  c.module = &m;
  c.func_types.reserve(m.imports.size() + m.functions.size());
  for (const wasm::Import& imp : m.imports) {
    switch (imp.kind) {
      case wasm::ExternKind::kFunc:
        c.func_types.push_back(imp.func_type);
        break;
      case wasm::ExternKind::kTable:
        c.tables.push_back(imp.table);
        break;
      case wasm::ExternKind::kMemory:
        c.memories.push_back(imp.memory);
        break;
      case wasm::ExternKind::kGlobal:
        c.globals.push_back(imp.global);
        break;
      case wasm::ExternKind::kTag:  // body validation reads tags from BodyContext
        break;
    }
  }
  c.num_imported_globals = c.num_globals();
  c.func_types.insert(c.func_types.end(), m.functions.begin(), m.functions.end());
  c.tables.insert(c.tables.end(), m.tables.begin(), m.tables.end());
  c.memories.insert(c.memories.end(), m.memories.begin(), m.memories.end());
  c.globals.reserve(c.globals.size() + m.globals.size());
  for (const wasm::Global& g : m.globals) c.globals.push_back(g.type);
  return c;
}

}  // namespace airwasm::validate
