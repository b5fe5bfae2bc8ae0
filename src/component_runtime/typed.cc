// component runtime: the out-of-line half of the typed API (airwasm/component/typed.hh). The templates
// in the header lift and lower C++ values inline; everything that needs the runtime goes through here:
// type views for the signature checks, the canon layer's string/list/allocation primitives (so the
// checks and trap texts are the Val codec's own), resource handles through the guest context, and the
// call itself, which runs the same protocol as Func::call (call_lifted).
#include "component_runtime/internal.hh"

namespace airwasm::component {

namespace {

const TypeStore& store_of(const void* types) {
  return *static_cast<const TypeStore*>(types);
}
rt::GuestContext& guest(const abi::Cx& cx) {
  return *static_cast<rt::GuestContext*>(cx.guest);
}

// The kind of a value type as the typed API sees it; nullopt for types it has no C++ form for.
std::optional<ValKind> kind_of(const TypeStore& ts, TypeId id) {
  const TypeNode& n = ts.canon(id);
  switch (n.kind) {
    case TypeKind::kPrim:
      return canon::prim_val_kind(n.prim);
    case TypeKind::kList:
      return ValKind::kList;
    case TypeKind::kRecord:
      return ValKind::kRecord;
    case TypeKind::kTuple:
      return ValKind::kTuple;
    case TypeKind::kVariant:
      return ValKind::kVariant;
    case TypeKind::kEnum:
      return ValKind::kEnum;
    case TypeKind::kOption:
      return ValKind::kOption;
    case TypeKind::kResult:
      return ValKind::kResult;
    case TypeKind::kFlags:
      return ValKind::kFlags;
    case TypeKind::kOwn:
      return ValKind::kOwn;
    case TypeKind::kBorrow:
      return ValKind::kBorrow;
    default:
      return std::nullopt;
  }
}

// Function nodes are reached through strip (they have no canonical ABI form); value types through canon.
const TypeNode& node_of(const TypeStore& ts, TypeId id) {
  const TypeNode& n = ts.node(ts.strip(id));
  return n.kind == TypeKind::kFunc ? n : ts.canon(id);
}

TypeId case_child(const TypeNode& n, size_t i) {
  switch (n.kind) {
    case TypeKind::kOption:
      return i == 1 ? n.children[0] : kNoType;
    case TypeKind::kResult:
    case TypeKind::kVariant:
      return i < n.children.size() ? n.children[i] : kNoType;
    default:
      return kNoType;
  }
}

}  // namespace

namespace abi {

// ---- TypeView

bool TypeView::valid() const {
  return id_ != kNoType;
}

bool TypeView::is(ValKind k) const {
  if (!valid()) return false;
  auto kind = kind_of(store_of(types_), id_);
  return kind && *kind == k;
}

size_t TypeView::count() const {
  if (!valid()) return 0;
  const TypeNode& n = node_of(store_of(types_), id_);
  switch (n.kind) {
    case TypeKind::kFunc:
    case TypeKind::kRecord:
    case TypeKind::kEnum:
    case TypeKind::kFlags:
    case TypeKind::kVariant:
      return n.labels.size();
    case TypeKind::kTuple:
      return n.children.size();
    default:
      return n.children.size();
  }
}

std::string_view TypeView::label(size_t i) const {
  if (!valid()) return {};
  const TypeNode& n = node_of(store_of(types_), id_);
  return i < n.labels.size() ? std::string_view(n.labels[i]) : std::string_view();
}

TypeView TypeView::child(size_t i) const {
  if (!valid()) return TypeView(types_, kNoType);
  const TypeNode& n = node_of(store_of(types_), id_);
  return TypeView(types_, i < n.children.size() ? n.children[i] : kNoType);
}

TypeView TypeView::case_payload(size_t i) const {
  if (!valid()) return TypeView(types_, kNoType);
  return TypeView(types_, case_child(node_of(store_of(types_), id_), i));
}

std::string TypeView::describe() const {
  if (!valid()) return "nothing";
  return rt::type_text(store_of(types_), id_);
}

// ---- Checker

bool Checker::fail(const TypeView& t, std::string_view cxx) {
  what_ = "component type is " + t.describe() + ", C++ type is " + std::string(cxx);
  return false;
}

bool Checker::fail_text(std::string text) {
  what_ = std::move(text);
  return false;
}

bool Checker::at(std::string_view segment) {
  path_ = path_.empty() ? std::string(segment) : std::string(segment) + ", " + path_;
  return false;
}

std::string Checker::message() const {
  return path_.empty() ? what_ : path_ + ": " + what_;
}

// ---- canon primitives and traps

Trap trap_out_of_bounds() {
  return canon::memory_out_of_bounds_trap();
}
Trap trap_invalid_char() {
  return canon::invalid_char_trap();
}
Trap trap_invalid_discriminant() {
  return canon::invalid_discriminant_trap();
}
Trap trap_char_mismatch(uint64_t value) {
  return canon::char_mismatch_trap(value);
}
Trap trap_value_too_large(const Cx& cx) {
  return canon::value_too_large_trap(guest(cx).max_lift_bytes);
}

TrapResult<void> store_string(Cx& cx, std::string_view utf8, uint32_t out[2]) {
  AIRWASM_TRY_ASSIGN(canon::StoredString s, canon::store_string_into_range(guest(cx), utf8));
  out[0] = s.ptr;
  out[1] = s.tagged_code_units;
  return {};
}

TrapResult<void> load_string(Cx& cx, uint32_t ptr, uint32_t units, std::string& out) {
  AIRWASM_TRY_ASSIGN(canon::LiftedString s, canon::load_string_from_range(guest(cx), ptr, units));
  AIRWASM_TRY(charge(cx, s.text.size()));
  out = std::move(s.text);
  return {};
}

TrapResult<uint32_t> alloc_list(Cx& cx, uint64_t count, uint64_t elem_size, uint64_t elem_align) {
  return canon::alloc_list(guest(cx), count, elem_size, elem_align);
}
TrapResult<void> check_list(Cx& cx, uint64_t ptr, uint64_t count, uint64_t elem_size, uint64_t elem_align) {
  return canon::check_list_range(guest(cx), ptr, count, elem_size, elem_align);
}
TrapResult<uint32_t> alloc_tuple(Cx& cx, uint64_t align, uint64_t size) {
  return canon::alloc_tuple(guest(cx), align, size);
}
TrapResult<void> check_pointer(Cx& cx, uint64_t ptr, uint64_t align, uint64_t size) {
  return canon::check_pointer(guest(cx), ptr, align, size);
}

TrapResult<uint32_t> lower_handle(Cx& cx, uint32_t type, const ResourceAny& handle) {
  rt::GuestContext& g = guest(cx);
  return g.types().canon(type).kind == TypeKind::kOwn ? g.lower_own_handle(type, handle)
                                                      : g.lower_borrow_handle(type, handle);
}

TrapResult<ResourceAny> lift_handle(Cx& cx, uint32_t type, uint32_t handle) {
  rt::GuestContext& g = guest(cx);
  return g.types().canon(type).kind == TypeKind::kOwn ? g.lift_own_handle(type, handle)
                                                      : g.lift_borrow_handle(type, handle);
}

uint32_t child_type(const Cx& cx, uint32_t type, size_t i) {
  const TypeNode& n = node_of(guest(cx).types(), type);
  if (i == size_t(-1)) return n.children.back();
  return i < n.children.size() ? n.children[i] : kNoType;
}

uint32_t case_type(const Cx& cx, uint32_t type, size_t i) {
  return case_child(node_of(guest(cx).types(), type), i);
}

// ---- typed calls

namespace {

Result<const rt::FuncRec*> find(Store& store, const Func& func) {
  rt::ComponentStore& cs = rt::ComponentStore::of(store);
  if (func.store_id() != store.id() || func.index() >= cs.funcs.size())
    return make_error(ErrorKind::kUsage, "function does not belong to this store");
  return &cs.funcs[func.index()];
}

}  // namespace

Result<void> check_func(Store& store, const Func& func, CheckFn check) {
  AIRWASM_TRY_ASSIGN(const rt::FuncRec* f, find(store, func));
  if (f->kind != rt::FuncRec::Kind::kLifted)
    return make_error(ErrorKind::kUnsupported,
                      "typed calls of a re-exported host function are not supported");
  if (f->async_lift || f->async_callback)
    return make_error(ErrorKind::kUnsupported, "typed calls of async functions are not supported yet");
  const TypeStore& ts = f->owner->types();
  Checker c;
  if (!check(c, TypeView(&ts, ts.strip(f->type))))
    return make_error(ErrorKind::kUsage, "typed function does not match " + rt::func_signature(ts, f->type) +
                                             ": " + c.message());
  return {};
}

TrapResult<void> call(Store& store, const Func& func, const Marshal& m, const CallOptions* options) {
  rt::ComponentStore& cs = rt::ComponentStore::of(store);
  if (func.store_id() != store.id() || func.index() >= cs.funcs.size())
    return std::unexpected(Trap(TrapCode::kHostError, "function does not belong to this store"));
  return rt::call_lifted(store, func.index(), m, options, rt::kNoInstance, false);
}

}  // namespace abi

Result<void> rt::check_typed_host(const TypeStore& ts, TypeId func, const abi::TypedHost& host,
                                  const std::string& path) {
  abi::Checker c;
  if (!host.check(c, abi::TypeView(&ts, ts.strip(func))))
    return make_error(ErrorKind::kUnlinkable, "import `" + path +
                                                  "` has the wrong type: the host function does not match " +
                                                  func_signature(ts, func) + ": " + c.message());
  return {};
}

}  // namespace airwasm::component
