// runtime: the Memory, Table, Global and Extern handle operations of the public API.
#include <cstring>

#include "runtime/internal.hh"

namespace airwasm {

using internal::StoreImpl;

namespace {

template <typename Vec>
auto* find(const StoreImpl& s, const Vec& items, uint64_t store_id, uint32_t index) {
  using T = typename Vec::value_type::element_type;
  return (store_id == s.id && index < items.size()) ? items[index].get() : static_cast<T*>(nullptr);
}

std::unexpected<Error> wrong_store() {
  return make_error(ErrorKind::kUsage, "handle does not belong to this store");
}

}  // namespace

// ---- Memory ----

Result<Memory> Memory::create(Store& store, MemoryType type) {
  if (type.limits.max && *type.limits.max < type.limits.min)
    return make_error(ErrorKind::kInvalid, "size minimum must not be greater than maximum");
  AIRWASM_TRY_ASSIGN(interp::MemoryInst * m, store.impl().add_memory(type));
  return Memory(store.id(), m->store_index);
}

MemoryType Memory::type(const Store& store) const {
  const interp::MemoryInst* m = find(store.impl(), store.impl().memories, store_id_, index_);
  if (!m) return {};
  return MemoryType{Limits{m->size_bytes / wasm::kPageSize, m->declared_max, false}};
}

std::span<uint8_t> Memory::data(const Store& store) const {
  interp::MemoryInst* m = find(store.impl(), store.impl().memories, store_id_, index_);
  if (!m) return {};
  return {m->base, size_t(m->size_bytes)};
}

uint64_t Memory::size_pages(const Store& store) const {
  const interp::MemoryInst* m = find(store.impl(), store.impl().memories, store_id_, index_);
  return m ? m->size_bytes / wasm::kPageSize : 0;
}

Result<uint64_t> Memory::grow(Store& store, uint64_t delta) const {
  interp::MemoryInst* m = find(store.impl(), store.impl().memories, store_id_, index_);
  if (!m) return wrong_store();
  const int64_t old = store.impl().grow_memory(m, delta);
  if (old < 0)
    return make_error(ErrorKind::kLimit, "memory cannot grow by " + std::to_string(delta) + " pages");
  return uint64_t(old);
}

// ---- Table ----

Result<Table> Table::create(Store& store, TableType type, Val init) {
  if (init.type() != type.elem) return make_error(ErrorKind::kUsage, "initial value has the wrong type");
  AIRWASM_TRY_ASSIGN(
      interp::TableInst * t,
      store.impl().add_table(type, internal::ref_to_slot(store.impl(), type.elem, init.ref())));
  return Table(store.id(), t->store_index);
}

TableType Table::type(const Store& store) const {
  const interp::TableInst* t = find(store.impl(), store.impl().tables, store_id_, index_);
  if (!t) return {};
  TableType type = t->type;
  type.limits.min = t->elems.size();
  return type;
}

uint64_t Table::size(const Store& store) const {
  const interp::TableInst* t = find(store.impl(), store.impl().tables, store_id_, index_);
  return t ? t->elems.size() : 0;
}

Result<Val> Table::get(const Store& store, uint64_t index) const {
  const interp::TableInst* t = find(store.impl(), store.impl().tables, store_id_, index_);
  if (!t) return wrong_store();
  if (index >= t->elems.size()) return make_error(ErrorKind::kUsage, "out of bounds table access");
  const uint64_t bits = t->elems[index];
  return t->type.elem == ValType::kFuncRef ? Val::funcref(internal::slot_to_ref(ValType::kFuncRef, bits))
                                           : Val::externref(bits);
}

Result<void> Table::set(Store& store, uint64_t index, Val value) const {
  interp::TableInst* t = find(store.impl(), store.impl().tables, store_id_, index_);
  if (!t) return wrong_store();
  if (value.type() != t->type.elem)
    return make_error(ErrorKind::kUsage, "value has the wrong type for this table");
  if (index >= t->elems.size()) return make_error(ErrorKind::kUsage, "out of bounds table access");
  t->elems[index] = internal::ref_to_slot(store.impl(), t->type.elem, value.ref());
  return {};
}

Result<uint64_t> Table::grow(Store& store, uint64_t delta, Val init) const {
  interp::TableInst* t = find(store.impl(), store.impl().tables, store_id_, index_);
  if (!t) return wrong_store();
  if (init.type() != t->type.elem)
    return make_error(ErrorKind::kUsage, "value has the wrong type for this table");
  const int64_t old =
      store.impl().grow_table(t, delta, internal::ref_to_slot(store.impl(), t->type.elem, init.ref()));
  if (old < 0) return make_error(ErrorKind::kLimit, "table cannot grow by " + std::to_string(delta));
  return uint64_t(old);
}

// ---- Global ----

Result<Global> Global::create(Store& store, GlobalType type, Val init) {
  if (init.type() != type.type) return make_error(ErrorKind::kUsage, "initial value has the wrong type");
  interp::GlobalInst* g = store.impl().add_global(type);
  internal::val_to_slots(store.impl(), init, g->value);
  return Global(store.id(), g->store_index);
}

GlobalType Global::type(const Store& store) const {
  const interp::GlobalInst* g = find(store.impl(), store.impl().globals, store_id_, index_);
  return g ? g->type : GlobalType{};
}

Val Global::get(const Store& store) const {
  const interp::GlobalInst* g = find(store.impl(), store.impl().globals, store_id_, index_);
  if (!g) return Val();
  return internal::slots_to_val(store.impl(), g->type.type, g->value);
}

Result<void> Global::set(Store& store, Val value) const {
  interp::GlobalInst* g = find(store.impl(), store.impl().globals, store_id_, index_);
  if (!g) return wrong_store();
  if (!g->type.mut) return make_error(ErrorKind::kUsage, "global is immutable");
  if (value.type() != g->type.type)
    return make_error(ErrorKind::kUsage, "value has the wrong type for this global");
  internal::val_to_slots(store.impl(), value, g->value);
  return {};
}

// ---- Tag ----

Result<Tag> Tag::create(Store& store, FuncType type) {
  if (!type.results.empty()) return make_error(ErrorKind::kUsage, "a tag type has no results");
  internal::StoreImpl& s = store.impl();
  interp::TagInst* t = s.add_tag(type);
  return Tag(s.id, t->store_index);
}

FuncType Tag::type(const Store& store) const {
  const interp::TagInst* t = find(store.impl(), store.impl().tags, store_id_, index_);
  return t ? t->type : FuncType{};
}

// ---- Extern ----

ExternType Extern::type(const Store& store) const {
  ExternType t;
  t.kind = kind_;
  switch (kind_) {
    case ExternKind::kFunc:
      t.func = Func(store_id_, index_).type(store);
      break;
    case ExternKind::kTable:
      t.table = Table(store_id_, index_).type(store);
      break;
    case ExternKind::kMemory:
      t.memory = Memory(store_id_, index_).type(store);
      break;
    case ExternKind::kGlobal:
      t.global = Global(store_id_, index_).type(store);
      break;
    case ExternKind::kTag:
      t.tag = Tag(store_id_, index_).type(store);
      break;
  }
  return t;
}

}  // namespace airwasm
