// tests/unit/canon: a canonical ABI Context over a plain byte vector, with a bump-allocating realloc that
// records its calls (or a scripted one), and builders for TypeStore value types.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "canon/abi.hh"

namespace airwasm::component {
// GoogleTest prints Vals in WAVE syntax.
inline void PrintTo(const Val& v, std::ostream* os) {
  *os << v.to_string();
}
}  // namespace airwasm::component

namespace airwasm::canon::test {

using component::Prim;
using component::TypeKind;
using component::TypeNode;

struct ReallocCall {
  uint32_t old_ptr, old_size, align, new_size;
  bool operator==(const ReallocCall&) const = default;
};

class TestContext : public Context {
 public:
  TestContext(const TypeStore& ts, size_t bytes) : Context(ts), mem(bytes, 0), size(bytes) {
    memory = GuestMemory{mem.data(), &size};
  }
  TrapResult<uint32_t> realloc(uint32_t old_ptr, uint32_t old_size, uint32_t align,
                               uint32_t new_size) override {
    calls.push_back({old_ptr, old_size, align, new_size});
    if (script) return script(old_ptr, old_size, align, new_size);
    // A bump allocator that copies the old contents, as a guest allocator would.
    uint64_t ptr = (next + align - 1) / align * align;
    for (uint64_t i = 0; i < std::min(old_size, new_size) && ptr + i < size && old_ptr + i < size; ++i) {
      mem[ptr + i] = mem[old_ptr + i];
    }
    next = ptr + new_size;
    return uint32_t(ptr);
  }
  TrapResult<Val> lift_own(TypeId, uint32_t handle) override {
    return Val::resource(component::ResourceAny(1, handle, 0, component::ResourceType::host(7), true));
  }
  TrapResult<Val> lift_borrow(TypeId, uint32_t handle) override {
    return Val::resource(component::ResourceAny(1, handle, 0, component::ResourceType::host(7), false));
  }
  TrapResult<uint32_t> lower_own(TypeId, const Val& v) override { return v.as_resource().index() + 100; }
  TrapResult<uint32_t> lower_borrow(TypeId, const Val& v) override { return v.as_resource().index() + 200; }

  uint32_t u32_at(uint64_t p) const {
    return mem[p] | mem[p + 1] << 8 | mem[p + 2] << 16 | uint32_t(mem[p + 3]) << 24;
  }
  void put_u32(uint64_t p, uint32_t v) {
    for (int i = 0; i < 4; ++i) mem[p + i] = uint8_t(v >> (8 * i));
  }

  std::vector<uint8_t> mem;
  uint64_t size;
  uint64_t next = 0x100;
  std::vector<ReallocCall> calls;
  std::function<TrapResult<uint32_t>(uint32_t, uint32_t, uint32_t, uint32_t)> script;
};

inline TypeId prim(TypeStore& ts, Prim p) {
  return ts.prim(p);
}
inline TypeId node(TypeStore& ts, TypeKind k, std::vector<TypeId> children,
                   std::vector<std::string> labels = {}, uint32_t aux = 0) {
  TypeNode n;
  n.kind = k;
  n.children = std::move(children);
  n.labels = std::move(labels);
  n.aux = aux;
  return ts.intern(std::move(n));
}
inline TypeId list(TypeStore& ts, TypeId e) {
  return node(ts, TypeKind::kList, {e});
}
inline TypeId tuple(TypeStore& ts, std::vector<TypeId> ts_) {
  return node(ts, TypeKind::kTuple, std::move(ts_));
}
inline TypeId option(TypeStore& ts, TypeId t) {
  return node(ts, TypeKind::kOption, {t});
}
inline TypeId result(TypeStore& ts, TypeId ok, TypeId err) {
  return node(ts, TypeKind::kResult, {ok, err});
}
inline TypeId enumeration(TypeStore& ts, std::vector<std::string> l) {
  return node(ts, TypeKind::kEnum, {}, std::move(l));
}
inline TypeId flags(TypeStore& ts, std::vector<std::string> l) {
  return node(ts, TypeKind::kFlags, {}, std::move(l));
}
inline TypeId record(TypeStore& ts, std::vector<std::pair<std::string, TypeId>> fields) {
  std::vector<TypeId> c;
  std::vector<std::string> l;
  for (auto& [name, t] : fields) l.push_back(name), c.push_back(t);
  return node(ts, TypeKind::kRecord, std::move(c), std::move(l));
}
inline TypeId variant(TypeStore& ts, std::vector<std::pair<std::string, TypeId>> cases) {
  std::vector<TypeId> c;
  std::vector<std::string> l;
  for (auto& [name, t] : cases) l.push_back(name), c.push_back(t);
  return node(ts, TypeKind::kVariant, std::move(c), std::move(l));
}

}  // namespace airwasm::canon::test
