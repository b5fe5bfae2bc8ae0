// tests/fuzz: the structured module generator (wasm_gen.hh). One Gen builds one module: types, the host
// import, 1-5 functions, a funcref table (some entries null), two memories (the second optional), mutable
// globals (g0 = the call budget) and their exports; then the bodies, each a tree of statements and typed
// expressions emitted straight into the binary while a label stack tracks what each branch must carry.
#include "wasm_gen.hh"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

namespace airwasm::fuzzgen {

Choices::Choices(const uint8_t* data, size_t size) : data_(data), size_(size) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
  for (size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 0x100000001b3ull;
  state_ = h;
}

uint8_t Choices::byte() {
  if (pos_ < size_) return data_[pos_++];
  // splitmix64: fast and good enough to spread choices.
  state_ += 0x9e3779b97f4a7c15ull;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return uint8_t(z ^ (z >> 31));
}

uint32_t Choices::u32() {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | byte();
  return v;
}

uint64_t Choices::u64() {
  return (uint64_t(u32()) << 32) | u32();
}

namespace {

using Bytes = std::vector<uint8_t>;
using Types = std::vector<Ty>;

void put_u32(Bytes& b, uint64_t v) {
  do {
    uint8_t byte = v & 0x7F;
    v >>= 7;
    if (v) byte |= 0x80;
    b.push_back(byte);
  } while (v);
}

void put_s64(Bytes& b, int64_t v) {
  for (;;) {
    const uint8_t byte = v & 0x7F;
    v >>= 7;
    const bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
    b.push_back(done ? byte : (byte | 0x80));
    if (done) return;
  }
}

void put_name(Bytes& b, const std::string& s) {
  put_u32(b, s.size());
  b.insert(b.end(), s.begin(), s.end());
}

void put_section(Bytes& out, uint8_t id, const Bytes& content) {
  out.push_back(id);
  put_u32(out, content.size());
  out.insert(out.end(), content.begin(), content.end());
}

// A numeric instruction: opcode (>= 0x100: 0xFC-prefixed), result and operand types.
struct NumOp {
  uint16_t op;
  Ty result;
  uint8_t arity;
  Ty a, b;
  bool traps;  // div/rem/trunc: worth guarding its operands sometimes
};

constexpr Ty I32 = Ty::kI32, I64 = Ty::kI64, F32 = Ty::kF32, F64 = Ty::kF64;

std::vector<NumOp> make_num_ops() {
  std::vector<NumOp> ops;
  auto un = [&](uint16_t op, Ty r, Ty a, bool traps = false) { ops.push_back({op, r, 1, a, a, traps}); };
  auto bin = [&](uint16_t op, Ty r, Ty a, bool traps = false) { ops.push_back({op, r, 2, a, a, traps}); };
  // i32
  un(0x45, I32, I32);
  for (uint16_t op : {0x67, 0x68, 0x69, 0xC0, 0xC1}) un(op, I32, I32);
  for (uint16_t op = 0x6A; op <= 0x78; ++op) bin(op, I32, I32, op >= 0x6D && op <= 0x70);
  for (uint16_t op = 0x46; op <= 0x4F; ++op) bin(op, I32, I32);
  un(0x50, I32, I64);
  for (uint16_t op = 0x51; op <= 0x5A; ++op) bin(op, I32, I64);
  for (uint16_t op = 0x5B; op <= 0x60; ++op) bin(op, I32, F32);
  for (uint16_t op = 0x61; op <= 0x66; ++op) bin(op, I32, F64);
  un(0xA7, I32, I64);
  un(0xA8, I32, F32, true), un(0xA9, I32, F32, true), un(0xAA, I32, F64, true), un(0xAB, I32, F64, true);
  un(0xBC, I32, F32);
  un(0x100, I32, F32), un(0x101, I32, F32), un(0x102, I32, F64), un(0x103, I32, F64);
  // i64
  for (uint16_t op : {0x79, 0x7A, 0x7B, 0xC2, 0xC3, 0xC4}) un(op, I64, I64);
  for (uint16_t op = 0x7C; op <= 0x8A; ++op) bin(op, I64, I64, op >= 0x7F && op <= 0x82);
  un(0xAC, I64, I32), un(0xAD, I64, I32);
  un(0xAE, I64, F32, true), un(0xAF, I64, F32, true), un(0xB0, I64, F64, true), un(0xB1, I64, F64, true);
  un(0xBD, I64, F64);
  un(0x104, I64, F32), un(0x105, I64, F32), un(0x106, I64, F64), un(0x107, I64, F64);
  // f32
  for (uint16_t op = 0x8B; op <= 0x91; ++op) un(op, F32, F32);
  for (uint16_t op = 0x92; op <= 0x98; ++op) bin(op, F32, F32);
  un(0xB2, F32, I32), un(0xB3, F32, I32), un(0xB4, F32, I64), un(0xB5, F32, I64), un(0xB6, F32, F64);
  un(0xBE, F32, I32);
  // f64
  for (uint16_t op = 0x99; op <= 0x9F; ++op) un(op, F64, F64);
  for (uint16_t op = 0xA0; op <= 0xA6; ++op) bin(op, F64, F64);
  un(0xB7, F64, I32), un(0xB8, F64, I32), un(0xB9, F64, I64), un(0xBA, F64, I64), un(0xBB, F64, F32);
  un(0xBF, F64, I64);
  return ops;
}

const std::vector<NumOp>& num_ops(Ty result) {
  static const std::array<std::vector<NumOp>, 4> by_result = [] {
    std::array<std::vector<NumOp>, 4> r;
    for (const NumOp& op : make_num_ops()) r[0x7F - uint8_t(op.result)].push_back(op);
    return r;
  }();
  return by_result[0x7F - uint8_t(result)];
}

// A load or store: opcode, value type, access width in bytes.
struct MemOp {
  uint8_t op;
  Ty type;
  uint8_t bytes;
};
constexpr MemOp kLoads[] = {{0x28, I32, 4}, {0x29, I64, 8}, {0x2A, F32, 4}, {0x2B, F64, 8}, {0x2C, I32, 1},
                            {0x2D, I32, 1}, {0x2E, I32, 2}, {0x2F, I32, 2}, {0x30, I64, 1}, {0x31, I64, 1},
                            {0x32, I64, 2}, {0x33, I64, 2}, {0x34, I64, 4}, {0x35, I64, 4}};
constexpr MemOp kStores[] = {{0x36, I32, 4}, {0x37, I64, 8}, {0x38, F32, 4}, {0x39, F64, 8}, {0x3A, I32, 1},
                             {0x3B, I32, 2}, {0x3C, I64, 1}, {0x3D, I64, 2}, {0x3E, I64, 4}};

constexpr uint32_t kMaxLoopLevels = 3;
constexpr uint32_t kPassiveBytes = 16;  // the passive data segment (index 1)

struct Label {
  Types types;  // what a branch to it carries
};

class Gen {
 public:
  Gen(Choices& c, const GenOptions& options) : c_(c), options_(options) {}

  GenModule run() {
    GenModule m;
    // Function types: the host import's first, then 1-4 random ones.
    types_.push_back({{I32}, {I32}});
    const uint32_t num_func_types = 1 + c_.below(4);
    for (uint32_t i = 0; i < num_func_types; ++i) {
      FuncSig sig;
      const uint32_t np = c_.below(5), nr = c_.below(10) < 7 ? 1 : c_.below(3);
      for (uint32_t p = 0; p < np; ++p) sig.params.push_back(any_type());
      for (uint32_t r = 0; r < nr; ++r) sig.results.push_back(any_type());
      types_.push_back(sig);
    }
    num_func_types_ = uint32_t(types_.size());
    num_funcs_ = 1 + c_.below(5);
    func_type_.push_back(0);  // the host imports
    func_type_.push_back(0);
    for (uint32_t f = 0; f < num_funcs_; ++f) func_type_.push_back(1 + c_.below(num_func_types));
    // Table: the host function and every defined function in a rotated order, then 0-2 null entries.
    const uint32_t total = num_funcs_ + kImports;
    const uint32_t rot = c_.below(total);
    for (uint32_t i = 0; i < total; ++i) table_.push_back((i + rot) % total);
    table_size_ = total + c_.below(3);
    has_mem1_ = c_.percent(30);
    simd_ = c_.percent(40);
    // Tags: none in half the modules; else one or two, with no parameter or one.
    for (uint32_t n = c_.percent(50) ? 1 + c_.below(2) : 0; n > 0; --n) {
      FuncSig sig;
      if (c_.percent(60)) sig.params.push_back(any_type());
      tags_.push_back(type_index(sig));
    }
    mem0_max_ = 1 + c_.below(3);
    mem1_min_ = c_.below(4) == 0 ? 0 : 1;
    // Globals: g0 = the call budget (i32), then 1-5 of random types.
    globals_.push_back(I32);
    global_init_.push_back(0);
    const uint32_t ng = 1 + c_.below(5);
    for (uint32_t g = 0; g < ng; ++g) {
      const Ty t = any_type();
      globals_.push_back(t);
      global_init_.push_back(const_bits(t));
    }

    std::vector<Bytes> bodies;
    for (uint32_t f = kImports; f < kImports + num_funcs_; ++f)
      bodies.push_back(function_body(types_[func_type_[f]]));

    m.num_funcs = num_funcs_;
    m.reenter_params = types_[func_type_[kImports]].params;
    m.num_globals = uint32_t(globals_.size());
    m.has_memory1 = has_mem1_;
    m.fuel = 1 + (c_.percent(30) ? c_.below(3000) : 20'000 + c_.below(200'000));
    m.slice = std::max<uint64_t>(1 + c_.below(300), m.fuel / 64);
    for (uint32_t f = kImports; f < kImports + num_funcs_; ++f) {
      const uint32_t n = 1 + c_.below(2);
      for (uint32_t k = 0; k < n; ++k) {
        GenCall call;
        call.func = f;
        for (Ty t : types_[func_type_[f]].params) {
          call.arg_types.push_back(t);
          call.arg_bits.push_back(const_bits(t));
        }
        m.calls.push_back(std::move(call));
      }
    }
    for (uint32_t f = kImports; f < kImports + num_funcs_; ++f)
      if (c_.percent(20)) m.interpreted += (m.interpreted.empty() ? "" : ",") + std::to_string(f);
    m.wasm = assemble(bodies);
    return m;
  }

 private:
  struct FuncSig {
    Types params, results;
    bool operator==(const FuncSig&) const = default;
  };

  Ty any_type() {
    static constexpr Ty all[] = {I32, I64, F32, F64};
    return all[c_.below(4)];
  }

  // ---------------------------------------------------------------- constants

  uint64_t const_bits(Ty t) {
    switch (t) {
      case Ty::kI32: {
        static constexpr uint32_t special[] = {0, 1,  0xFFFFFFFF, 0x80000000, 0x7FFFFFFF,
                                               2, 31, 32,         0xFFFF,     0x10000};
        switch (c_.below(4)) {
          case 0:
            return c_.below(16);
          case 1:
            return special[c_.below(std::size(special))];
          case 2:
            return uint32_t(int32_t(c_.below(2001)) - 1000);
          default:
            return c_.u32();
        }
      }
      case Ty::kI64: {
        static constexpr uint64_t special[] = {
            0,  1,  ~0ull,        0x8000000000000000ull, 0x7FFFFFFFFFFFFFFFull, 0xFFFFFFFFull, 0x100000000ull,
            63, 64, 0x80000000ull};
        switch (c_.below(4)) {
          case 0:
            return c_.below(16);
          case 1:
            return special[c_.below(std::size(special))];
          case 2:
            return uint64_t(int64_t(c_.below(2001)) - 1000);
          default:
            return c_.u64();
        }
      }
      case Ty::kF32: {
        static constexpr uint32_t special[] = {
            0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x7FC00000, 0xFFC00000, 0x7FA00001, 0x7F800000,
            0xFF800000, 0x3F000000, 0xBF000000, 0x3FC00000, 0x40200000, 0x4F000000, 0xCF000000, 0x4F800000,
            0x5F000000, 0xDF000000, 0x00000001, 0x7F7FFFFF, 0x4B000001, 0xCF000001, 0x3F7FFFFF, 0xBF7FFFFF};
        switch (c_.below(4)) {
          case 0: {
            float f = float(int32_t(c_.below(2001)) - 1000) / 4.0f;
            uint32_t b;
            std::memcpy(&b, &f, 4);
            return b;
          }
          case 1:
          case 2:
            return special[c_.below(std::size(special))];
          default:
            return c_.u32();
        }
      }
      case Ty::kF64: {
        static constexpr uint64_t special[] = {
            0x0000000000000000ull, 0x8000000000000000ull, 0x3FF0000000000000ull, 0xBFF0000000000000ull,
            0x7FF8000000000000ull, 0xFFF8000000000000ull, 0x7FF4000000000001ull, 0x7FF0000000000000ull,
            0xFFF0000000000000ull, 0x3FE0000000000000ull, 0xBFE0000000000000ull, 0x3FF8000000000000ull,
            0x4004000000000000ull, 0x41E0000000000000ull, 0xC1E0000000000000ull, 0x41EFFFFFFFE00000ull,
            0x41F0000000000000ull, 0xC1E0000000200000ull, 0x43E0000000000000ull, 0xC3E0000000000000ull,
            0x43F0000000000000ull, 0x0000000000000001ull, 0x7FEFFFFFFFFFFFFFull, 0x3FEFFFFFFFFFFFFFull};
        switch (c_.below(4)) {
          case 0: {
            double d = double(int32_t(c_.below(2001)) - 1000) / 4.0;
            uint64_t b;
            std::memcpy(&b, &d, 8);
            return b;
          }
          case 1:
          case 2:
            return special[c_.below(std::size(special))];
          default:
            return c_.u64();
        }
      }
    }
    return 0;
  }

  void emit_const(Bytes& b, Ty t, uint64_t bits) {
    switch (t) {
      case Ty::kI32:
        b.push_back(0x41);
        put_s64(b, int32_t(uint32_t(bits)));
        break;
      case Ty::kI64:
        b.push_back(0x42);
        put_s64(b, int64_t(bits));
        break;
      case Ty::kF32:
        b.push_back(0x43);
        for (int i = 0; i < 4; ++i) b.push_back(uint8_t(bits >> (8 * i)));
        break;
      case Ty::kF64:
        b.push_back(0x44);
        for (int i = 0; i < 8; ++i) b.push_back(uint8_t(bits >> (8 * i)));
        break;
    }
  }

  void i32_const(int32_t v) {
    out_.push_back(0x41);
    put_s64(out_, v);
  }

  // ---------------------------------------------------------------- functions

  Bytes function_body(const FuncSig sig) {  // a copy: block types are added to types_ meanwhile
    out_.clear();
    labels_.clear();
    locals_ = sig.params;
    budget_ = 40 + int(c_.below(260));
    loop_level_ = 0;
    // Declared locals: 0-2 of each type, then the loop counters (i32, written only by loop headers).
    Bytes decl;
    uint32_t groups = 0;
    for (Ty t : {I32, I64, F32, F64}) {
      const uint32_t n = c_.below(3);
      if (n == 0) continue;
      ++groups;
      put_u32(decl, n);
      decl.push_back(uint8_t(t));
      for (uint32_t i = 0; i < n; ++i) locals_.push_back(t);
    }
    first_counter_ = uint32_t(locals_.size());
    ++groups;
    put_u32(decl, kMaxLoopLevels);
    decl.push_back(uint8_t(I32));
    // Scratch locals of emit_num_op, after the counters (f32, then f64).
    groups += 2;
    put_u32(decl, 1), decl.push_back(uint8_t(F32));
    put_u32(decl, 1), decl.push_back(uint8_t(F64));
    // With SIMD: two v128 locals after those, which v128 expressions tee and read (values that live
    // across calls and loop iterations: the compiler may hold them in xmm registers).
    if (simd_) {
      ++groups;
      put_u32(decl, 2), decl.push_back(0x7B);
    }

    // Prologue: a function entered with the call budget spent returns zeros at once; else it spends one.
    // Each function has its own limit, so that deep recursion exhausts the call stack now and then only.
    out_.push_back(0x23), put_u32(out_, 0);
    i32_const(int32_t(4 + c_.below(kCallBudget - 3)));
    out_.push_back(0x4F);  // i32.ge_u
    out_.push_back(0x04), out_.push_back(0x40);
    for (Ty t : sig.results) emit_const(out_, t, 0);
    out_.push_back(0x0F);
    out_.push_back(0x0B);
    out_.push_back(0x23), put_u32(out_, 0);
    i32_const(1);
    out_.push_back(0x6A);
    out_.push_back(0x24), put_u32(out_, 0);

    labels_.push_back({sig.results});
    results_ = sig.results;
    stmts(4);
    for (Ty t : sig.results) expr(t, 4);
    out_.push_back(0x0B);

    Bytes body;
    put_u32(body, groups);
    body.insert(body.end(), decl.begin(), decl.end());
    body.insert(body.end(), out_.begin(), out_.end());
    Bytes sized;
    put_u32(sized, body.size());
    sized.insert(sized.end(), body.begin(), body.end());
    return sized;
  }

  // A block type: empty, one value type, or a type index (multi-value, parameters).
  void block_type(const Types& params, const Types& results) {
    if (params.empty() && results.empty()) {
      out_.push_back(0x40);
    } else if (params.empty() && results.size() == 1) {
      out_.push_back(uint8_t(results[0]));
    } else {
      put_s64(out_, int64_t(type_index({params, results})));
    }
  }

  uint32_t type_index(const FuncSig& sig) {
    for (uint32_t i = 0; i < types_.size(); ++i)
      if (types_[i] == sig) return i;
    types_.push_back(sig);
    return uint32_t(types_.size() - 1);
  }

  uint32_t depth_of(size_t label) const { return uint32_t(labels_.size() - 1 - label); }

  // Labels whose branch carries exactly `types`.
  std::vector<size_t> labels_carrying(const Types& types) const {
    std::vector<size_t> r;
    for (size_t i = 0; i < labels_.size(); ++i)
      if (labels_[i].types == types) r.push_back(i);
    return r;
  }

  // Locals of type t the generic code may write (not the loop counters).
  std::vector<uint32_t> writable_locals(Ty t) const {
    std::vector<uint32_t> r;
    for (uint32_t i = 0; i < first_counter_; ++i)
      if (locals_[i] == t) r.push_back(i);
    return r;
  }

  void stmts(int depth) {
    const uint32_t n = c_.below(5);
    for (uint32_t i = 0; i < n && budget_ > 0; ++i) stmt(depth);
  }

  void values(const Types& types, int depth) {
    for (Ty t : types) expr(t, depth);
  }

  // --------------------------------------------------------------- statements (stack effect: none)

  void stmt(int depth) {
    --budget_;
    if (depth <= 0) {
      set_local_or_drop(0);
      return;
    }
    switch (c_.below(20)) {
      case 0:
      case 1:
      case 2:
        set_local_or_drop(depth - 1);
        return;
      case 3: {  // global.set
        const uint32_t g = 1 + c_.below(uint32_t(globals_.size() - 1));
        expr(globals_[g], depth - 1);
        out_.push_back(0x24), put_u32(out_, g);
        return;
      }
      case 4:
      case 5:
        if (simd_ && c_.percent(15)) {
          simd_store(depth);
        } else if (simd_ && c_.percent(20)) {  // local.set of a v128 local
          ivec(depth - 1);
          out_.push_back(0x21), put_u32(out_, first_counter_ + kMaxLoopLevels + 2 + c_.below(2));
        } else {
          store(depth);
        }
        return;
      case 6: {  // a call, results dropped
        const uint32_t f = c_.below(num_funcs_ + kImports);
        const FuncSig sig = types_[func_type_[f]];
        values(sig.params, depth - 1);
        out_.push_back(0x10), put_u32(out_, f);
        for (size_t i = 0; i < sig.results.size(); ++i) out_.push_back(0x1A);
        return;
      }
      case 7: {  // if / else without results
        expr(I32, depth - 1);
        out_.push_back(0x04), out_.push_back(0x40);
        labels_.push_back({});
        stmts(depth - 1);
        if (c_.percent(50)) {
          out_.push_back(0x05);
          stmts(depth - 1);
        }
        labels_.pop_back();
        out_.push_back(0x0B);
        return;
      }
      case 8: {  // block without results
        out_.push_back(0x02), out_.push_back(0x40);
        labels_.push_back({});
        stmts(depth - 1);
        labels_.pop_back();
        out_.push_back(0x0B);
        return;
      }
      case 9:
        if (loop_level_ < kMaxLoopLevels) {
          loop({}, depth);
          return;
        }
        set_local_or_drop(depth - 1);
        return;
      case 10:
      case 11: {  // br_if (the carried values dropped when it falls through)
        const size_t l = c_.below(uint32_t(labels_.size()));
        const Types carried = labels_[l].types;  // a copy: values() pushes labels
        values(carried, depth - 1);
        expr(I32, depth - 1);
        out_.push_back(0x0D), put_u32(out_, depth_of(l));
        for (size_t i = 0; i < carried.size(); ++i) out_.push_back(0x1A);
        return;
      }
      case 12: {  // memory.fill / memory.copy
        const bool copy = c_.percent(50);
        const uint32_t mem = mem_index();
        const uint32_t src = copy ? mem_index() : 0;
        address(depth - 1, mem);
        if (copy)
          address(depth - 1, src);
        else
          expr(I32, depth - 1);
        length(depth - 1);
        out_.push_back(0xFC);
        put_u32(out_, copy ? 10 : 11);
        put_u32(out_, mem);
        if (copy) put_u32(out_, src);
        return;
      }
      case 13:
        if (c_.percent(25)) {
          terminal(depth);
          return;
        }
        set_local_or_drop(depth - 1);
        return;
      case 14:
        table_stmt(depth);
        return;
      case 15:
        if (c_.percent(70)) {  // memory.init from the passive segment (out of range once dropped)
          address(depth - 1, 0);
          i32_const(int32_t(c_.below(kPassiveBytes + 2)));
          i32_const(int32_t(c_.below(8)));
          out_.push_back(0xFC), put_u32(out_, 8), put_u32(out_, 1), put_u32(out_, 0);
        } else {
          out_.push_back(0xFC), put_u32(out_, 9), put_u32(out_, 1);
        }
        return;
      case 16:
        if (!tags_.empty() && c_.percent(30)) {
          const uint32_t tag = c_.below(uint32_t(tags_.size()));
          const Types params = types_[tags_[tag]].params;
          values(params, depth - 1);
          out_.push_back(0x08), put_u32(out_, tag);
          return;
        }
        set_local_or_drop(depth - 1);
        return;
      default: {  // an expression, dropped
        expr(any_type(), depth - 1);
        out_.push_back(0x1A);
        return;
      }
    }
  }

  void set_local_or_drop(int depth) {
    const Ty t = any_type();
    const std::vector<uint32_t> locals = writable_locals(t);
    expr(t, depth);
    if (locals.empty()) {
      out_.push_back(0x1A);
      return;
    }
    out_.push_back(0x21), put_u32(out_, locals[c_.below(uint32_t(locals.size()))]);
  }

  // Code after which the stack is polymorphic: br, br_table, return, unreachable.
  void terminal(int depth) {
    switch (c_.below(4)) {
      case 0: {
        const size_t l = c_.below(uint32_t(labels_.size()));
        const Types carried = labels_[l].types;
        values(carried, depth - 1);
        out_.push_back(0x0C), put_u32(out_, depth_of(l));
        return;
      }
      case 1: {
        const size_t l = c_.below(uint32_t(labels_.size()));
        const Types carried = labels_[l].types;
        const std::vector<size_t> same = labels_carrying(carried);
        values(carried, depth - 1);
        expr(I32, depth - 1);
        const uint32_t n = c_.below(5);
        out_.push_back(0x0E), put_u32(out_, n);
        for (uint32_t i = 0; i < n; ++i) put_u32(out_, depth_of(same[c_.below(uint32_t(same.size()))]));
        put_u32(out_, depth_of(l));
        return;
      }
      case 2:
        values(results_, depth - 1);
        out_.push_back(0x0F);
        return;
      default:
        out_.push_back(0x00);
        return;
    }
  }

  // A bounded loop producing `results`:
  //   block (result R)  ;; exit
  //     i32.const K  local.set $counter
  //     loop (result R)
  //       local.get $counter  i32.eqz  if  <constants of R>  br $exit  end
  //       local.get $counter  i32.const 1  i32.sub  local.set $counter
  //       <statements, which may br to the loop or the exit>  <values of R>
  //     end
  //   end
  // Every way back to the loop header passes the check, and only the header writes the counter.
  void loop(const Types& results, int depth) {
    const uint32_t counter = first_counter_ + loop_level_;
    out_.push_back(0x02), block_type({}, results);
    labels_.push_back({results});
    i32_const(int32_t(c_.below(9)));
    out_.push_back(0x21), put_u32(out_, counter);
    out_.push_back(0x03), block_type({}, results);
    labels_.push_back({});
    ++loop_level_;
    out_.push_back(0x20), put_u32(out_, counter);
    out_.push_back(0x45);
    out_.push_back(0x04), out_.push_back(0x40);
    for (Ty t : results) emit_const(out_, t, const_bits(t));
    out_.push_back(0x0C), put_u32(out_, 2);
    out_.push_back(0x0B);
    out_.push_back(0x20), put_u32(out_, counter);
    i32_const(1);
    out_.push_back(0x6B);
    out_.push_back(0x21), put_u32(out_, counter);
    stmts(depth - 1);
    if (c_.percent(40)) {  // continue
      expr(I32, depth - 1);
      out_.push_back(0x0D), put_u32(out_, 0);
    }
    values(results, depth - 1);
    --loop_level_;
    labels_.pop_back();
    out_.push_back(0x0B);
    labels_.pop_back();
    out_.push_back(0x0B);
  }

  // --------------------------------------------------------------- memory

  uint32_t mem_index() { return has_mem1_ && c_.percent(25) ? 1 : 0; }

  // An address: mostly in bounds or near the end of the first page, sometimes anything.
  void address(int depth, uint32_t mem) {
    // Out of bounds about one access in twenty (a trap ends the call, and the code after it matters too).
    const uint32_t k = c_.below(80);
    if (k < 50) {
      i32_const(int32_t(c_.below(256)));
    } else if (k < 76) {
      expr(I32, depth);
      i32_const(mem == 0 ? 0xFFF8 : 0x3F8);
      out_.push_back(0x71);  // i32.and
    } else if (k < 78) {
      i32_const(int32_t(65536 - c_.below(12)));
    } else if (k < 79) {
      i32_const(int32_t(c_.below(3) * 65536 + c_.below(64) - 32));
    } else {
      expr(I32, depth);
    }
  }

  void length(int depth) {
    switch (c_.below(8)) {
      default:
        i32_const(int32_t(c_.below(64)));
        return;
      case 6:
        expr(I32, depth);
        i32_const(0x1FF);
        out_.push_back(0x71);
        return;
      case 7:
        expr(I32, depth);
        return;
    }
  }

  void memarg(uint8_t bytes, uint32_t mem) {
    const uint32_t max_align = bytes == 8 ? 3 : bytes == 4 ? 2 : bytes == 2 ? 1 : 0;
    const uint32_t align = c_.below(max_align + 1);
    uint64_t offset = 0;
    const uint32_t k = c_.below(80);
    if (k < 50) {
      offset = 0;
    } else if (k < 77) {
      offset = c_.below(64);
    } else if (k < 79) {
      offset = 65536 - c_.below(16);
    } else {
      offset = c_.u32();
    }
    if (mem == 0) {
      put_u32(out_, align);
    } else {
      put_u32(out_, align | 0x40);
      put_u32(out_, mem);
    }
    put_u32(out_, offset);
  }

  void store(int depth) {
    const MemOp& op = kStores[c_.below(std::size(kStores))];
    const uint32_t mem = mem_index();
    address(depth - 1, mem);
    expr(op.type, depth - 1);
    out_.push_back(op.op);
    memarg(op.bytes, mem);
  }

  // --------------------------------------------------------------- expressions (push one value of t)

  void leaf(Ty t) {
    switch (c_.below(3)) {
      case 0: {
        emit_const(out_, t, const_bits(t));
        return;
      }
      case 1: {
        std::vector<uint32_t> ls;
        for (uint32_t i = 0; i < locals_.size(); ++i)
          if (locals_[i] == t) ls.push_back(i);
        if (ls.empty()) break;
        out_.push_back(0x20), put_u32(out_, ls[c_.below(uint32_t(ls.size()))]);
        return;
      }
      default: {
        std::vector<uint32_t> gs;
        for (uint32_t i = 0; i < globals_.size(); ++i)
          if (globals_[i] == t) gs.push_back(i);
        if (gs.empty()) break;
        out_.push_back(0x23), put_u32(out_, gs[c_.below(uint32_t(gs.size()))]);
        return;
      }
    }
    emit_const(out_, t, const_bits(t));
  }

  // An operand of a trapping op, sometimes made harmless so that the code after it runs too.
  void guarded_operand(const NumOp& op, int index, int depth) {
    const Ty t = index == 0 ? op.a : op.b;
    const bool is_div = op.arity == 2;
    if (!c_.percent(50) || (is_div && index == 0)) {
      expr(t, depth);
      return;
    }
    if (is_div) {  // divisor | 1: never zero
      expr(t, depth);
      emit_const(out_, t, 1);
      out_.push_back(t == I32 ? 0x72 : 0x84);
      return;
    }
    // trunc: an in-range float
    double d = double(int32_t(c_.below(20001)) - 10000) / 8.0;
    if (op.op == 0xA9 || op.op == 0xAB || op.op == 0xAF || op.op == 0xB1) d = d < 0 ? -d : d;
    uint64_t bits;
    if (t == F32) {
      float f = float(d);
      uint32_t b;
      std::memcpy(&b, &f, 4);
      bits = b;
    } else {
      std::memcpy(&bits, &d, 8);
    }
    emit_const(out_, t, bits);
  }

  void expr(Ty t, int depth) {
    --budget_;
    if (depth <= 0 || budget_ <= 0) {
      leaf(t);
      return;
    }
    switch (c_.below(32)) {
      case 0:
      case 1:
      case 2:
        leaf(t);
        return;
      case 3:
      case 4:
      case 5:
      case 6:
      case 7:
      case 8:
      case 9:
      case 10:
      case 11: {
        const std::vector<NumOp>& ops = num_ops(t);
        const NumOp& op = ops[c_.below(uint32_t(ops.size()))];
        for (int i = 0; i < op.arity; ++i) {
          if (op.traps)
            guarded_operand(op, i, depth - 1);
          else
            expr(i == 0 ? op.a : op.b, depth - 1);
        }
        emit_num_op(op);
        return;
      }
      case 12:
      case 13: {  // load
        std::vector<const MemOp*> loads;
        for (const MemOp& op : kLoads)
          if (op.type == t) loads.push_back(&op);
        const MemOp& op = *loads[c_.below(uint32_t(loads.size()))];
        const uint32_t mem = mem_index();
        address(depth - 1, mem);
        out_.push_back(op.op);
        memarg(op.bytes, mem);
        return;
      }
      case 14: {  // select, untyped or typed
        expr(t, depth - 1);
        expr(t, depth - 1);
        expr(I32, depth - 1);
        if (c_.percent(50)) {
          out_.push_back(0x1B);
        } else {
          out_.push_back(0x1C), put_u32(out_, 1), out_.push_back(uint8_t(t));
        }
        return;
      }
      case 15: {  // local.tee
        const std::vector<uint32_t> ls = writable_locals(t);
        if (ls.empty()) break;
        expr(t, depth - 1);
        out_.push_back(0x22), put_u32(out_, ls[c_.below(uint32_t(ls.size()))]);
        return;
      }
      case 16: {  // call of a function returning t (the host function among them)
        std::vector<uint32_t> fs;
        for (uint32_t f = 0; f < num_funcs_ + kImports; ++f)
          if (types_[func_type_[f]].results == Types{t}) fs.push_back(f);
        if (fs.empty()) break;
        const uint32_t f = fs[c_.below(uint32_t(fs.size()))];
        const Types params = types_[func_type_[f]].params;
        values(params, depth - 1);
        out_.push_back(0x10), put_u32(out_, f);
        return;
      }
      case 17: {  // call_indirect through the table (index out of range, null or wrong type: a trap)
        // Mostly a table entry holding a function that returns t, called with its own type.
        if (c_.percent(75)) {
          std::vector<uint32_t> slots;
          for (uint32_t i = 0; i < table_.size(); ++i)
            if (types_[func_type_[table_[i]]].results == Types{t}) slots.push_back(i);
          if (!slots.empty()) {
            const uint32_t slot = slots[c_.below(uint32_t(slots.size()))];
            const uint32_t type = func_type_[table_[slot]];
            const Types params = types_[type].params;
            values(params, depth - 1);
            i32_const(int32_t(slot));
            out_.push_back(0x11), put_u32(out_, type), put_u32(out_, 0);
            return;
          }
        }
        // Else any type (a mismatch, unless equal) and any index (out of range, null).
        std::vector<uint32_t> ts;
        const bool any = c_.percent(20);
        for (uint32_t i = 0; i < types_.size(); ++i) {
          const bool of_func =
              i < num_func_types_ && std::find(func_type_.begin(), func_type_.end(), i) != func_type_.end();
          if (types_[i].results == Types{t} && (any || of_func)) ts.push_back(i);
        }
        if (ts.empty()) break;
        const uint32_t type = ts[c_.below(uint32_t(ts.size()))];
        const Types params = types_[type].params;
        values(params, depth - 1);
        if (c_.percent(70)) {
          i32_const(int32_t(c_.below(table_size_ + 1)));
        } else {
          expr(I32, depth - 1);
          i32_const(7);
          out_.push_back(0x71);
        }
        out_.push_back(0x11), put_u32(out_, type), put_u32(out_, 0);
        return;
      }
      case 18:
      case 19: {  // block (result t), sometimes with a parameter or a second result
        const uint32_t shape = c_.below(3);
        if (shape == 1) {  // [p] -> [t]: the parameter is stored or dropped first
          const Ty p = any_type();
          expr(p, depth - 1);
          out_.push_back(0x02), block_type({p}, {t});
          labels_.push_back({{t}});
          const std::vector<uint32_t> ls = writable_locals(p);
          if (ls.empty() || c_.percent(30)) {
            out_.push_back(0x1A);
          } else {
            out_.push_back(0x21), put_u32(out_, ls[c_.below(uint32_t(ls.size()))]);
          }
        } else if (shape == 2) {  // [] -> [t u], u dropped after the block
          const Ty u = any_type();
          out_.push_back(0x02), block_type({}, {t, u});
          labels_.push_back({{t, u}});
        } else {
          out_.push_back(0x02), block_type({}, {t});
          labels_.push_back({{t}});
        }
        const Types results = labels_.back().types;
        stmts(depth - 1);
        values(results, depth - 1);
        labels_.pop_back();
        out_.push_back(0x0B);
        if (results.size() == 2) out_.push_back(0x1A);
        return;
      }
      case 20:
      case 21: {  // if (result t) else
        expr(I32, depth - 1);
        out_.push_back(0x04), block_type({}, {t});
        labels_.push_back({{t}});
        stmts(depth - 1);
        expr(t, depth - 1);
        out_.push_back(0x05);
        stmts(depth - 1);
        expr(t, depth - 1);
        labels_.pop_back();
        out_.push_back(0x0B);
        return;
      }
      case 22:
        if (loop_level_ >= kMaxLoopLevels) break;
        loop({t}, depth);
        return;
      case 23: {  // br_if carrying t
        const std::vector<size_t> ls = labels_carrying({t});
        if (ls.empty()) break;
        expr(t, depth - 1);
        expr(I32, depth - 1);
        out_.push_back(0x0D), put_u32(out_, depth_of(ls[c_.below(uint32_t(ls.size()))]));
        return;
      }
      case 24:
        if (t != I32) break;
        if (c_.percent(50)) {
          out_.push_back(0x3F), put_u32(out_, mem_index());
        } else {
          const uint32_t mem = mem_index();
          if (c_.percent(60)) {
            i32_const(int32_t(c_.below(3)));
          } else {
            expr(I32, depth - 1);
          }
          out_.push_back(0x40), put_u32(out_, mem);
        }
        return;
      case 25:
        if (!c_.percent(15)) break;
        terminal(depth);
        return;
      case 26:
        if (t != I32) break;
        switch (c_.below(3)) {
          case 0:
            ref(depth - 1);
            out_.push_back(0xD1);  // ref.is_null
            return;
          case 1:
            out_.push_back(0xFC), put_u32(out_, 16), put_u32(out_, 0);  // table.size
            return;
          default:
            ref(depth - 1);
            i32_const(int32_t(c_.below(3)));
            out_.push_back(0xFC), put_u32(out_, 15), put_u32(out_, 0);  // table.grow
            return;
        }
      case 27:
        if (!simd_ || (t != I32 && t != I64)) break;
        simd_detour(t, depth);
        return;
      case 28:
      case 29:
        if (tags_.empty()) break;
        try_table(t, depth);
        return;
      default:
        break;
    }
    // The common fallback: arithmetic on smaller expressions.
    const std::vector<NumOp>& ops = num_ops(t);
    const NumOp& op = ops[c_.below(uint32_t(ops.size()))];
    if (op.traps) {
      leaf(t);
      return;
    }
    for (int i = 0; i < op.arity; ++i) expr(i == 0 ? op.a : op.b, depth - 1);
    emit_num_op(op);
  }

  // A numeric instruction whose operands are on the stack. With GenOptions::isolate_nan_operands, the
  // second operand of a commutative float op (add, mul, min, max) is replaced by 0 if it is a NaN:
  //   local.tee $scratch  f.const 0  local.get $scratch  local.get $scratch  f.eq  select
  // so that the op never sees two NaNs, whose result depends on the operand order.
  void emit_num_op(const NumOp& op) {
    static constexpr uint16_t commutative[] = {0x92, 0x94, 0x96, 0x97, 0xA0, 0xA2, 0xA4, 0xA5};
    if (options_.isolate_nan_operands &&
        std::find(std::begin(commutative), std::end(commutative), op.op) != std::end(commutative)) {
      const bool f32 = op.a == F32;
      const uint32_t scratch = first_counter_ + kMaxLoopLevels + (f32 ? 0 : 1);
      out_.push_back(0x22), put_u32(out_, scratch);
      emit_const(out_, op.a, 0);
      out_.push_back(0x20), put_u32(out_, scratch);
      out_.push_back(0x20), put_u32(out_, scratch);
      out_.push_back(f32 ? 0x5B : 0x61);  // eq
      out_.push_back(0x1B);
    }
    if (op.op >= 0x100) {
      out_.push_back(0xFC);
      put_u32(out_, op.op & 0xFF);
    } else {
      out_.push_back(uint8_t(op.op));
    }
  }

  // A funcref: null, a function, or a table element (out of range: a trap).
  void ref(int depth) {
    switch (c_.below(3)) {
      case 0:
        out_.push_back(0xD0), out_.push_back(0x70);
        return;
      case 1:
        out_.push_back(0xD2), put_u32(out_, c_.below(num_funcs_ + kImports));
        return;
      default:
        if (depth > 0 && c_.percent(30)) {
          expr(I32, depth - 1);
        } else {
          table_index();
        }
        out_.push_back(0x25), put_u32(out_, 0);  // table.get
        return;
    }
  }

  // A table index, out of range now and then.
  void table_index() {
    i32_const(int32_t(c_.percent(90) ? c_.below(table_size_) : table_size_ + c_.below(3)));
  }

  void table_stmt(int depth) {
    switch (c_.below(3)) {
      case 0:  // table.set
        table_index();
        ref(depth - 1);
        out_.push_back(0x26), put_u32(out_, 0);
        return;
      case 1:  // table.fill
        table_index();
        ref(depth - 1);
        i32_const(int32_t(c_.below(3)));
        out_.push_back(0xFC), put_u32(out_, 17), put_u32(out_, 0);
        return;
      default:  // table.copy
        table_index();
        table_index();
        i32_const(int32_t(c_.below(3)));
        out_.push_back(0xFC), put_u32(out_, 14), put_u32(out_, 0), put_u32(out_, 0);
        return;
    }
  }

  // ---- SIMD: an i32 or i64 computed through v128 expressions (the baseline compiler translates most
  // SIMD ops inline, the rest into calls of the interpreter's handlers: both are compared here). Float
  // vectors come only from integer conversions, so every NaN in them is the one x86 creates (0/0,
  // inf - inf, sqrt(-1): the default NaN): whichever operand of two NaNs an implementation propagates,
  // the bits are the same. (A NaN with a payload could otherwise make two correct tiers disagree.)
  void simd_op(uint32_t op) { out_.push_back(0xFD), put_u32(out_, op); }
  void simd_detour(Ty t, int depth) {
    ivec(depth - 1);
    if (t == I64) {
      simd_op(0x1D), out_.push_back(uint8_t(c_.below(2)));  // i64x2.extract_lane
      return;
    }
    switch (c_.below(5)) {
      case 0: {  // extract_lane: i8x16 s/u, i16x8 s/u, i32x4
        static constexpr uint8_t ops[] = {0x15, 0x16, 0x18, 0x19, 0x1B}, lanes[] = {16, 16, 8, 8, 4};
        const uint32_t k = c_.below(5);
        simd_op(ops[k]), out_.push_back(uint8_t(c_.below(lanes[k])));
        return;
      }
      case 1:
        simd_op(0x53);  // v128.any_true
        return;
      case 2: {  // all_true
        static constexpr uint32_t ops[] = {0x63, 0x83, 0xA3, 0xC3};
        simd_op(ops[c_.below(4)]);
        return;
      }
      case 3: {  // bitmask
        static constexpr uint32_t ops[] = {0x64, 0x84, 0xA4, 0xC4};
        simd_op(ops[c_.below(4)]);
        return;
      }
      default:
        simd_op(0x1B), out_.push_back(uint8_t(c_.below(4)));
        return;
    }
  }
  // A v128 of integer lanes (or any bits).
  void ivec(int depth) {
    --budget_;
    const uint32_t v128_local = first_counter_ + kMaxLoopLevels + 2 + c_.below(2);
    const uint32_t k = depth <= 0 || budget_ <= 0 ? c_.below(3) : c_.below(20);
    switch (k) {
      case 2:
      case 17:
      case 18:  // a v128 local (zero until set)
        out_.push_back(0x20), put_u32(out_, v128_local);
        return;
      case 14:
      case 15:
      case 19:  // local.tee of a v128 local
        ivec(depth - 1);
        out_.push_back(0x22), put_u32(out_, v128_local);
        return;
      case 0: {  // splat
        static constexpr uint32_t ops[] = {0x0F, 0x10, 0x11, 0x12};
        const uint32_t op = ops[c_.below(4)];
        expr(op == 0x12 ? I64 : I32, depth - 1);
        simd_op(op);
        return;
      }
      case 1:  // v128.const
        simd_op(0x0C);
        for (int i = 0; i < 4; ++i) {
          const uint32_t w = c_.u32();
          for (int b = 0; b < 4; ++b) out_.push_back(uint8_t(w >> (8 * b)));
        }
        return;
      case 13: {  // loads: v128, extending, splatting, zero-filling
        static constexpr std::pair<uint32_t, uint8_t> ops[] = {
            {0x00, 16}, {0x01, 8}, {0x02, 8}, {0x03, 8}, {0x04, 8}, {0x05, 8}, {0x06, 8},
            {0x07, 1},  {0x08, 2}, {0x09, 4}, {0x0A, 8}, {0x5C, 4}, {0x5D, 8}};
        const auto [op, bytes] = ops[c_.below(std::size(ops))];
        const uint32_t mem = mem_index();
        address(depth - 1, mem);
        simd_op(op);
        memarg(bytes == 16 ? 8 : bytes, mem);
        return;
      }
      case 3:
      case 4:
      case 5: {  // binary
        static constexpr uint8_t ops[] = {
            0x0E, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x31,
            0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x40, 0x4E,
            0x4F, 0x50, 0x51, 0x65, 0x66, 0x6E, 0x6F, 0x70, 0x71, 0x72, 0x73, 0x76, 0x77, 0x78, 0x79, 0x7B,
            0x82, 0x85, 0x86, 0x8E, 0x8F, 0x90, 0x91, 0x92, 0x93, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9B, 0x9C,
            0x9D, 0x9E, 0x9F, 0xAE, 0xB1, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xBC, 0xBD, 0xBE, 0xBF, 0xCE,
            0xD1, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF};
        ivec(depth - 1);
        ivec(depth - 1);
        simd_op(ops[c_.below(std::size(ops))]);
        return;
      }
      case 6: {  // unary
        static constexpr uint8_t ops[] = {0x4D, 0x60, 0x61, 0x62, 0x7C, 0x7D, 0x7E, 0x7F, 0x80,
                                          0x81, 0x87, 0x88, 0x89, 0x8A, 0xA0, 0xA1, 0xA7, 0xA8,
                                          0xA9, 0xAA, 0xC0, 0xC1, 0xC7, 0xC8, 0xC9, 0xCA};
        ivec(depth - 1);
        simd_op(ops[c_.below(std::size(ops))]);
        return;
      }
      case 7: {  // shifts by an i32 (any value: taken modulo the lane width)
        static constexpr uint8_t ops[] = {0x6B, 0x6C, 0x6D, 0x8B, 0x8C, 0x8D,
                                          0xAB, 0xAC, 0xAD, 0xCB, 0xCC, 0xCD};
        ivec(depth - 1);
        expr(I32, depth - 1);
        simd_op(ops[c_.below(std::size(ops))]);
        return;
      }
      case 8:  // i8x16.shuffle
        ivec(depth - 1);
        ivec(depth - 1);
        simd_op(0x0D);
        for (int i = 0; i < 16; ++i) out_.push_back(uint8_t(c_.below(32)));
        return;
      case 9:  // v128.bitselect
        ivec(depth - 1);
        ivec(depth - 1);
        ivec(depth - 1);
        simd_op(0x52);
        return;
      case 10: {  // replace_lane (integer scalars; the float forms take their bits through a splat)
        static constexpr uint8_t ops[] = {0x17, 0x1A, 0x1C, 0x1E}, lanes[] = {16, 8, 4, 2};
        const uint32_t i = c_.below(4);
        ivec(depth - 1);
        expr(ops[i] == 0x1E ? I64 : I32, depth - 1);
        simd_op(ops[i]), out_.push_back(uint8_t(c_.below(lanes[i])));
        return;
      }
      case 11: {  // load lane
        static constexpr std::pair<uint32_t, uint8_t> ops[] = {{0x54, 1}, {0x55, 2}, {0x56, 4}, {0x57, 8}};
        const auto [op, bytes] = ops[c_.below(4)];
        const uint32_t mem = mem_index();
        address(depth - 1, mem);
        ivec(depth - 1);
        simd_op(op);
        memarg(bytes, mem);
        out_.push_back(uint8_t(c_.below(16 / bytes)));
        return;
      }
      case 12: {  // f32x4 to lanes: compares, abs/neg, trunc_sat, or the bits
        const bool f64 = c_.percent(40);
        switch (c_.below(4)) {
          case 0:
            fvec(f64, depth - 1);
            fvec(f64, depth - 1);
            simd_op((f64 ? 0x47 : 0x41) + c_.below(6));  // eq ne lt gt le ge
            return;
          case 1:
            fvec(f64, depth - 1);
            simd_op(f64 ? (c_.percent(50) ? 0xEC : 0xED) : (c_.percent(50) ? 0xE0 : 0xE1));  // abs, neg
            return;
          case 2:
            fvec(f64, depth - 1);
            simd_op(f64 ? (c_.percent(50) ? 0xFC : 0xFD) : (c_.percent(50) ? 0xF8 : 0xF9));  // trunc_sat
            return;
          default:
            fvec(f64, depth - 1);
            return;
        }
      }
      default:  // f32x4 lanes replaced from f32/f64 scalars, splats of floats
        if (c_.percent(50)) {
          ivec(depth - 1);
          expr(F32, depth - 1);
          simd_op(0x20), out_.push_back(uint8_t(c_.below(4)));  // f32x4.replace_lane
        } else {
          expr(F64, depth - 1);
          simd_op(0x14);  // f64x2.splat
        }
        return;
    }
  }
  // A v128 of float lanes made from integers (see above), f32x4 or f64x2.
  void fvec(bool f64, int depth) {
    --budget_;
    const uint32_t k = depth <= 0 || budget_ <= 0 ? c_.below(2) : c_.below(5);
    switch (k) {
      case 0:  // converted integer lanes
        ivec(depth - 1);
        simd_op(f64 ? (c_.percent(50) ? 0xFE : 0xFF) : (c_.percent(50) ? 0xFA : 0xFB));
        return;
      case 1:  // a splat of a converted i32
        expr(I32, depth - 1);
        out_.push_back(f64 ? 0xB7 : 0xB2);  // f64.convert_i32_s, f32.convert_i32_s
        simd_op(f64 ? 0x14 : 0x13);
        return;
      case 2:
      case 3: {  // add sub mul div min max pmin pmax
        fvec(f64, depth - 1);
        fvec(f64, depth - 1);
        simd_op((f64 ? 0xF0 : 0xE4) + c_.below(8));
        return;
      }
      default: {  // sqrt, ceil, floor, trunc, nearest; promote / demote
        if (c_.percent(15)) {
          fvec(!f64, depth - 1);
          simd_op(f64 ? 0x5F : 0x5E);
          return;
        }
        static constexpr uint32_t f32_ops[] = {0xE3, 0x67, 0x68, 0x69, 0x6A},
                                  f64_ops[] = {0xEF, 0x74, 0x75, 0x7A, 0x94};
        fvec(f64, depth - 1);
        simd_op((f64 ? f64_ops : f32_ops)[c_.below(5)]);
        return;
      }
    }
  }
  // v128.store or a lane store (a statement).
  void simd_store(int depth) {
    static constexpr std::pair<uint32_t, uint8_t> ops[] = {
        {0x0B, 16}, {0x58, 1}, {0x59, 2}, {0x5A, 4}, {0x5B, 8}};
    const auto [op, bytes] = ops[c_.percent(60) ? 0 : 1 + c_.below(4)];
    const uint32_t mem = mem_index();
    address(depth - 1, mem);
    ivec(depth - 1);
    simd_op(op);
    memarg(bytes == 16 ? 8 : bytes, mem);
    if (bytes != 16) out_.push_back(uint8_t(c_.below(16 / bytes)));
  }

  // try_table producing t, with a handler that catches one tag (its payload dropped) or anything:
  //   block $done (result t)
  //     block $handler (result <tag params>)   ;; or no result for catch_all
  //       try_table (result t) (catch $tag $handler) | (catch_all $handler)
  //         <statements, calls>  <t>
  //       end
  //       br $done
  //     end
  //     <drop the payload>  <t>
  //   end
  void try_table(Ty t, int depth) {
    const bool all = c_.percent(30);
    const uint32_t tag = c_.below(uint32_t(tags_.size()));
    const Types payload = all ? Types{} : types_[tags_[tag]].params;
    out_.push_back(0x02), block_type({}, {t});
    labels_.push_back({{t}});
    out_.push_back(0x02), block_type({}, payload);
    labels_.push_back({payload});
    out_.push_back(0x1F), block_type({}, {t});
    put_u32(out_, 1);
    if (all) {
      out_.push_back(0x02), put_u32(out_, 0);
    } else {
      out_.push_back(0x00), put_u32(out_, tag), put_u32(out_, 0);
    }
    labels_.push_back({{t}});
    stmts(depth - 1);
    expr(t, depth - 1);
    labels_.pop_back();
    out_.push_back(0x0B);
    out_.push_back(0x0C), put_u32(out_, 1);
    labels_.pop_back();
    out_.push_back(0x0B);
    for (size_t i = 0; i < payload.size(); ++i) out_.push_back(0x1A);
    expr(t, depth - 1);
    labels_.pop_back();
    out_.push_back(0x0B);
  }

  // --------------------------------------------------------------- the module

  Bytes assemble(const std::vector<Bytes>& bodies) {
    Bytes m = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    Bytes s;
    put_u32(s, types_.size());
    for (const FuncSig& sig : types_) {
      s.push_back(0x60);
      put_u32(s, sig.params.size());
      for (Ty t : sig.params) s.push_back(uint8_t(t));
      put_u32(s, sig.results.size());
      for (Ty t : sig.results) s.push_back(uint8_t(t));
    }
    put_section(m, 1, s);

    s.clear();
    put_u32(s, kImports);
    put_name(s, "env"), put_name(s, "h");
    s.push_back(0x00), put_u32(s, 0);
    put_name(s, "env"), put_name(s, "r");
    s.push_back(0x00), put_u32(s, 0);
    put_section(m, 2, s);

    s.clear();
    put_u32(s, num_funcs_);
    for (uint32_t f = kImports; f < kImports + num_funcs_; ++f) put_u32(s, func_type_[f]);
    put_section(m, 3, s);

    s.clear();
    put_u32(s, 1);
    s.push_back(0x70), s.push_back(0x01), put_u32(s, table_size_), put_u32(s, table_size_ + 4);
    put_section(m, 4, s);

    s.clear();
    put_u32(s, has_mem1_ ? 2 : 1);
    s.push_back(0x01), put_u32(s, 1), put_u32(s, mem0_max_);
    if (has_mem1_) s.push_back(0x01), put_u32(s, mem1_min_), put_u32(s, 2);
    put_section(m, 5, s);

    if (!tags_.empty()) {
      s.clear();
      put_u32(s, tags_.size());
      for (uint32_t type : tags_) s.push_back(0x00), put_u32(s, type);
      put_section(m, 13, s);
    }

    s.clear();
    put_u32(s, globals_.size());
    for (size_t g = 0; g < globals_.size(); ++g) {
      s.push_back(uint8_t(globals_[g])), s.push_back(0x01);
      emit_const(s, globals_[g], global_init_[g]);
      s.push_back(0x0B);
    }
    put_section(m, 6, s);

    s.clear();
    put_u32(s, num_funcs_ + (has_mem1_ ? 2 : 1) + globals_.size());
    for (uint32_t f = kImports; f < kImports + num_funcs_; ++f) {
      put_name(s, "f" + std::to_string(f));
      s.push_back(0x00), put_u32(s, f);
    }
    put_name(s, "mem"), s.push_back(0x02), put_u32(s, 0);
    if (has_mem1_) put_name(s, "mem1"), s.push_back(0x02), put_u32(s, 1);
    for (size_t g = 0; g < globals_.size(); ++g) {
      put_name(s, "g" + std::to_string(g));
      s.push_back(0x03), put_u32(s, g);
    }
    put_section(m, 7, s);

    s.clear();
    put_u32(s, 1);
    s.push_back(0x00);
    s.push_back(0x41), put_s64(s, 0), s.push_back(0x0B);
    put_u32(s, table_.size());
    for (uint32_t f : table_) put_u32(s, f);
    put_section(m, 9, s);

    s.clear();
    put_u32(s, 2);
    put_section(m, 12, s);  // data count (memory.init, data.drop)

    s.clear();
    put_u32(s, bodies.size());
    for (const Bytes& b : bodies) s.insert(s.end(), b.begin(), b.end());
    put_section(m, 10, s);

    s.clear();
    put_u32(s, 2);
    s.push_back(0x00);
    s.push_back(0x41), put_s64(s, int32_t(c_.below(128))), s.push_back(0x0B);
    const uint32_t n = c_.below(32);
    put_u32(s, n);
    for (uint32_t i = 0; i < n; ++i) s.push_back(c_.byte());
    s.push_back(0x01);  // passive, for memory.init
    put_u32(s, kPassiveBytes);
    for (uint32_t i = 0; i < kPassiveBytes; ++i) s.push_back(c_.byte());
    put_section(m, 11, s);
    return m;
  }

  Choices& c_;
  const GenOptions options_;
  std::vector<FuncSig> types_;
  uint32_t num_func_types_ = 0;
  uint32_t num_funcs_ = 0;
  std::vector<uint32_t> func_type_;  // by function index; 0, 1 = the host imports
  std::vector<uint32_t> table_;      // the element segment at table offset 0
  uint32_t table_size_ = 0;
  bool has_mem1_ = false;
  uint32_t mem0_max_ = 1;
  uint32_t mem1_min_ = 0;
  bool simd_ = false;
  std::vector<uint32_t> tags_;  // type index of each tag
  Types globals_;
  std::vector<uint64_t> global_init_;

  // The function being generated.
  Bytes out_;
  Types locals_;
  Types results_;
  uint32_t first_counter_ = 0;
  uint32_t loop_level_ = 0;
  std::vector<Label> labels_;
  int budget_ = 0;
};

}  // namespace

GenModule generate(Choices& choices, const GenOptions& options) {
  return Gen(choices, options).run();
}

}  // namespace airwasm::fuzzgen
