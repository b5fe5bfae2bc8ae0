// runtime: module instantiation (the spec's instantiate): resolve and type-check imports, allocate the
// instance's functions, tables, memories and globals, evaluate constant expressions, apply active
// element and data segments in order, then run the start function. A trap during initialisation fails
// instantiation with the trap's message; writes already done to shared tables/memories remain, as the
// spec requires.
#include <cstring>
#include <new>

#include "runtime/internal.hh"

namespace airwasm {

using internal::InstanceRecord;
using internal::StoreImpl;

namespace {

struct ConstValue {
  uint64_t v[2] = {0, 0};
};

// Evaluates a validated constant expression (Wasm 2.0 plus extended-const integer arithmetic).
ConstValue eval_const(const wasm::ConstExpr& expr, const interp::InstanceData& data) {
  // Nearly every constant expression is one instruction (a table of ref.func items can hold tens of
  // thousands): those need no evaluation stack.
  if (expr.instrs.size() == 1) {
    const wasm::Instr& in = expr.instrs[0];
    ConstValue c;
    switch (in.op) {
      case wasm::Opcode::RefFunc:
        c.v[0] = reinterpret_cast<uint64_t>(data.funcs[in.index]);
        return c;
      case wasm::Opcode::RefNull:
        return c;
      case wasm::Opcode::I32Const:
        c.v[0] = uint32_t(in.value.i32);
        return c;
      case wasm::Opcode::I64Const:
        c.v[0] = uint64_t(in.value.i64);
        return c;
      default:
        break;
    }
  }
  std::vector<ConstValue> stack;
  for (const wasm::Instr& in : expr.instrs) {
    ConstValue c;
    switch (in.op) {
      case wasm::Opcode::I32Const:
        c.v[0] = uint32_t(in.value.i32);
        break;
      case wasm::Opcode::I64Const:
        c.v[0] = uint64_t(in.value.i64);
        break;
      case wasm::Opcode::F32Const:
        c.v[0] = in.value.f32_bits;
        break;
      case wasm::Opcode::F64Const:
        c.v[0] = in.value.f64_bits;
        break;
      case wasm::Opcode::V128Const:
        std::memcpy(c.v, in.v128.bytes, 16);
        break;
      case wasm::Opcode::RefNull:
        break;
      case wasm::Opcode::RefFunc:
        c.v[0] = reinterpret_cast<uint64_t>(data.funcs[in.index]);
        break;
      case wasm::Opcode::GlobalGet:
        std::memcpy(c.v, data.globals[in.index]->value, 16);
        break;
      case wasm::Opcode::I32Add:
      case wasm::Opcode::I32Sub:
      case wasm::Opcode::I32Mul:
      case wasm::Opcode::I64Add:
      case wasm::Opcode::I64Sub:
      case wasm::Opcode::I64Mul: {
        const uint64_t b = stack.back().v[0];
        stack.pop_back();
        const uint64_t a = stack.back().v[0];
        stack.pop_back();
        uint64_t r = in.op == wasm::Opcode::I32Add || in.op == wasm::Opcode::I64Add   ? a + b
                     : in.op == wasm::Opcode::I32Sub || in.op == wasm::Opcode::I64Sub ? a - b
                                                                                      : a * b;
        if (in.op <= wasm::Opcode::I32Mul && in.op >= wasm::Opcode::I32Add) r = uint32_t(r);
        c.v[0] = r;
        break;
      }
      default:
        break;
    }
    stack.push_back(c);
  }
  return stack.empty() ? ConstValue{} : stack.back();
}

bool limits_match(uint64_t actual_min, std::optional<uint64_t> actual_max, const Limits& expected) {
  if (actual_min < expected.min) return false;
  if (expected.max) return actual_max && *actual_max <= *expected.max;
  return true;
}

std::unexpected<Error> unlinkable(const wasm::Import& imp, const char* what) {
  return make_error(ErrorKind::kUnlinkable,
                    std::string(what) + ": \"" + imp.module + "\" \"" + imp.name + "\"");
}

Result<void> check_import(const StoreImpl& s, const wasm::Module& m, const wasm::Import& imp,
                          const Extern& ext) {
  if (ext.kind() != imp.kind) return unlinkable(imp, "incompatible import type");
  switch (imp.kind) {
    case ExternKind::kFunc:
      if (!(*s.funcs[ext.index()]->type == m.types[imp.func_type]))
        return unlinkable(imp, "incompatible import type");
      break;
    case ExternKind::kTable: {
      const interp::TableInst& t = *s.tables[ext.index()];
      if (t.type.elem != imp.table.elem || !limits_match(t.elems.size(), t.type.limits.max, imp.table.limits))
        return unlinkable(imp, "incompatible import type");
      break;
    }
    case ExternKind::kMemory: {
      const interp::MemoryInst& mem = *s.memories[ext.index()];
      if (!limits_match(mem.size_bytes / wasm::kPageSize, mem.declared_max, imp.memory.limits))
        return unlinkable(imp, "incompatible import type");
      break;
    }
    case ExternKind::kGlobal:
      if (!(s.globals[ext.index()]->type == imp.global)) return unlinkable(imp, "incompatible import type");
      break;
    case ExternKind::kTag:  // tag types must be equal (no subtyping among these value types)
      if (!(s.tags[ext.index()]->type == m.types[imp.func_type]))
        return unlinkable(imp, "incompatible import type");
      break;
  }
  return {};
}

std::unexpected<Error> uninstantiable(const Trap& trap) {
  // The trap's text first (what assert_uninstantiable compares), then its backtrace, if it has one (a
  // start function's trap).
  return make_error(ErrorKind::kUninstantiable, trap.message() + trap.backtrace_string());
}

}  // namespace

Result<Instance> Linker::instantiate(Store& store, const Module& module) const {
  const wasm::Module& m = *module.impl().module;
  // 1. Resolve imports by name.
  std::vector<Extern> resolved;
  resolved.reserve(m.imports.size());
  for (const wasm::Import& imp : m.imports) {
    std::optional<Extern> ext = get(store, imp.module, imp.name);
    if (!ext) return unlinkable(imp, "unknown import");
    // Checked here too so that the first bad import, in order, is the one reported.
    if (ext->store_id() != store.impl().id)
      return make_error(ErrorKind::kUsage, "imported item belongs to another store");
    AIRWASM_TRY(check_import(store.impl(), m, imp, *ext));
    resolved.push_back(*ext);
  }
  return Instance::create(store, module, resolved);
}

namespace {

Result<Instance> create_instance(Store& store, const Module& module, std::span<const Extern> resolved) {
  StoreImpl& s = store.impl();
  const internal::ModuleImpl& mi = module.impl();
  const wasm::Module& m = *mi.module;
  if (&mi.engine.impl() != &s.engine.impl())
    return make_error(ErrorKind::kUsage, "module and store belong to different engines");
  if (s.instances.size() >= s.limits.max_instances)
    return make_error(ErrorKind::kLimit, "instance count limit of the store exceeded");
  if (resolved.size() != m.imports.size())
    return make_error(ErrorKind::kUsage, "expected " + std::to_string(m.imports.size()) + " imports, got " +
                                             std::to_string(resolved.size()));
  for (size_t i = 0; i < resolved.size(); ++i) {
    if (resolved[i].store_id() != s.id)
      return make_error(ErrorKind::kUsage, "imported item belongs to another store");
    AIRWASM_TRY(check_import(s, m, m.imports[i], resolved[i]));
  }

  // 2. Allocate.
  auto rec = std::make_unique<InstanceRecord>();
  rec->module = module.shared_impl();
  interp::InstanceData& data = rec->data;
  data.code = &mi.compiled;
  data.owner = rec.get();
  for (const Extern& ext : resolved) {
    switch (ext.kind()) {
      case ExternKind::kFunc:
        data.funcs.push_back(s.funcs[ext.index()].get());
        break;
      case ExternKind::kTable:
        data.tables.push_back(s.tables[ext.index()].get());
        break;
      case ExternKind::kMemory:
        data.memories.push_back(s.memories[ext.index()].get());
        break;
      case ExternKind::kGlobal:
        data.globals.push_back(s.globals[ext.index()].get());
        break;
      case ExternKind::kTag:
        data.tags.push_back(s.tags[ext.index()].get());
        break;
    }
  }
  s.func_blocks.push_back(std::make_unique<interp::FuncInst[]>(m.functions.size()));
  interp::FuncInst* block = s.func_blocks.back().get();
  data.funcs.reserve(data.funcs.size() + m.functions.size());
  s.funcs.reserve(s.funcs.size() + m.functions.size());
  for (size_t i = 0; i < m.functions.size(); ++i) {
    interp::FuncInst* f = &block[i];
    const uint32_t type_index = m.functions[i];
    f->type_id = mi.compiled.type_ids[type_index];
    f->type = mi.type_ptrs[type_index];
    f->instance = &data;
    f->code = &mi.compiled.funcs[i];
    f->param_slots = mi.type_slots[type_index].first;
    f->result_slots = mi.type_slots[type_index].second;
    f->store_index = uint32_t(s.funcs.size());
    data.funcs.push_back(f);
    s.funcs.push_back({f});
  }
  for (const TableType& t : m.tables) {
    AIRWASM_TRY_ASSIGN(interp::TableInst * table, s.add_table(t, 0));
    data.tables.push_back(table);
  }
  for (const MemoryType& t : m.memories) {
    AIRWASM_TRY_ASSIGN(interp::MemoryInst * mem, s.add_memory(t));
    data.memories.push_back(mem);
  }
  data.memory0 = data.memories.empty() ? nullptr : data.memories[0];
  for (uint32_t type_index : m.tags)
    data.tags.push_back(s.add_tag(m.types[type_index]));  // fresh per instance
  // Memory 0's data segments arrive as a copy-on-write mapping of the module's image when it has one
  // (memory_image.hh); the segments it holds are then not copied again below.
  const bool imaged =
      mi.memory_image && data.memory0 &&
      internal::map_memory_image(*mi.memory_image, data.memory0->base, data.memory0->size_bytes);
  for (const wasm::Global& g : m.globals) {
    interp::GlobalInst* global = s.add_global(g.type);
    const ConstValue v = eval_const(g.init, data);
    std::memcpy(global->value, v.v, 16);
    data.globals.push_back(global);
  }
  for (const wasm::ElemSegment& seg : m.elems) {
    std::vector<uint64_t> refs;
    refs.reserve(seg.items.size());
    for (const wasm::ConstExpr& item : seg.items) refs.push_back(eval_const(item, data).v[0]);
    data.elems.push_back(std::move(refs));
  }
  data.data_segments = m.datas;
  data.data_dropped.assign(m.datas.size(), false);
  rec->exports.reserve(m.exports.size());
  for (const wasm::Export& e : m.exports) {
    uint32_t store_index = 0;
    switch (e.kind) {
      case ExternKind::kFunc:
        store_index = data.funcs[e.index]->store_index;
        break;
      case ExternKind::kTable:
        store_index = data.tables[e.index]->store_index;
        break;
      case ExternKind::kMemory:
        store_index = data.memories[e.index]->store_index;
        break;
      case ExternKind::kGlobal:
        store_index = data.globals[e.index]->store_index;
        break;
      case ExternKind::kTag:
        store_index = data.tags[e.index]->store_index;
        break;
    }
    switch (e.kind) {
      case ExternKind::kFunc:
        rec->exports.emplace_back(Func(s.id, store_index));
        break;
      case ExternKind::kTable:
        rec->exports.emplace_back(Table(s.id, store_index));
        break;
      case ExternKind::kMemory:
        rec->exports.emplace_back(Memory(s.id, store_index));
        break;
      case ExternKind::kGlobal:
        rec->exports.emplace_back(Global(s.id, store_index));
        break;
      case ExternKind::kTag:
        rec->exports.emplace_back(Tag(s.id, store_index));
        break;
    }
  }
  const uint32_t instance_index = uint32_t(s.instances.size());
  s.instances.push_back(std::move(rec));

  // 3. Initialise: element segments, then data segments, then the start function.
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const wasm::ElemSegment& seg = m.elems[i];
    if (seg.mode == wasm::SegmentMode::kActive) {
      const uint64_t offset = uint32_t(eval_const(seg.offset, data).v[0]);
      interp::TableInst* table = data.tables[seg.table];
      const std::vector<uint64_t>& refs = data.elems[i];
      if (offset + refs.size() > table->elems.size())
        return uninstantiable(Trap(TrapCode::kTableOutOfBounds));
      std::copy(refs.begin(), refs.end(), table->elems.begin() + offset);
    }
    if (seg.mode != wasm::SegmentMode::kPassive) data.elems[i] = {};  // freed, not just emptied
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const wasm::DataSegment& seg = m.datas[i];
    if (seg.mode != wasm::SegmentMode::kActive) continue;
    const uint64_t offset = uint32_t(eval_const(seg.offset, data).v[0]);
    interp::MemoryInst* mem = data.memories[seg.memory];
    if (offset + seg.bytes.size() > mem->size_bytes)
      return uninstantiable(Trap(TrapCode::kMemoryOutOfBounds));
    const bool in_image = imaged && seg.memory == 0;
    if (!seg.bytes.empty() && !in_image) std::memcpy(mem->base + offset, seg.bytes.data(), seg.bytes.size());
    data.data_dropped[i] = true;
  }
  if (m.start) {
    const interp::FuncInst* start = data.funcs[*m.start];
    auto r = s.call(start, {}, {});
    if (!r) return uninstantiable(r.error());
  }
  return Instance(s.id, instance_index);
}

}  // namespace

Result<Instance> Instance::create(Store& store, const Module& module, std::span<const Extern> resolved) {
  // Host memory for tables, segments and the instance record depends on the guest: running out is an
  // error value (objects already created stay in the Store unreferenced, as after a trapping start).
  try {
    return create_instance(store, module, resolved);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorKind::kLimit, "out of host memory while instantiating");
  }
}

}  // namespace airwasm
