// baseline: the SIMD ops, translated into calls of out-of-line functions made from the interpreter's own
// SIMD handlers (src/interp/simd_handlers.inc is included twice here with other macro definitions), so
// both tiers share one implementation of the 236 SIMD ops and cannot disagree on a lane. A call costs
// more than the interpreter's dispatch, so SIMD-heavy code is not faster compiled; what this gives is
// that functions using SIMD are compiled as a whole (their scalar code, control flow and calls run
// natively) instead of falling back to the interpreter. Inline SSE code for the common ops is future work
// (docs/compiler.md).
//
// Each handler becomes `uint32_t f(uint8_t* fp, const uint8_t* pc, uint8_t* mem_base, uint64_t mem_size)`
// returning 0, or a TrapCode + 1 (a load or store out of bounds), as OpEmitter::call_trapping_helper
// expects. A second instantiation in "probe" mode runs each handler on dummy operands to learn the
// instruction's size (its NEXT), which the translator needs at compile time.
#include <array>
#include <cstring>

#include "baseline/emitter.hh"
#include "interp/simd_fast.hh"

#define AIRWASM_SIMD_HANDLERS_AS_FUNCTIONS

namespace airwasm::baseline {

using interp::IOp;
namespace simd = interp::simd;

namespace {

template <typename T>
inline T rd(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename T>
inline void wr(void* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

using SimdFn = uint32_t (*)(uint8_t* fp, const uint8_t* pc, uint8_t* mem_base, uint64_t mem_size);
using SizeFn = uint32_t (*)(const uint8_t* pc);

struct Tables {
  std::array<SimdFn, interp::kIOpCount> run{};
  std::array<SizeFn, interp::kIOpCount> size{};
};
Tables& tables() {
  static Tables t;
  return t;
}

// ---- the handlers as functions ----
namespace run {
#define OPND(n) rd<uint32_t>(pc + 8 + 4 * (n))
#define SLOT(n) (fp + OPND(n))
#define GET(T, n) rd<T>(SLOT(n))
#define SET(T, n, v) wr<T>(SLOT(n), (v))
#define NEXT(size) return 0
#define TRAP(code) return uint32_t(code) + 1
#define HANDLE(name)                                                                                      \
  uint32_t simd_##name(uint8_t* fp, const uint8_t* pc, uint8_t* mem_base, uint64_t mem_size);             \
  [[maybe_unused]] const bool registered_##name = (tables().run[size_t(IOp::name)] = &simd_##name, true); \
  uint32_t simd_##name(uint8_t* fp, const uint8_t* pc, uint8_t* mem_base, uint64_t mem_size)
#include "interp/simd_handlers.inc"
#undef HANDLE
#undef TRAP
#undef NEXT
#undef SET
#undef GET
#undef SLOT
#undef SIMD_GETV
#undef SIMD_SETV
#undef SIMD_EA
}  // namespace run

// ---- the same handlers on dummy operands: their NEXT is the instruction's size ----
namespace probe {
alignas(16) uint8_t scratch[64];
#define SLOT(n) (scratch + 0 * OPND(n))
#define GET(T, n) rd<T>(SLOT(n))
#define SET(T, n, v) wr<T>(SLOT(n), (v))
#define NEXT(size) return (size)
#define TRAP(code) return 0
#define HANDLE(name)                                                                                       \
  uint32_t size_##name(const uint8_t* pc);                                                                 \
  [[maybe_unused]] const bool registered_##name = (tables().size[size_t(IOp::name)] = &size_##name, true); \
  uint32_t size_##name(const uint8_t* pc)
// The handlers' memory accesses go to the scratch too, and never trap.
#define SIMD_EA(ea, addr_operand, offset_operand, bytes) [[maybe_unused]] const uint64_t ea = 0
[[maybe_unused]] constexpr uint64_t mem_size = 0;
uint8_t* const mem_base = scratch;
#include "interp/simd_handlers.inc"
#undef HANDLE
}  // namespace probe

}  // namespace

Result<uint32_t> emit_simd_op(OpEmitter& e, IOp op) {
  const SimdFn fn = tables().run[size_t(op)];
  const SizeFn size_of = tables().size[size_t(op)];
  if (fn == nullptr || size_of == nullptr) return 0u;
  const uint32_t size = size_of(e.pc());
  jit::Assembler& a = e.as();
  a.mov(jit::Size::k64, jit::Reg::rdi, kFpReg);
  a.mov_imm(jit::Size::k64, jit::Reg::rsi, reinterpret_cast<uint64_t>(e.pc()));
  a.mov(jit::Size::k64, jit::Reg::rdx, kMemBaseReg);
  a.mov(jit::Size::k64, jit::Reg::rcx, kMemSizeReg);
  e.call_trapping_helper(reinterpret_cast<const void*>(fn), HelperEffects::kPure);
  return size;
}

}  // namespace airwasm::baseline
