// canon: the Canonical ABI on the dynamic value tree (Val): loading values from and storing them into a
// guest's linear memory, lifting them from and lowering them to flat core values, with every bounds,
// alignment, discriminant, character and string check of the specification (CanonicalABI.md and its
// executable reference definitions.py, whose function names are kept here: load/store, lift_flat/
// lower_flat, lift_flat_values/lower_flat_values). Traps carry the texts of the official tests.
//
// This layer knows types (component/types.hh) and memory bytes, nothing about instances or Stores: the
// component runtime supplies a Context with the guest's memory, its realloc and its handle tables.
// Layering: base <- component (front end: types) <- canon <- component runtime.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "airwasm/component/val.hh"
#include "airwasm/trap.hh"
#include "component/types.hh"

namespace airwasm::canon {

using component::TypeId;
using component::TypeStore;
using component::Val;

// The spec's MAX_FLAT_PARAMS / MAX_FLAT_RESULTS (synchronous functions).
constexpr size_t kMaxFlatParams = 16;
constexpr size_t kMaxFlatResults = 1;

enum class StringEncoding : uint8_t { kUtf8, kUtf16, kLatin1Utf16 };

// Where a string came from. A Val string is UTF-8 text; when it was lifted from a component, the spec
// lowers it into the next one by a sequence of realloc calls that depends on the *source* encoding (and,
// for latin1+utf16, on whether the source was tagged UTF-16). A host string is StringSource{} (UTF-8).
struct StringSource {
  StringEncoding encoding = StringEncoding::kUtf8;
  bool tagged_utf16 = false;  // latin1+utf16 only: the source length carried the UTF-16 tag
};

// A guest linear memory as the ABI sees it. Memories are reserved up front and never move, but realloc
// may grow them, so the size is read through a pointer to the live value.
struct GuestMemory {
  uint8_t* base = nullptr;
  const uint64_t* size = nullptr;
  uint64_t bytes() const { return size ? *size : 0; }
};

// The spec's LiftLowerContext: canonical options plus the callbacks into the instance. The defaults trap
// (a component without the `realloc` option never reaches them: validation requires it where needed).
class Context {
 public:
  explicit Context(const TypeStore& types) : types_(&types) {}
  virtual ~Context() = default;

  const TypeStore& types() const { return *types_; }
  GuestMemory memory;
  StringEncoding encoding = StringEncoding::kUtf8;
  // True while lifting or lowering for a component-to-component call. Only the wording of some traps
  // depends on it: the official tests expect wasmtime's texts, and wasmtime words the same check
  // differently in its host path ("string pointer/length out of bounds of memory", "realloc return: result
  // not aligned") and in its fused adapters ("string content out-of-bounds", "unaligned pointer").
  bool fused = false;
  // Component-to-component calls, for the spec's exact transcoding: a string lowered into the callee is
  // stored by a realloc sequence that depends on the encoding it had in the caller (StringSource), which a
  // Val does not carry. When `lifted_strings` is set, lifting appends the source of every string
  // it reads, in value order; when `string_sources` is set, lowering takes the sources in the same order
  // (lifting and lowering visit a value's strings in the same order). Unset: strings lower as UTF-8 text.
  std::vector<StringSource>* lifted_strings = nullptr;
  const std::vector<StringSource>* string_sources = nullptr;
  size_t string_sources_used = 0;
  // Upper bound on the host memory one lift (one entry-point call) may build as Vals and string bytes.
  // The spec limits each list and string to 2^28 bytes of guest memory, but not how often they are
  // referenced: a list of a million elements that all point at the same large string is valid, and
  // would make the host allocate without bound. Past the budget, lifting traps (kValueTooLarge).
  uint64_t max_lift_bytes = uint64_t(1) << 30;

  // The guest's realloc(original_ptr, original_size, alignment, new_size) -> ptr. Its result is checked
  // by the caller of this function (alignment, bounds), as the spec does.
  virtual TrapResult<uint32_t> realloc(uint32_t old_ptr, uint32_t old_size, uint32_t align,
                                       uint32_t new_size);
  // Resource handles. `type` is the own/borrow type (its child is the resource type node).
  virtual TrapResult<Val> lift_own(TypeId type, uint32_t handle);
  virtual TrapResult<Val> lift_borrow(TypeId type, uint32_t handle);
  virtual TrapResult<uint32_t> lower_own(TypeId type, const Val& value);
  virtual TrapResult<uint32_t> lower_borrow(TypeId type, const Val& value);

 private:
  const TypeStore* types_;
};

// Flat core values as the interpreter keeps them: one uint64_t per value (i32 and f32 bits in the low
// 32 bits, zero-extended; i64 and f64 bits whole).
class FlatReader {
 public:
  explicit FlatReader(std::span<const uint64_t> values) : values_(values) {}
  bool done() const { return pos_ >= values_.size(); }
  uint64_t next() { return pos_ < values_.size() ? values_[pos_++] : 0; }

 private:
  std::span<const uint64_t> values_;
  size_t pos_ = 0;
};

// The Val kind of a primitive type; nullopt for error-context, which has no value form.
std::optional<component::ValKind> prim_val_kind(component::Prim p);

// Single values. `type` may be any id of the TypeStore (aliases are stripped).
TrapResult<Val> load(Context& cx, TypeId type, uint32_t ptr);
TrapResult<void> store(Context& cx, TypeId type, const Val& value, uint32_t ptr);
TrapResult<Val> lift_flat(Context& cx, TypeId type, FlatReader& flat);
TrapResult<void> lower_flat(Context& cx, TypeId type, const Val& value, std::vector<uint64_t>& out);

// Whole parameter or result lists, spilling to memory past `max_flat` flat values (the spec's
// lift_flat_values / lower_flat_values). lower_flat_values with `out_param`: store the tuple at the
// pointer the guest passed (results of a lowered import); without it, realloc a new tuple.
TrapResult<std::vector<Val>> lift_flat_values(Context& cx, size_t max_flat, FlatReader& flat,
                                              std::span<const TypeId> types);
TrapResult<void> lower_flat_values(Context& cx, size_t max_flat, std::span<const Val> values,
                                   std::span<const TypeId> types, std::vector<uint64_t>& out,
                                   const uint32_t* out_param = nullptr);

// The codec's checks and traps on their own, for the typed path (component/typed.hh), which lifts and
// lowers C++ values directly but must check and trap exactly as the Val codec does.
Trap memory_out_of_bounds_trap();           // a load/store past the end of memory
Trap invalid_char_trap();                   // lifting a char that is not a Unicode scalar value
Trap invalid_discriminant_trap();           // lifting a variant/enum/option/result case out of range
Trap char_mismatch_trap(uint64_t value);    // lowering a host char that is not a Unicode scalar value
Trap value_too_large_trap(uint64_t limit);  // a lift past Context::max_lift_bytes
// A list of `length` elements at `ptr`: the 2^28 - 1 byte limit, alignment and bounds (load_list_from_range).
TrapResult<void> check_list_range(const Context& cx, uint64_t ptr, uint64_t length, uint64_t elem_size,
                                  uint64_t elem_align);
// Allocates a list of `length` elements through realloc with the spec's checks (store_list_into_range).
TrapResult<uint32_t> alloc_list(Context& cx, uint64_t length, uint64_t elem_size, uint64_t elem_align);
// Allocates a spilled parameter tuple (lower_flat_values).
TrapResult<uint32_t> alloc_tuple(Context& cx, uint64_t align, uint64_t size);
// A spilled tuple or a return pointer: alignment, then bounds.
TrapResult<void> check_pointer(const Context& cx, uint64_t ptr, uint64_t align, uint64_t size);

// Number of flat core values of a list of types (saturates at kMaxFlat).
size_t flat_count(const TypeStore& types, std::span<const TypeId> list);

// Strings one at a time (the spec's load_string_from_range / store_string_into_range), for callers that
// handle strings themselves; store_string_into_range follows the realloc sequence of `source`.
struct LiftedString {
  std::string text;  // UTF-8
  StringSource source;
};
struct StoredString {
  uint32_t ptr = 0;
  uint32_t tagged_code_units = 0;
};
TrapResult<LiftedString> load_string_from_range(Context& cx, uint32_t ptr, uint32_t tagged_code_units);
TrapResult<StoredString> store_string_into_range(Context& cx, std::string_view utf8,
                                                 StringSource source = {});

}  // namespace airwasm::canon
