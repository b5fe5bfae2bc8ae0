// tests/fuzz: libFuzzer target for the canonical ABI codec (src/canon). The input describes a value type
// (built in a TypeStore), a string encoding, a guest memory image, flat core values and a realloc that
// returns fuzzer-chosen pointers; the target loads and lifts values of that type from the hostile memory
// and flat values, and lowers whatever it lifted back into memory through the hostile realloc. Any crash,
// sanitizer report or out-of-bounds host access is a finding; traps are the expected outcome.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "canon/abi.hh"

namespace {

using namespace airwasm;
using namespace airwasm::canon;
using component::Prim;
using component::TypeKind;
using component::TypeNode;

class Input {
 public:
  Input(const uint8_t* p, size_t n) : p_(p), n_(n) {}
  uint8_t byte() { return pos_ < n_ ? p_[pos_++] : 0; }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t(byte()) << (8 * i);
    return v;
  }
  uint64_t u64() { return u32() | uint64_t(u32()) << 32; }
  size_t left() const { return n_ - pos_; }
  const uint8_t* rest() const { return p_ + pos_; }

 private:
  const uint8_t* p_;
  size_t n_;
  size_t pos_ = 0;
};

TypeId make_type(Input& in, TypeStore& ts, int depth) {
  const uint8_t k = in.byte();
  if (depth <= 0 || k < 96) return ts.prim(Prim(k % 13));  // bool .. string
  TypeNode n;
  const size_t count = 1 + in.byte() % 4;
  std::vector<std::string> labels;
  for (size_t i = 0; i < count; ++i) labels.push_back("l" + std::to_string(i));
  switch (k % 10) {
    case 0:
      n.kind = TypeKind::kList, n.children = {make_type(in, ts, depth - 1)};
      break;
    case 1:
      n.kind = TypeKind::kRecord, n.labels = labels;
      for (size_t i = 0; i < count; ++i) n.children.push_back(make_type(in, ts, depth - 1));
      break;
    case 2:
      n.kind = TypeKind::kTuple;
      for (size_t i = 0; i < count; ++i) n.children.push_back(make_type(in, ts, depth - 1));
      break;
    case 3:
      n.kind = TypeKind::kVariant, n.labels = labels;
      for (size_t i = 0; i < count; ++i) {
        n.children.push_back(in.byte() & 1 ? make_type(in, ts, depth - 1) : component::kNoType);
      }
      break;
    case 4:
      n.kind = TypeKind::kEnum, n.labels = labels;
      break;
    case 5:
      n.kind = TypeKind::kOption, n.children = {make_type(in, ts, depth - 1)};
      break;
    case 6: {
      n.kind = TypeKind::kResult;
      const uint8_t which = in.byte();
      TypeId ok = which & 1 ? make_type(in, ts, depth - 1) : component::kNoType;
      n.children = {ok, which & 2 ? make_type(in, ts, depth - 1) : component::kNoType};
      break;
    }
    case 7: {
      n.kind = TypeKind::kFlags;
      const size_t flags = 1 + in.byte() % 32;
      for (size_t i = 0; i < flags; ++i) n.labels.push_back("f" + std::to_string(i));
      break;
    }
    case 8:
      n.kind = TypeKind::kFixedList, n.aux = uint32_t(count), n.children = {make_type(in, ts, depth - 1)};
      break;
    default:
      return ts.prim(Prim::kString);
  }
  return ts.intern(std::move(n));
}

class FuzzContext : public Context {
 public:
  FuzzContext(const TypeStore& ts, std::vector<uint8_t>& mem, std::vector<uint32_t> script)
      : Context(ts), size_(mem.size()), script_(std::move(script)) {
    memory = GuestMemory{mem.data(), &size_};
  }
  TrapResult<uint32_t> realloc(uint32_t, uint32_t, uint32_t align, uint32_t new_size) override {
    if (calls_++ > 10000) return std::unexpected(Trap(TrapCode::kHostError, "too many reallocs"));
    if (!script_.empty()) {
      const uint32_t v = script_[calls_ % script_.size()];
      if (v & 1) return v;  // a garbage pointer
    }
    const uint64_t ptr = (next_ + align - 1) / align * align;
    next_ = ptr + new_size;
    return uint32_t(ptr);
  }

 private:
  uint64_t size_;
  uint64_t next_ = 64;
  size_t calls_ = 0;
  std::vector<uint32_t> script_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  TypeStore ts;
  std::vector<TypeId> types;
  const size_t ntypes = 1 + in.byte() % 3;
  for (size_t i = 0; i < ntypes; ++i) types.push_back(make_type(in, ts, 4));
  const uint8_t options = in.byte();
  std::vector<uint32_t> script;
  for (int i = 0; i < 4; ++i) script.push_back(in.u32());
  std::vector<uint64_t> flat;
  for (int i = 0; i < 17; ++i) flat.push_back(in.u64());
  std::vector<uint8_t> mem(1024, 0);
  std::memcpy(mem.data(), in.rest(), std::min(mem.size(), in.left()));

  FuzzContext cx(ts, mem, script);
  cx.encoding = StringEncoding(options % 3);
  cx.fused = options & 4;
  std::vector<Val> values;
  for (TypeId t : types) {
    auto v = load(cx, t, uint32_t(flat[0] % 1024));
    if (v) values.push_back(std::move(*v));
  }
  FlatReader reader(flat);
  auto lifted = lift_flat_values(cx, options & 8 ? kMaxFlatResults : kMaxFlatParams, reader, types);
  if (lifted) {
    // Lower what was lifted into another encoding, through the (possibly hostile) realloc.
    FuzzContext out(ts, mem, script);
    out.encoding = StringEncoding((options >> 4) % 3);
    std::vector<uint64_t> lowered;
    (void)lower_flat_values(out, kMaxFlatParams, *lifted, types, lowered);
    for (size_t i = 0; i < types.size(); ++i)
      (void)store(out, types[i], (*lifted)[i], uint32_t(flat[1] % 1024));
    for (const Val& v : *lifted) (void)v.to_string();
  }
  return 0;
}
