// component: TypeStore: hash-consing of value and function types, aliases, resources, instance and
// component types, resource substitution, and the canonical ABI layout computed once per canonical node.
#include "component/types.hh"

#include <algorithm>

namespace airwasm::component {

using namespace ast;  // the front end works on the syntax throughout

namespace {

constexpr uint64_t kSat = uint64_t(1) << 40;  // saturation bound for sizes

uint64_t align_to(uint64_t v, uint64_t a) {
  return std::min(kSat, (v + a - 1) / a * a);
}

FlatType join(FlatType a, FlatType b) {
  if (a == b) return a;
  if ((a == FlatType::kI32 && b == FlatType::kF32) || (a == FlatType::kF32 && b == FlatType::kI32)) {
    return FlatType::kI32;
  }
  return FlatType::kI64;
}

uint32_t discriminant_size(size_t n) {
  return n <= 256 ? 1 : n <= 65536 ? 2 : 4;
}

}  // namespace

const char* entity_kind_name(Entity::Kind k) {
  switch (k) {
    case Entity::Kind::kModule:
      return "module";
    case Entity::Kind::kFunc:
      return "func";
    case Entity::Kind::kValue:
      return "value";
    case Entity::Kind::kType:
      return "type";
    case Entity::Kind::kInstance:
      return "instance";
    case Entity::Kind::kComponent:
      return "component";
  }
  return "?";
}

const NamedEntity* InstanceTypeInfo::find(std::string_view name) const {
  for (auto& e : exports) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

TypeStore::TypeStore() {
  for (int p = 0; p <= int(Prim::kErrorContext); ++p) {
    TypeNode n;
    n.kind = TypeKind::kPrim;
    n.prim = Prim(p);
    intern(std::move(n));
  }
}

TypeId TypeStore::strip(TypeId id) const {
  while (nodes_[id].kind == TypeKind::kAlias) id = nodes_[id].children[0];
  return id;
}

TypeId TypeStore::push(TypeNode node) {
  TypeId id = TypeId(nodes_.size());
  nodes_.push_back(std::move(node));
  return id;
}

static std::string key_of(const TypeNode& n) {
  std::string k;
  k.reserve(16 + n.children.size() * 5);
  k.push_back(char(n.kind));
  k.push_back(char(n.prim));
  k.append(reinterpret_cast<const char*>(&n.aux), 4);
  for (TypeId c : n.children) k.append(reinterpret_cast<const char*>(&c), 4);
  k.push_back('|');
  for (auto& l : n.labels) {
    uint32_t len = uint32_t(l.size());
    k.append(reinterpret_cast<const char*>(&len), 4);
    k += l;
  }
  return k;
}

TypeId TypeStore::intern(TypeNode node) {
  std::string key = key_of(node);
  if (auto it = interned_.find(key); it != interned_.end()) return it->second;
  // The canonical form: the same node over canonical children.
  bool is_canonical = true;
  for (TypeId c : node.children) {
    if (c != kNoType && nodes_[c].canon != c) is_canonical = false;
  }
  TypeId canon;
  if (is_canonical) {
    canon = TypeId(nodes_.size());
  } else {
    TypeNode cn;
    cn.kind = node.kind;
    cn.prim = node.prim;
    cn.aux = node.aux;
    cn.labels = node.labels;
    for (TypeId c : node.children) cn.children.push_back(c == kNoType ? kNoType : nodes_[c].canon);
    canon = intern(std::move(cn));
  }
  node.canon = canon;
  if (is_canonical) compute_abi(node);
  TypeId id = push(std::move(node));
  interned_.emplace(std::move(key), id);
  return id;
}

TypeId TypeStore::alias(TypeId target) {
  TypeNode n;
  n.kind = TypeKind::kAlias;
  n.children = {target};
  n.canon = nodes_[target].canon;
  return push(std::move(n));
}

ResourceId TypeStore::new_resource(ResourceInfo info) {
  resources_.push_back(std::move(info));
  return ResourceId(resources_.size() - 1);
}

TypeId TypeStore::resource_type(ResourceId r) {
  if (auto it = resource_nodes_.find(r); it != resource_nodes_.end()) return it->second;
  TypeNode n;
  n.kind = TypeKind::kResource;
  n.aux = r;
  TypeId id = intern(std::move(n));
  resource_nodes_[r] = id;
  return id;
}

TypeId TypeStore::push_nominal(TypeKind kind, size_t info_index) {
  // Instance, component and module types are never interned: each is its own canonical node.
  TypeNode n;
  n.kind = kind;
  n.aux = uint32_t(info_index);
  n.canon = TypeId(nodes_.size());
  return push(std::move(n));
}

TypeId TypeStore::add_instance(InstanceTypeInfo info) {
  instances_.push_back(std::move(info));
  return push_nominal(TypeKind::kInstance, instances_.size() - 1);
}

TypeId TypeStore::add_component(ComponentTypeInfo info) {
  components_.push_back(std::move(info));
  return push_nominal(TypeKind::kComponent, components_.size() - 1);
}

TypeId TypeStore::add_module(ModuleTypeInfo info) {
  modules_.push_back(std::move(info));
  return push_nominal(TypeKind::kModule, modules_.size() - 1);
}

void TypeStore::compute_abi(TypeNode& n) {
  compute_layout(n);
  if (n.kind == TypeKind::kPrim || n.kind == TypeKind::kOwn || n.kind == TypeKind::kBorrow ||
      n.kind == TypeKind::kStream || n.kind == TypeKind::kFuture || n.kind == TypeKind::kFlags) {
    n.align64 = n.align;
    if (n.kind == TypeKind::kPrim && n.prim == Prim::kString) n.align64 = 8;
  }
  if (n.kind == TypeKind::kList || n.kind == TypeKind::kMap) n.align64 = 8;
}

void TypeStore::compute_layout(TypeNode& n) {
  auto child = [&](TypeId c) -> const TypeNode& { return nodes_[c]; };
  auto add_flat = [&](const std::vector<FlatType>& f) {
    for (FlatType t : f) {
      if (n.flat.size() >= kMaxFlat) return;
      n.flat.push_back(t);
    }
  };
  n.depth = 1;
  for (TypeId c : n.children) {
    if (c == kNoType) continue;
    n.depth = std::max(n.depth, child(c).depth + 1);
    if (child(c).contains_borrow) n.contains_borrow = true;
    if (child(c).contains_ptr) n.contains_ptr = true;
  }
  switch (n.kind) {
    case TypeKind::kPrim:
      switch (n.prim) {
        case Prim::kBool:
        case Prim::kS8:
        case Prim::kU8:
          n.size = n.align = n.elem_size64 = 1;
          n.flat = {FlatType::kI32};
          break;
        case Prim::kS16:
        case Prim::kU16:
          n.size = n.align = n.elem_size64 = 2;
          n.flat = {FlatType::kI32};
          break;
        case Prim::kS32:
        case Prim::kU32:
        case Prim::kChar:
        case Prim::kErrorContext:
          n.size = n.align = n.elem_size64 = 4;
          n.flat = {FlatType::kI32};
          break;
        case Prim::kF32:
          n.size = n.align = n.elem_size64 = 4;
          n.flat = {FlatType::kF32};
          break;
        case Prim::kS64:
        case Prim::kU64:
          n.size = n.align = n.elem_size64 = 8;
          n.flat = {FlatType::kI64};
          break;
        case Prim::kF64:
          n.size = n.align = n.elem_size64 = 8;
          n.flat = {FlatType::kF64};
          break;
        case Prim::kString:
          n.contains_ptr = true;
          n.size = 8, n.align = 4, n.elem_size64 = 16;
          n.flat = {FlatType::kI32, FlatType::kI32};
          break;
      }
      return;
    case TypeKind::kList:
    case TypeKind::kMap:
      n.contains_ptr = true;
      n.size = 8, n.align = 4, n.elem_size64 = 16;
      n.flat = {FlatType::kI32, FlatType::kI32};
      return;
    case TypeKind::kOwn:
    case TypeKind::kBorrow:
    case TypeKind::kStream:
    case TypeKind::kFuture:
      n.size = n.align = n.elem_size64 = 4;
      n.flat = {FlatType::kI32};
      if (n.kind == TypeKind::kBorrow) n.contains_borrow = true;
      return;
    case TypeKind::kFixedList: {
      const TypeNode& e = child(n.children[0]);
      n.align = e.align;
      n.align64 = e.align64;
      n.size = std::min(kSat, e.size * n.aux);
      n.elem_size64 = std::min(kSat, e.elem_size64 * n.aux);
      for (uint32_t i = 0; i < n.aux && n.flat.size() < kMaxFlat; ++i) add_flat(e.flat);
      return;
    }
    case TypeKind::kRecord:
    case TypeKind::kTuple: {
      uint64_t s = 0, s64 = 0, a = 1, a64 = 1;
      for (TypeId c : n.children) {
        const TypeNode& f = child(c);
        s = align_to(s, f.align) + f.size;
        a = std::max(a, f.align);
        s64 = align_to(s64, f.align64) + f.elem_size64;
        a64 = std::max(a64, f.align64);
        add_flat(f.flat);
      }
      n.align = a;
      n.align64 = a64;
      n.size = align_to(s, a);
      n.elem_size64 = align_to(s64, a64);
      return;
    }
    case TypeKind::kFlags: {
      size_t k = n.labels.size();
      n.size = n.align = n.elem_size64 = k <= 8 ? 1 : k <= 16 ? 2 : 4;
      if (k > 32) n.size = n.elem_size64 = 4 * ((k + 31) / 32);
      for (size_t i = 0; i < std::max<size_t>(1, (k + 31) / 32); ++i) n.flat.push_back(FlatType::kI32);
      return;
    }
    case TypeKind::kVariant:
    case TypeKind::kEnum:
    case TypeKind::kOption:
    case TypeKind::kResult: {
      size_t ncases = n.kind == TypeKind::kEnum      ? n.labels.size()
                      : n.kind == TypeKind::kVariant ? n.children.size()
                                                     : 2;
      uint64_t d = discriminant_size(ncases);
      uint64_t max_size = 0, max_align = d, max64 = 0, max_align64 = d;
      std::vector<FlatType> joined;
      for (TypeId c : n.children) {
        if (c == kNoType) continue;
        const TypeNode& f = child(c);
        max_size = std::max(max_size, f.size);
        max_align = std::max(max_align, f.align);
        max64 = std::max(max64, f.elem_size64);
        max_align64 = std::max(max_align64, f.align64);
        for (size_t i = 0; i < f.flat.size(); ++i) {
          if (i < joined.size())
            joined[i] = join(joined[i], f.flat[i]);
          else
            joined.push_back(f.flat[i]);
        }
      }
      n.align = max_align;
      n.size = align_to(align_to(d, max_align) + max_size, max_align);
      n.align64 = max_align64;
      n.elem_size64 = align_to(align_to(d, max_align64) + max64, max_align64);
      n.flat.push_back(FlatType::kI32);
      add_flat(joined);
      return;
    }
    default:
      return;
  }
}

TypeId TypeStore::remap(TypeId id, const ResourceMap& map, std::unordered_map<TypeId, TypeId>& memo) {
  if (id == kNoType) return id;
  if (auto it = memo.find(id); it != memo.end()) return it->second;
  if (map.empty() && memo.empty()) return id;
  TypeNode n = nodes_[id];
  TypeId out = id;
  switch (n.kind) {
    case TypeKind::kPrim:
      break;
    case TypeKind::kResource: {
      auto it = map.find(n.aux);
      if (it != map.end()) out = resource_type(it->second);
      break;
    }
    case TypeKind::kAlias: {
      TypeId t = remap(n.children[0], map, memo);
      if (t != n.children[0]) out = alias(t);
      break;
    }
    case TypeKind::kInstance: {
      InstanceTypeInfo info = instances_[n.aux];
      bool changed = false;
      for (auto& e : info.exports) {
        Entity r = remap(e.entity, map, memo);
        if (r.type != e.entity.type || r.referenced != e.entity.referenced) changed = true;
        e.entity = r;
      }
      for (auto& r : info.defined_resources) {
        if (auto it = map.find(r); it != map.end()) r = it->second, changed = true;
      }
      if (changed) out = add_instance(std::move(info));
      break;
    }
    case TypeKind::kComponent: {
      ComponentTypeInfo info = components_[n.aux];
      bool changed = false;
      for (auto* list : {&info.imports, &info.exports}) {
        for (auto& e : *list) {
          Entity r = remap(e.entity, map, memo);
          if (r.type != e.entity.type || r.referenced != e.entity.referenced) changed = true;
          e.entity = r;
        }
      }
      if (changed) out = add_component(std::move(info));
      break;
    }
    case TypeKind::kModule:
      break;
    default: {
      bool changed = false;
      for (auto& c : n.children) {
        TypeId r = remap(c, map, memo);
        if (r != c) c = r, changed = true;
      }
      if (changed) {
        n.canon = kNoType;
        n.flat.clear();
        out = intern(std::move(n));
      }
      break;
    }
  }
  memo[id] = out;
  return out;
}

Entity TypeStore::remap(const Entity& e, const ResourceMap& map, std::unordered_map<TypeId, TypeId>& memo) {
  Entity r = e;
  r.type = remap(e.type, map, memo);
  r.referenced = remap(e.referenced, map, memo);
  return r;
}

void TypeStore::free_resources(TypeId id, std::vector<ResourceId>& out, std::vector<bool>& seen) const {
  if (id == kNoType) return;
  if (seen.size() < nodes_.size()) seen.resize(nodes_.size(), false);
  if (seen[id]) return;
  seen[id] = true;
  const TypeNode& n = nodes_[id];
  switch (n.kind) {
    case TypeKind::kResource:
      if (std::find(out.begin(), out.end(), n.aux) == out.end()) out.push_back(n.aux);
      return;
    case TypeKind::kInstance: {
      const auto& info = instances_[n.aux];
      for (auto& e : info.exports) free_resources(e.entity, out, seen);
      return;
    }
    case TypeKind::kComponent: {
      const auto& info = components_[n.aux];
      for (auto& e : info.imports) free_resources(e.entity, out, seen);
      for (auto& e : info.exports) free_resources(e.entity, out, seen);
      return;
    }
    default:
      for (TypeId c : n.children) free_resources(c, out, seen);
  }
}

void TypeStore::free_resources(const Entity& e, std::vector<ResourceId>& out, std::vector<bool>& seen) const {
  free_resources(e.type, out, seen);
  if (e.referenced != e.type) free_resources(e.referenced, out, seen);
}

std::string TypeStore::describe(TypeId id) const {
  const TypeNode& n = canon(id);
  switch (n.kind) {
    case TypeKind::kPrim:
      return prim_name(n.prim);
    case TypeKind::kRecord:
      return "record";
    case TypeKind::kVariant:
      return "variant";
    case TypeKind::kList:
      return "list";
    case TypeKind::kFixedList:
      return "list";
    case TypeKind::kTuple:
      return "tuple";
    case TypeKind::kFlags:
      return "flags";
    case TypeKind::kEnum:
      return "enum";
    case TypeKind::kOption:
      return "option";
    case TypeKind::kResult:
      return "result";
    case TypeKind::kOwn:
      return "own";
    case TypeKind::kBorrow:
      return "borrow";
    case TypeKind::kStream:
      return "stream";
    case TypeKind::kFuture:
      return "future";
    case TypeKind::kMap:
      return "map";
    case TypeKind::kResource:
      return "resource";
    case TypeKind::kFunc:
      return "func";
    case TypeKind::kInstance:
      return "instance";
    case TypeKind::kComponent:
      return "component";
    case TypeKind::kModule:
      return "module";
    case TypeKind::kAlias:
      return "alias";
  }
  return "?";
}

}  // namespace airwasm::component
