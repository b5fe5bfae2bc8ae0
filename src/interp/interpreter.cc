// interp: the dispatch loop. One function, direct-threaded with computed goto (labels-as-values): every
// lowered instruction begins with the address of its handler, so dispatch is one indirect jump.
// Registers: pc (current instruction), fp (frame base: slot 0 = first parameter), inst (current
// instance), mem_base/mem_size (memory 0 of inst), fuel (budget of this activation), frame_top.
// Wasm-to-wasm calls push a Frame record and never recurse natively; host calls do (re-entry is
// allowed but such nested activations cannot be suspended). Handlers read all operands before writing
// their destination, since the lowering may alias a destination with an operand.
// Interruption is checked on taken backward branches (only loops jump backwards) and at calls.
// Fuel: see iops.def. A transfer that cannot pay for the block it enters stops at that block's start
// with the charge pending (ExecContext::pending_charge), which a resumed run pays first.
// Layout conventions are documented in iops.def and lower_ops.cc.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>

#include "interp/compiled.hh"
#include "interp/exec.hh"
#include "interp/iop.hh"
#include "interp/numeric.hh"
#include "interp/simd_fast.hh"

namespace airwasm::interp {

namespace {

template <typename T>
inline T rd(const void* p) {
  T v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
template <typename T>
inline void wr(void* p, T v) {
  __builtin_memcpy(p, &v, sizeof v);
}

const void* const* g_handler_table = nullptr;
const void* g_invalid_handler = nullptr;

RunStatus run_impl(ExecContext* ctxp);

}  // namespace

#ifdef AIRWASM_OP_STATS
void op_stats_record(const void* handler);  // op_stats.cc
#endif

const void* const* handler_table() {
  static const void* const* table = (run_impl(nullptr), g_handler_table);
  return table;
}

bool iop_implemented(IOp op) {
  return handler_table()[size_t(op)] != g_invalid_handler;
}

namespace {

// Operand access: operands are u32 fields after the 8-byte handler address.
#define OPND(n) rd<uint32_t>(pc + 8 + 4 * (n))
#define SLOT(n) (reinterpret_cast<uint8_t*>(fp) + OPND(n))
#define GET(T, n) rd<T>(SLOT(n))
#define SET(T, n, v) wr<T>(SLOT(n), (v))
#ifdef AIRWASM_OP_STATS
// Profiling build (cmake -DAIRWASM_OP_STATS=ON): counts executed internal ops and op pairs.
#define DISPATCH()                        \
  do {                                    \
    op_stats_record(rd<const void*>(pc)); \
    goto* rd<const void*>(pc);            \
  } while (0)
#else
#define DISPATCH() goto* rd<const void*>(pc)
#endif
#define NEXT(size) \
  do {             \
    pc += (size);  \
    DISPATCH();    \
  } while (0)
#define HANDLE(name) L_##name:
#define TRAP(code)      \
  do {                  \
    trap_code = (code); \
    goto trap;          \
  } while (0)
#define RELOAD_MEMORY()                 \
  do {                                  \
    MemoryInst* m_ = inst->memory0;     \
    mem_base = m_ ? m_->base : nullptr; \
    mem_size = m_ ? m_->size_bytes : 0; \
  } while (0)

// Taking a branch: backward branches check for interruption and, every kTierBackEdgeChunk of them, look
// at tiering (tier_poll); with fuel, entering a block charges it (after the poll, which hands the charge
// to compiled code when it switches there).
#define BACK_EDGE(cost)                                          \
  do {                                                           \
    if (interrupt->load(std::memory_order_relaxed)) [[unlikely]] \
      goto interrupted;                                          \
    if (--ctx.back_edges_left == 0) [[unlikely]] {               \
      pending = (cost);                                          \
      goto tier_poll;                                            \
    }                                                            \
  } while (0)
#define GO_REL(rel)            \
  do {                         \
    const int32_t r_ = (rel);  \
    pc += r_;                  \
    if (r_ <= 0) BACK_EDGE(0); \
    DISPATCH();                \
  } while (0)
#define CHARGE_AND_DISPATCH(cost) \
  do {                            \
    const int64_t c_ = (cost);    \
    if (fuel < c_) [[unlikely]] { \
      pending = c_;               \
      goto out_of_fuel;           \
    }                             \
    fuel -= c_;                   \
    DISPATCH();                   \
  } while (0)
#define GO_REL_CHARGED(rel, cost)  \
  do {                             \
    const int32_t r_ = (rel);      \
    const uint32_t cost_ = (cost); \
    pc += r_;                      \
    if (r_ <= 0) BACK_EDGE(cost_); \
    CHARGE_AND_DISPATCH(cost_);    \
  } while (0)

// ---- handler families ----
#define UNOP(name, T, R, expr) \
  HANDLE(name) {               \
    const T a = GET(T, 1);     \
    SET(R, 0, (expr));         \
    NEXT(16);                  \
  }
#define BINOP(name, T, R, expr) \
  HANDLE(name) {                \
    const T a = GET(T, 1);      \
    const T b = GET(T, 2);      \
    SET(R, 0, (expr));          \
    NEXT(20);                   \
  }
#define BINOP_I32(name, T, R, expr) \
  HANDLE(name) {                    \
    const T a = GET(T, 1);          \
    const T b = T(OPND(2));         \
    SET(R, 0, (expr));              \
    NEXT(20);                       \
  }
#define BINOP_I64(name, T, R, expr) \
  HANDLE(name) {                    \
    const T a = GET(T, 1);          \
    const T b = rd<T>(pc + 16);     \
    SET(R, 0, (expr));              \
    NEXT(24);                       \
  }
#define LOAD(name, M, R)                                      \
  HANDLE(name) {                                              \
    const uint64_t ea = uint64_t(GET(uint32_t, 1)) + OPND(2); \
    if (ea + sizeof(M) > mem_size) [[unlikely]]               \
      TRAP(TrapCode::kMemoryOutOfBounds);                     \
    SET(R, 0, R(rd<M>(mem_base + ea)));                       \
    NEXT(20);                                                 \
  }
#define STORE(name, V, M)                                     \
  HANDLE(name) {                                              \
    const uint64_t ea = uint64_t(GET(uint32_t, 0)) + OPND(2); \
    if (ea + sizeof(M) > mem_size) [[unlikely]]               \
      TRAP(TrapCode::kMemoryOutOfBounds);                     \
    wr<M>(mem_base + ea, M(GET(V, 1)));                       \
    NEXT(20);                                                 \
  }
#define TRUNC(name, F, I)                              \
  HANDLE(name) {                                       \
    I r;                                               \
    switch (num::trunc_checked<I, F>(GET(F, 1), &r)) { \
      case num::TruncResult::kNaN:                     \
        TRAP(TrapCode::kInvalidConversionToInteger);   \
      case num::TruncResult::kOverflow:                \
        TRAP(TrapCode::kIntegerOverflow);              \
      case num::TruncResult::kOk:                      \
        break;                                         \
    }                                                  \
    SET(I, 0, r);                                      \
    NEXT(16);                                          \
  }
#define CMP_BRANCH(name, T, cond)       \
  HANDLE(name) {                        \
    const T a = GET(T, 0);              \
    const T b = GET(T, 1);              \
    if (cond) GO_REL(int32_t(OPND(2))); \
    NEXT(20);                           \
  }
#define CMP_BRANCH_I32(name, T, cond)   \
  HANDLE(name) {                        \
    const T a = GET(T, 0);              \
    const T b = T(OPND(1));             \
    if (cond) GO_REL(int32_t(OPND(2))); \
    NEXT(20);                           \
  }
#define CMP_BRANCH_I64(name, T, cond)       \
  HANDLE(name) {                            \
    const T a = GET(T, 0);                  \
    const T b = rd<T>(pc + 12);             \
    if (cond) GO_REL(rd<int32_t>(pc + 20)); \
    NEXT(24);                               \
  }
// Fuel forms: [..][rel][tc][fc] at the given byte position of rel.
#define CMP_BRANCH_F(name, T, cond)                      \
  HANDLE(name) {                                         \
    const T a = GET(T, 0);                               \
    const T b = GET(T, 1);                               \
    if (cond) GO_REL_CHARGED(int32_t(OPND(2)), OPND(3)); \
    const uint32_t fc_ = OPND(4);                        \
    pc += 28;                                            \
    CHARGE_AND_DISPATCH(fc_);                            \
  }
#define CMP_BRANCH_I32_F(name, T, cond)                  \
  HANDLE(name) {                                         \
    const T a = GET(T, 0);                               \
    const T b = T(OPND(1));                              \
    if (cond) GO_REL_CHARGED(int32_t(OPND(2)), OPND(3)); \
    const uint32_t fc_ = OPND(4);                        \
    pc += 28;                                            \
    CHARGE_AND_DISPATCH(fc_);                            \
  }
#define CMP_BRANCH_I64_F(name, T, cond)                                    \
  HANDLE(name) {                                                           \
    const T a = GET(T, 0);                                                 \
    const T b = rd<T>(pc + 12);                                            \
    if (cond) GO_REL_CHARGED(rd<int32_t>(pc + 20), rd<uint32_t>(pc + 24)); \
    const uint32_t fc_ = rd<uint32_t>(pc + 28);                            \
    pc += 32;                                                              \
    CHARGE_AND_DISPATCH(fc_);                                              \
  }
#define BINOP_F32I(name, R, expr)       \
  HANDLE(name) {                        \
    const float a = GET(float, 1);      \
    const float b = rd<float>(pc + 16); \
    SET(R, 0, (expr));                  \
    NEXT(20);                           \
  }
#define BINOP_F64I(name, R, expr)         \
  HANDLE(name) {                          \
    const double a = GET(double, 1);      \
    const double b = rd<double>(pc + 16); \
    SET(R, 0, (expr));                    \
    NEXT(24);                             \
  }
// Displacement forms: address = u32(base + disp) + offset.
#define LOAD_D(name, M, R)                                                        \
  HANDLE(name##D) {                                                               \
    const uint64_t ea = uint64_t(uint32_t(GET(uint32_t, 1) + OPND(2))) + OPND(3); \
    if (ea + sizeof(M) > mem_size) [[unlikely]]                                   \
      TRAP(TrapCode::kMemoryOutOfBounds);                                         \
    SET(R, 0, R(rd<M>(mem_base + ea)));                                           \
    NEXT(24);                                                                     \
  }
#define LOAD_X(name, M, R)                                                          \
  HANDLE(name##X) {                                                                 \
    const uint32_t a_ = GET(uint32_t, 1) + (GET(uint32_t, 2) << OPND(3)) + OPND(4); \
    const uint64_t ea = uint64_t(a_) + OPND(5);                                     \
    if (ea + sizeof(M) > mem_size) [[unlikely]]                                     \
      TRAP(TrapCode::kMemoryOutOfBounds);                                           \
    SET(R, 0, R(rd<M>(mem_base + ea)));                                             \
    NEXT(32);                                                                       \
  }
#define STORE_X(name, V, M)                                                         \
  HANDLE(name##X) {                                                                 \
    const uint32_t a_ = GET(uint32_t, 0) + (GET(uint32_t, 2) << OPND(3)) + OPND(4); \
    const uint64_t ea = uint64_t(a_) + OPND(5);                                     \
    if (ea + sizeof(M) > mem_size) [[unlikely]]                                     \
      TRAP(TrapCode::kMemoryOutOfBounds);                                           \
    wr<M>(mem_base + ea, M(GET(V, 1)));                                             \
    NEXT(32);                                                                       \
  }
#define FUSED3(name, T, expr)   \
  HANDLE(name) {                \
    const T a = GET(T, 1);      \
    const T b = GET(T, 2);      \
    const T c = GET(T, 3);      \
    const T t = num::mul(a, b); \
    SET(T, 0, (expr));          \
    NEXT(24);                   \
  }
#define STORE_D(name, V, M)                                                       \
  HANDLE(name##D) {                                                               \
    const uint64_t ea = uint64_t(uint32_t(GET(uint32_t, 0) + OPND(2))) + OPND(3); \
    if (ea + sizeof(M) > mem_size) [[unlikely]]                                   \
      TRAP(TrapCode::kMemoryOutOfBounds);                                         \
    wr<M>(mem_base + ea, M(GET(V, 1)));                                           \
    NEXT(24);                                                                     \
  }

// The ten integer comparisons, as (suffix, signed-ness, operator) for each family.
// clang-format off
#define INT_COMPARES(X, T, S, U) \
  X(Eq, T, a == b) X(Ne, T, a != b) \
  X(LtS, S, S(a) < S(b)) X(LtU, U, U(a) < U(b)) X(GtS, S, S(a) > S(b)) X(GtU, U, U(a) > U(b)) \
  X(LeS, S, S(a) <= S(b)) X(LeU, U, U(a) <= U(b)) X(GeS, S, S(a) >= S(b)) X(GeU, U, U(a) >= U(b))
// clang-format on

// The integer arithmetic handlers of one width (P = I32 or I64): the same semantics at both widths,
// written once. BINOP_IMM reads the right operand as an immediate of the width.
#define INT_ARITH(P, U, S, BITS, BINOP_IMM, S_MIN)             \
  UNOP(P##Clz, U, U, U(std::countl_zero(a)))                   \
  UNOP(P##Ctz, U, U, U(std::countr_zero(a)))                   \
  UNOP(P##Popcnt, U, U, U(std::popcount(a)))                   \
  BINOP(P##Add, U, U, a + b)                                   \
  BINOP(P##Sub, U, U, a - b)                                   \
  BINOP(P##Mul, U, U, a* b)                                    \
  HANDLE(P##DivS) {                                            \
    const S a = GET(S, 1), b = GET(S, 2);                      \
    if (b == 0) [[unlikely]]                                   \
      TRAP(TrapCode::kIntegerDivideByZero);                    \
    if (a == S_MIN && b == -1) [[unlikely]]                    \
      TRAP(TrapCode::kIntegerOverflow);                        \
    SET(S, 0, a / b);                                          \
    NEXT(20);                                                  \
  }                                                            \
  HANDLE(P##DivU) {                                            \
    const U a = GET(U, 1), b = GET(U, 2);                      \
    if (b == 0) [[unlikely]]                                   \
      TRAP(TrapCode::kIntegerDivideByZero);                    \
    SET(U, 0, a / b);                                          \
    NEXT(20);                                                  \
  }                                                            \
  HANDLE(P##RemS) {                                            \
    const S a = GET(S, 1), b = GET(S, 2);                      \
    if (b == 0) [[unlikely]]                                   \
      TRAP(TrapCode::kIntegerDivideByZero);                    \
    SET(S, 0, b == -1 ? 0 : a % b);                            \
    NEXT(20);                                                  \
  }                                                            \
  HANDLE(P##RemU) {                                            \
    const U a = GET(U, 1), b = GET(U, 2);                      \
    if (b == 0) [[unlikely]]                                   \
      TRAP(TrapCode::kIntegerDivideByZero);                    \
    SET(U, 0, a % b);                                          \
    NEXT(20);                                                  \
  }                                                            \
  BINOP(P##And, U, U, a& b)                                    \
  BINOP(P##Or, U, U, a | b)                                    \
  BINOP(P##Xor, U, U, a ^ b)                                   \
  BINOP(P##Shl, U, U, a << (b & (BITS - 1)))                   \
  BINOP(P##ShrS, U, U, U(S(a) >> (b & (BITS - 1))))            \
  BINOP(P##ShrU, U, U, a >> (b & (BITS - 1)))                  \
  BINOP(P##Rotl, U, U, std::rotl(a, int(b & (BITS - 1))))      \
  BINOP(P##Rotr, U, U, std::rotr(a, int(b & (BITS - 1))))      \
  BINOP_IMM(P##AddI, U, U, a + b)                              \
  BINOP_IMM(P##MulI, U, U, a* b)                               \
  BINOP_IMM(P##AndI, U, U, a& b)                               \
  BINOP_IMM(P##OrI, U, U, a | b)                               \
  BINOP_IMM(P##XorI, U, U, a ^ b)                              \
  BINOP_IMM(P##ShlI, U, U, a << (b & (BITS - 1)))              \
  BINOP_IMM(P##ShrSI, U, U, U(S(a) >> (b & (BITS - 1))))       \
  BINOP_IMM(P##ShrUI, U, U, a >> (b & (BITS - 1)))             \
  BINOP_IMM(P##RotlI, U, U, std::rotl(a, int(b & (BITS - 1)))) \
  BINOP_IMM(P##RotrI, U, U, std::rotr(a, int(b & (BITS - 1))))

}  // namespace

// Calls a host function (declared in exec.hh; compiled code's calls use it too). Kept out of line so that
// no object with a destructor (the TrapResult) lives in the dispatch function's scope: clang rejects
// indirect gotos that could leave such a scope.
[[gnu::noinline]] bool call_host(ExecContext& ctx, const FuncInst* callee, void* instance_owner,
                                 uint64_t* args, TrapCode& trap_code) {
  Caller caller(static_cast<Store*>(ctx.store), instance_owner);
  ctx.begin_host_call();
  TrapResult<void> r = (*callee->host)(caller, args);
  if (r) [[likely]] {
    ctx.retry_requested = false;  // asked for, but the host function answered after all
    return true;
  }
  if (ctx.retry_requested) return false;  // not a trap: the call suspends and the host function runs again
  trap_code = r.error().code();
  ctx.host_trap = std::make_unique<Trap>(std::move(r.error()));
  return false;
}

namespace {

// ---- exception handling, out of line for the same reason and to keep the dispatch loop's registers ----

// A new exception of `tag` with `slots` payload slots copied from `payload`, owned by the Store.
[[gnu::noinline]] static ExnInst* new_exception(ExecContext& ctx, const TagInst* tag, const uint64_t* payload,
                                                uint32_t slots) {
  auto exn = std::make_unique<ExnInst>();
  exn->tag = tag;
  exn->payload.assign(payload, payload + slots);
  ctx.exceptions.push_back(std::move(exn));
  return ctx.exceptions.back().get();
}

// An exception nothing can refer to any more (never exposed as an exnref) is freed at once; it is then
// the newest one, since only the unwinding that just ended knew it.
static void release_if_unexposed(ExecContext& ctx, const ExnInst* exn) {
  if (!exn->exposed && !ctx.exceptions.empty() && ctx.exceptions.back().get() == exn)
    ctx.exceptions.pop_back();
}

// Where an exception is caught: the frame (everything above it is popped), its frame base and instance,
// and the matching handler of its function.
struct CatchSite {
  Frame* frame;
  uint64_t* fp;
  InstanceData* inst;
  const CompiledFunc* code;
  const ExnHandler* handler;
};

// Walks this activation's frames from the top: in each function the handlers covering the throwing
// instruction (or, in callers, the running call instruction), innermost first. Nothing is popped here, so
// an uncaught exception traps with the whole backtrace. False if no handler of the activation matches.
[[gnu::noinline]] static bool find_handler(Frame* frame_top, const uint8_t* pc, uint64_t* fp,
                                           InstanceData* inst, const ExnInst* exn, CatchSite& out) {
  Frame* f = frame_top - 1;
  const uint8_t* at = pc;
  for (;;) {
    const CompiledFunc* code = f->func->code;
    const uint32_t offset = uint32_t(at - code->entry);
    for (const ExnHandler& h : code->handlers) {
      if (offset < h.start || offset >= h.end) continue;
      const bool tagged = h.kind == wasm::kCatch || h.kind == wasm::kCatchRef;
      if (tagged && inst->tags[h.tag] != exn->tag) continue;
      out = CatchSite{f, fp, inst, code, &h};
      return true;
    }
    if (f->return_pc == nullptr)
      return false;         // entered from the host: nothing in this activation catches it
    at = f->return_pc - 1;  // inside the call instruction of the caller
    fp = f->caller_fp;
    inst = f->caller_instance;
    --f;
  }
}

// Writes what the handler's label receives (the payload, then the exnref for the _ref kinds) to the
// catching frame's slots.
[[gnu::noinline]] static void deliver_exception(ExecContext& ctx, ExnInst* exn, const ExnHandler& h,
                                                uint64_t* fp) {
  uint8_t* dst = reinterpret_cast<uint8_t*>(fp) + h.dst;
  if (h.kind == wasm::kCatch || h.kind == wasm::kCatchRef) {
    const size_t bytes = exn->payload.size() * 8;
    if (bytes) std::memcpy(dst, exn->payload.data(), bytes);
    dst += bytes;
  }
  if (h.kind == wasm::kCatchRef || h.kind == wasm::kCatchAllRef) {
    wr<uint64_t>(dst, reinterpret_cast<uint64_t>(exn));
    exn->exposed = true;
  } else {
    release_if_unexposed(ctx, exn);  // the usual throw-and-catch loop runs in constant memory
  }
}

RunStatus run_impl(ExecContext* ctxp) {
  static const void* const kTable[] = {
#define AIRWASM_OP(name, code, text, imm, sig, arg) &&L_##name,
#include "wasm/opcodes.def"
#undef AIRWASM_OP
#define AIRWASM_IOP(name) &&L_##name,
#include "interp/iops.def"
#undef AIRWASM_IOP
  };
  static_assert(sizeof(kTable) / sizeof(kTable[0]) == kIOpCount);
  if (ctxp == nullptr) {
    g_handler_table = kTable;
    // A label's address is code, not a local object: g++'s dangling-pointer check does not know that.
#if defined(__clang__)
    g_invalid_handler = &&L_invalid;
#else
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
    g_invalid_handler = &&L_invalid;
#pragma GCC diagnostic pop
#endif
    return RunStatus::kDone;
  }

  ExecContext& ctx = *ctxp;
  const uint8_t* pc = ctx.pc;
  uint64_t* fp = ctx.fp;
  InstanceData* inst = ctx.instance;
  Frame* frame_top = ctx.frame_top;
  int64_t fuel = ctx.fuel;
  std::atomic<uint32_t>* const interrupt = ctx.interrupt;
  uint8_t* mem_base;
  uint64_t mem_size;
  TrapCode trap_code = TrapCode::kUnreachable;
  // call sequence inputs
  const FuncInst* callee;
  uint64_t* call_args;
  const uint8_t* call_return;
  bool call_charged = false;  // fuel form: charge the callee's entry and the continuation
  uint32_t call_continuation = 0;
  int64_t pending = 0;        // cost of the block at pc that could not be paid
  ExnInst* thrown = nullptr;  // the exception being unwound
  RELOAD_MEMORY();
  if (ctx.pending_charge) {
    pending = ctx.pending_charge;
    ctx.pending_charge = 0;
    if (fuel < pending) goto out_of_fuel;
    fuel -= pending;
  }
  DISPATCH();

  // ======================================== moves and constants
  HANDLE(Copy8) {
    SET(uint64_t, 0, GET(uint64_t, 1));
    NEXT(16);
  }
  HANDLE(Copy16) {
    uint8_t tmp[16];
    std::memcpy(tmp, SLOT(1), 16);
    std::memcpy(SLOT(0), tmp, 16);
    NEXT(16);
  }
  HANDLE(Const32) {
    SET(uint32_t, 0, OPND(1));
    NEXT(16);
  }
  HANDLE(Const64) {
    SET(uint64_t, 0, rd<uint64_t>(pc + 12));
    NEXT(20);
  }
  HANDLE(Const128) {
    std::memcpy(SLOT(0), pc + 12, 16);
    NEXT(28);
  }
  HANDLE(Select8) {
    const uint64_t a = GET(uint64_t, 1), b = GET(uint64_t, 2);
    SET(uint64_t, 0, GET(uint32_t, 3) ? a : b);
    NEXT(24);
  }
  HANDLE(Select16) {
    uint8_t tmp[16];
    std::memcpy(tmp, GET(uint32_t, 3) ? SLOT(1) : SLOT(2), 16);
    std::memcpy(SLOT(0), tmp, 16);
    NEXT(24);
  }
  HANDLE(GlobalGet8) {
    SET(uint64_t, 0, inst->globals[OPND(1)]->value[0]);
    NEXT(16);
  }
  HANDLE(GlobalGet16) {
    std::memcpy(SLOT(0), inst->globals[OPND(1)]->value, 16);
    NEXT(16);
  }
  HANDLE(GlobalSet8) {
    inst->globals[OPND(1)]->value[0] = GET(uint64_t, 0);
    NEXT(16);
  }
  HANDLE(GlobalSet16) {
    std::memcpy(inst->globals[OPND(1)]->value, SLOT(0), 16);
    NEXT(16);
  }

  // ======================================== control
  HANDLE(Jump) {
    GO_REL(int32_t(OPND(0)));
  }
  HANDLE(JumpF) {
    GO_REL_CHARGED(int32_t(OPND(0)), OPND(1));
  }
#define COND_BRANCH(name, T, cond)                                  \
  HANDLE(name) {                                                    \
    if (cond(GET(T, 0))) GO_REL(int32_t(OPND(1)));                  \
    NEXT(16);                                                       \
  }                                                                 \
  HANDLE(name##F) {                                                 \
    if (cond(GET(T, 0))) GO_REL_CHARGED(int32_t(OPND(1)), OPND(2)); \
    const uint32_t fc_ = OPND(3);                                   \
    pc += 24;                                                       \
    CHARGE_AND_DISPATCH(fc_);                                       \
  }
#define NONZERO(x) ((x) != 0)
#define ISZERO(x) ((x) == 0)
  COND_BRANCH(BrIfNez32, uint32_t, NONZERO)
  COND_BRANCH(BrIfEqz32, uint32_t, ISZERO)
  COND_BRANCH(BrIfNez64, uint64_t, NONZERO)
  COND_BRANCH(BrIfEqz64, uint64_t, ISZERO)
#undef NONZERO
#undef ISZERO
#undef COND_BRANCH
  HANDLE(BrTableOp) {
    uint32_t i = GET(uint32_t, 0);
    const uint32_t n = OPND(1);
    if (i > n) i = n;
    GO_REL(rd<int32_t>(pc + 16 + 4 * size_t(i)));
  }
  HANDLE(BrTableOpF) {
    uint32_t i = GET(uint32_t, 0);
    const uint32_t n = OPND(1);
    if (i > n) i = n;
    const uint8_t* entry = pc + 16 + 8 * size_t(i);
    GO_REL_CHARGED(rd<int32_t>(entry), rd<uint32_t>(entry + 4));
  }
#define X(suffix, T, cond) CMP_BRANCH(BrIfI32##suffix, T, cond)
  INT_COMPARES(X, uint32_t, int32_t, uint32_t)
#undef X
#define X(suffix, T, cond) CMP_BRANCH_I32(BrIfI32##suffix##I, T, cond)
  INT_COMPARES(X, uint32_t, int32_t, uint32_t)
#undef X
#define X(suffix, T, cond) CMP_BRANCH(BrIfI64##suffix, T, cond)
  INT_COMPARES(X, uint64_t, int64_t, uint64_t)
#undef X
#define X(suffix, T, cond) CMP_BRANCH_I64(BrIfI64##suffix##I, T, cond)
  INT_COMPARES(X, uint64_t, int64_t, uint64_t)
#undef X
#define X(suffix, T, cond) CMP_BRANCH_F(BrIfI32##suffix##F, T, cond)
  INT_COMPARES(X, uint32_t, int32_t, uint32_t)
#undef X
#define X(suffix, T, cond) CMP_BRANCH_I32_F(BrIfI32##suffix##IF, T, cond)
  INT_COMPARES(X, uint32_t, int32_t, uint32_t)
#undef X
#define X(suffix, T, cond) CMP_BRANCH_F(BrIfI64##suffix##F, T, cond)
  INT_COMPARES(X, uint64_t, int64_t, uint64_t)
#undef X
#define X(suffix, T, cond) CMP_BRANCH_I64_F(BrIfI64##suffix##IF, T, cond)
  INT_COMPARES(X, uint64_t, int64_t, uint64_t)
#undef X

  HANDLE(Trap) {
    TRAP(TrapCode(OPND(0)));
  }

  // ======================================== metering
  HANDLE(Fuel) {
    const uint32_t cost = OPND(0);
    pc += 12;
    CHARGE_AND_DISPATCH(cost);
  }

  // ======================================== calls
  HANDLE(CallOp) {
    callee = inst->funcs[OPND(0)];
    call_args = reinterpret_cast<uint64_t*>(SLOT(1));
    call_return = pc + 16;
    call_charged = false;
    goto do_call;
  }
  HANDLE(CallOpF) {
    callee = inst->funcs[OPND(0)];
    call_args = reinterpret_cast<uint64_t*>(SLOT(1));
    call_continuation = OPND(2);
    call_return = pc + 20;
    call_charged = true;
    goto do_call;
  }
  HANDLE(CallIndirectOp) {
    call_return = pc + 24;
    call_charged = false;
    goto do_call_indirect;
  }
  HANDLE(CallIndirectOpF) {
    call_return = pc + 28;
    call_continuation = OPND(4);
    call_charged = true;
    goto do_call_indirect;
  }
  HANDLE(ReturnOp) {
    --frame_top;
    pc = frame_top->return_pc;
    fp = frame_top->caller_fp;
    if (pc == nullptr) goto done;
    if (frame_top->native_return) [[unlikely]] {  // a compiled caller: it continues natively
      inst = frame_top->caller_instance;
      pending = 0;
      goto switch_tier;
    }
    if (frame_top->caller_instance != inst) {
      inst = frame_top->caller_instance;
      RELOAD_MEMORY();
    }
    DISPATCH();
  }
  HANDLE(ReturnOpF) {
    --frame_top;
    pc = frame_top->return_pc;
    fp = frame_top->caller_fp;
    if (pc == nullptr) goto done;
    if (frame_top->native_return) [[unlikely]] {  // a compiled caller: it continues natively
      inst = frame_top->caller_instance;
      pending = rd<uint32_t>(pc - 4);  // the continuation's cost, paid before the native code runs
      goto switch_tier;
    }
    if (frame_top->caller_instance != inst) {
      inst = frame_top->caller_instance;
      RELOAD_MEMORY();
    }
    CHARGE_AND_DISPATCH(rd<uint32_t>(pc - 4));  // the call's continuation cost, its last field
  }

  // ======================================== i32
  UNOP(I32Eqz, uint32_t, uint32_t, a == 0)
#define X(suffix, T, cond) BINOP(I32##suffix, T, uint32_t, cond)
  INT_COMPARES(X, uint32_t, int32_t, uint32_t)
#undef X
#define X(suffix, T, cond) BINOP_I32(I32##suffix##I, T, uint32_t, cond)
  INT_COMPARES(X, uint32_t, int32_t, uint32_t)
#undef X
  INT_ARITH(I32, uint32_t, int32_t, 32, BINOP_I32, INT32_MIN)

  // ======================================== i64
  UNOP(I64Eqz, uint64_t, uint32_t, a == 0)
#define X(suffix, T, cond) BINOP(I64##suffix, T, uint32_t, cond)
  INT_COMPARES(X, uint64_t, int64_t, uint64_t)
#undef X
#define X(suffix, T, cond) BINOP_I64(I64##suffix##I, T, uint32_t, cond)
  INT_COMPARES(X, uint64_t, int64_t, uint64_t)
#undef X
  INT_ARITH(I64, uint64_t, int64_t, 64, BINOP_I64, INT64_MIN)

  // ======================================== f32 / f64
  BINOP(F32Eq, float, uint32_t, a == b)
  BINOP(F32Ne, float, uint32_t, a != b)
  BINOP(F32Lt, float, uint32_t, a < b)
  BINOP(F32Gt, float, uint32_t, a > b)
  BINOP(F32Le, float, uint32_t, a <= b)
  BINOP(F32Ge, float, uint32_t, a >= b)
  BINOP(F64Eq, double, uint32_t, a == b)
  BINOP(F64Ne, double, uint32_t, a != b)
  BINOP(F64Lt, double, uint32_t, a < b)
  BINOP(F64Gt, double, uint32_t, a > b)
  BINOP(F64Le, double, uint32_t, a <= b)
  BINOP(F64Ge, double, uint32_t, a >= b)
  UNOP(F32Abs, float, float, num::fabs_bits(a))
  UNOP(F32Neg, float, float, num::fneg_bits(a))
  UNOP(F32Ceil, float, float, num::ceil(a))
  UNOP(F32Floor, float, float, num::floor(a))
  UNOP(F32Trunc, float, float, num::trunc(a))
  UNOP(F32Nearest, float, float, num::nearest(a))
  UNOP(F32Sqrt, float, float, std::sqrt(a))
  BINOP(F32Add, float, float, num::add(a, b))
  BINOP(F32Sub, float, float, a - b)
  BINOP(F32Mul, float, float, num::mul(a, b))
  BINOP(F32Div, float, float, a / b)
  BINOP(F32Min, float, float, num::fmin(a, b))
  BINOP(F32Max, float, float, num::fmax(a, b))
  BINOP(F32Copysign, float, float, num::copysign_bits(a, b))
  UNOP(F64Abs, double, double, num::fabs_bits(a))
  UNOP(F64Neg, double, double, num::fneg_bits(a))
  UNOP(F64Ceil, double, double, num::ceil(a))
  UNOP(F64Floor, double, double, num::floor(a))
  UNOP(F64Trunc, double, double, num::trunc(a))
  UNOP(F64Nearest, double, double, num::nearest(a))
  UNOP(F64Sqrt, double, double, std::sqrt(a))
  BINOP(F64Add, double, double, num::add(a, b))
  BINOP(F64Sub, double, double, a - b)
  BINOP(F64Mul, double, double, num::mul(a, b))
  BINOP(F64Div, double, double, a / b)
  BINOP(F64Min, double, double, num::fmin(a, b))
  BINOP(F64Max, double, double, num::fmax(a, b))
  BINOP(F64Copysign, double, double, num::copysign_bits(a, b))

  BINOP_F32I(F32AddI, float, num::add(a, b))
  BINOP_F32I(F32SubI, float, a - b)
  BINOP_F32I(F32MulI, float, num::mul(a, b))
  BINOP_F32I(F32DivI, float, a / b)
  BINOP_F32I(F32EqI, uint32_t, a == b)
  BINOP_F32I(F32NeI, uint32_t, a != b)
  BINOP_F32I(F32LtI, uint32_t, a < b)
  BINOP_F32I(F32GtI, uint32_t, a > b)
  BINOP_F32I(F32LeI, uint32_t, a <= b)
  BINOP_F32I(F32GeI, uint32_t, a >= b)
  BINOP_F64I(F64AddI, double, num::add(a, b))
  BINOP_F64I(F64SubI, double, a - b)
  BINOP_F64I(F64MulI, double, num::mul(a, b))
  BINOP_F64I(F64DivI, double, a / b)
  BINOP_F64I(F64EqI, uint32_t, a == b)
  BINOP_F64I(F64NeI, uint32_t, a != b)
  BINOP_F64I(F64LtI, uint32_t, a < b)
  BINOP_F64I(F64GtI, uint32_t, a > b)
  BINOP_F64I(F64LeI, uint32_t, a <= b)
  BINOP_F64I(F64GeI, uint32_t, a >= b)

  // ======================================== conversions
  UNOP(I32WrapI64, uint64_t, uint32_t, uint32_t(a))
  TRUNC(I32TruncF32S, float, int32_t)
  TRUNC(I32TruncF32U, float, uint32_t)
  TRUNC(I32TruncF64S, double, int32_t)
  TRUNC(I32TruncF64U, double, uint32_t)
  UNOP(I64ExtendI32S, int32_t, int64_t, int64_t(a))
  UNOP(I64ExtendI32U, uint32_t, uint64_t, uint64_t(a))
  TRUNC(I64TruncF32S, float, int64_t)
  TRUNC(I64TruncF32U, float, uint64_t)
  TRUNC(I64TruncF64S, double, int64_t)
  TRUNC(I64TruncF64U, double, uint64_t)
  UNOP(F32ConvertI32S, int32_t, float, float(a))
  UNOP(F32ConvertI32U, uint32_t, float, float(a))
  UNOP(F32ConvertI64S, int64_t, float, float(a))
  UNOP(F32ConvertI64U, uint64_t, float, float(a))
  UNOP(F32DemoteF64, double, float, float(a))
  UNOP(F64ConvertI32S, int32_t, double, double(a))
  UNOP(F64ConvertI32U, uint32_t, double, double(a))
  UNOP(F64ConvertI64S, int64_t, double, double(a))
  UNOP(F64ConvertI64U, uint64_t, double, double(a))
  UNOP(F64PromoteF32, float, double, double(a))
  UNOP(I32ReinterpretF32, uint32_t, uint32_t, a)
  UNOP(I64ReinterpretF64, uint64_t, uint64_t, a)
  UNOP(F32ReinterpretI32, uint32_t, uint32_t, a)
  UNOP(F64ReinterpretI64, uint64_t, uint64_t, a)
  UNOP(I32Extend8S, uint32_t, uint32_t, uint32_t(int32_t(int8_t(a))))
  UNOP(I32Extend16S, uint32_t, uint32_t, uint32_t(int32_t(int16_t(a))))
  UNOP(I64Extend8S, uint64_t, uint64_t, uint64_t(int64_t(int8_t(a))))
  UNOP(I64Extend16S, uint64_t, uint64_t, uint64_t(int64_t(int16_t(a))))
  UNOP(I64Extend32S, uint64_t, uint64_t, uint64_t(int64_t(int32_t(a))))
  UNOP(I32TruncSatF32S, float, int32_t, (num::trunc_sat<int32_t, float>(a)))
  UNOP(I32TruncSatF32U, float, uint32_t, (num::trunc_sat<uint32_t, float>(a)))
  UNOP(I32TruncSatF64S, double, int32_t, (num::trunc_sat<int32_t, double>(a)))
  UNOP(I32TruncSatF64U, double, uint32_t, (num::trunc_sat<uint32_t, double>(a)))
  UNOP(I64TruncSatF32S, float, int64_t, (num::trunc_sat<int64_t, float>(a)))
  UNOP(I64TruncSatF32U, float, uint64_t, (num::trunc_sat<uint64_t, float>(a)))
  UNOP(I64TruncSatF64S, double, int64_t, (num::trunc_sat<int64_t, double>(a)))
  UNOP(I64TruncSatF64U, double, uint64_t, (num::trunc_sat<uint64_t, double>(a)))

  // ======================================== memory
  LOAD(I32Load, uint32_t, uint32_t)
  LOAD(I64Load, uint64_t, uint64_t)
  LOAD(F32Load, uint32_t, uint32_t)
  LOAD(F64Load, uint64_t, uint64_t)
  LOAD(I32Load8S, int8_t, int32_t)
  LOAD(I32Load8U, uint8_t, uint32_t)
  LOAD(I32Load16S, int16_t, int32_t)
  LOAD(I32Load16U, uint16_t, uint32_t)
  LOAD(I64Load8S, int8_t, int64_t)
  LOAD(I64Load8U, uint8_t, uint64_t)
  LOAD(I64Load16S, int16_t, int64_t)
  LOAD(I64Load16U, uint16_t, uint64_t)
  LOAD(I64Load32S, int32_t, int64_t)
  LOAD(I64Load32U, uint32_t, uint64_t)
  STORE(I32Store, uint32_t, uint32_t)
  STORE(I64Store, uint64_t, uint64_t)
  STORE(F32Store, uint32_t, uint32_t)
  STORE(F64Store, uint64_t, uint64_t)
  STORE(I32Store8, uint32_t, uint8_t)
  STORE(I32Store16, uint32_t, uint16_t)
  STORE(I64Store8, uint64_t, uint8_t)
  STORE(I64Store16, uint64_t, uint16_t)
  STORE(I64Store32, uint64_t, uint32_t)
  LOAD_D(I32Load, uint32_t, uint32_t)
  LOAD_D(I64Load, uint64_t, uint64_t)
  LOAD_D(F32Load, uint32_t, uint32_t)
  LOAD_D(F64Load, uint64_t, uint64_t)
  LOAD_D(I32Load8S, int8_t, int32_t)
  LOAD_D(I32Load8U, uint8_t, uint32_t)
  LOAD_D(I32Load16S, int16_t, int32_t)
  LOAD_D(I32Load16U, uint16_t, uint32_t)
  LOAD_D(I64Load8S, int8_t, int64_t)
  LOAD_D(I64Load8U, uint8_t, uint64_t)
  LOAD_D(I64Load16S, int16_t, int64_t)
  LOAD_D(I64Load16U, uint16_t, uint64_t)
  LOAD_D(I64Load32S, int32_t, int64_t)
  LOAD_D(I64Load32U, uint32_t, uint64_t)
  STORE_D(I32Store, uint32_t, uint32_t)
  STORE_D(I64Store, uint64_t, uint64_t)
  STORE_D(F32Store, uint32_t, uint32_t)
  STORE_D(F64Store, uint64_t, uint64_t)
  STORE_D(I32Store8, uint32_t, uint8_t)
  STORE_D(I32Store16, uint32_t, uint16_t)
  STORE_D(I64Store8, uint64_t, uint8_t)
  STORE_D(I64Store16, uint64_t, uint16_t)
  STORE_D(I64Store32, uint64_t, uint32_t)
  LOAD_X(I32Load, uint32_t, uint32_t)
  LOAD_X(I64Load, uint64_t, uint64_t)
  LOAD_X(F32Load, uint32_t, uint32_t)
  LOAD_X(F64Load, uint64_t, uint64_t)
  LOAD_X(I32Load8S, int8_t, int32_t)
  LOAD_X(I32Load8U, uint8_t, uint32_t)
  LOAD_X(I32Load16S, int16_t, int32_t)
  LOAD_X(I32Load16U, uint16_t, uint32_t)
  LOAD_X(I64Load8S, int8_t, int64_t)
  LOAD_X(I64Load8U, uint8_t, uint64_t)
  LOAD_X(I64Load16S, int16_t, int64_t)
  LOAD_X(I64Load16U, uint16_t, uint64_t)
  LOAD_X(I64Load32S, int32_t, int64_t)
  LOAD_X(I64Load32U, uint32_t, uint64_t)
  STORE_X(I32Store, uint32_t, uint32_t)
  STORE_X(I64Store, uint64_t, uint64_t)
  STORE_X(F32Store, uint32_t, uint32_t)
  STORE_X(F64Store, uint64_t, uint64_t)
  STORE_X(I32Store8, uint32_t, uint8_t)
  STORE_X(I32Store16, uint32_t, uint16_t)
  STORE_X(I64Store8, uint64_t, uint8_t)
  STORE_X(I64Store16, uint64_t, uint16_t)
  STORE_X(I64Store32, uint64_t, uint32_t)
  HANDLE(I32Lea) {
    SET(uint32_t, 0, GET(uint32_t, 1) + (GET(uint32_t, 2) << OPND(3)) + OPND(4));
    NEXT(28);
  }
  FUSED3(F32MulAdd, float, num::add(t, c))
  FUSED3(F32AddMul, float, num::add(c, t))
  FUSED3(F32MulSub, float, t - c)
  FUSED3(F32SubMul, float, c - t)
  FUSED3(F64MulAdd, double, num::add(t, c))
  FUSED3(F64AddMul, double, num::add(c, t))
  FUSED3(F64MulSub, double, t - c)
  FUSED3(F64SubMul, double, c - t)
  HANDLE(MemorySize) {
    SET(uint32_t, 0, uint32_t(mem_size / wasm::kPageSize));
    NEXT(12);
  }
  HANDLE(MemoryGrow) {
    const uint32_t delta = GET(uint32_t, 1);
    ctx.fuel = fuel;
    const int64_t old = ctx.memory_grow(ctx, inst->memory0, delta);
    RELOAD_MEMORY();
    SET(uint32_t, 0, uint32_t(old));
    NEXT(16);
  }
  HANDLE(MemoryInit) {  // [d][s][n][data]
    const uint64_t d = GET(uint32_t, 0), s = GET(uint32_t, 1), n = GET(uint32_t, 2);
    const std::span<const uint8_t> data = inst->data(OPND(3));
    if (s + n > data.size() || d + n > mem_size) [[unlikely]]
      TRAP(TrapCode::kMemoryOutOfBounds);
    if (n) std::memcpy(mem_base + d, data.data() + s, n);
    NEXT(24);
  }
  HANDLE(DataDrop) {
    inst->data_dropped[OPND(0)] = true;
    NEXT(12);
  }
  HANDLE(MemoryCopy) {  // [d][s][n]
    const uint64_t d = GET(uint32_t, 0), s = GET(uint32_t, 1), n = GET(uint32_t, 2);
    if (s + n > mem_size || d + n > mem_size) [[unlikely]]
      TRAP(TrapCode::kMemoryOutOfBounds);
    if (n) std::memmove(mem_base + d, mem_base + s, n);
    NEXT(20);
  }
  HANDLE(MemoryFill) {  // [d][v][n]
    const uint64_t d = GET(uint32_t, 0), n = GET(uint32_t, 2);
    const uint8_t v = uint8_t(GET(uint32_t, 1));
    if (d + n > mem_size) [[unlikely]]
      TRAP(TrapCode::kMemoryOutOfBounds);
    if (n) std::memset(mem_base + d, v, n);
    NEXT(20);
  }

  // ======================================== other memories (see iops.def)
  HANDLE(MemSelect) {
    const MemoryInst* m = inst->memories[OPND(0)];
    mem_base = m->base;
    mem_size = m->size_bytes;
    NEXT(12);
  }
  HANDLE(MemRestore) {
    RELOAD_MEMORY();
    NEXT(8);
  }
  HANDLE(MemoryGrowM) {  // [dst][delta][memory]
    const uint32_t delta = GET(uint32_t, 1);
    ctx.fuel = fuel;
    const int64_t old = ctx.memory_grow(ctx, inst->memories[OPND(2)], delta);
    RELOAD_MEMORY();
    SET(uint32_t, 0, uint32_t(old));
    NEXT(20);
  }
  HANDLE(MemoryCopyM) {  // [d][s][n][dst memory][src memory]
    MemoryInst* dm = inst->memories[OPND(3)];
    const MemoryInst* sm = inst->memories[OPND(4)];
    const uint64_t d = GET(uint32_t, 0), s = GET(uint32_t, 1), n = GET(uint32_t, 2);
    if (s + n > sm->size_bytes || d + n > dm->size_bytes) [[unlikely]]
      TRAP(TrapCode::kMemoryOutOfBounds);
    if (n) std::memmove(dm->base + d, sm->base + s, n);
    NEXT(28);
  }

  // ======================================== exception handling
  HANDLE(ThrowOp) {  // [tag][payload][payload slots]
    thrown = new_exception(ctx, inst->tags[OPND(0)], reinterpret_cast<const uint64_t*>(SLOT(1)), OPND(2));
    goto do_throw;
  }
  HANDLE(ThrowRefOp) {  // [exnref]
    thrown = reinterpret_cast<ExnInst*>(GET(uint64_t, 0));
    if (thrown == nullptr) [[unlikely]]
      TRAP(TrapCode::kNullExceptionReference);
    goto do_throw;
  }

  // ======================================== references and tables
  HANDLE(RefIsNull) {
    SET(uint32_t, 0, GET(uint64_t, 1) == 0);
    NEXT(16);
  }
  HANDLE(RefFunc) {
    SET(uint64_t, 0, reinterpret_cast<uint64_t>(inst->funcs[OPND(1)]));
    NEXT(16);
  }
  HANDLE(TableGet) {  // [dst][table][i]
    const TableInst* t = inst->tables[OPND(1)];
    const uint32_t i = GET(uint32_t, 2);
    if (i >= t->elems.size()) [[unlikely]]
      TRAP(TrapCode::kTableOutOfBounds);
    SET(uint64_t, 0, t->elems[i]);
    NEXT(20);
  }
  HANDLE(TableSet) {  // [table][i][v]
    TableInst* t = inst->tables[OPND(0)];
    const uint32_t i = GET(uint32_t, 1);
    if (i >= t->elems.size()) [[unlikely]]
      TRAP(TrapCode::kTableOutOfBounds);
    t->elems[i] = GET(uint64_t, 2);
    NEXT(20);
  }
  HANDLE(TableSize) {  // [dst][table]
    SET(uint32_t, 0, uint32_t(inst->tables[OPND(1)]->elems.size()));
    NEXT(16);
  }
  HANDLE(TableGrow) {  // [dst][table][init][n]
    TableInst* t = inst->tables[OPND(1)];
    const uint64_t init = GET(uint64_t, 2);
    const uint32_t n = GET(uint32_t, 3);
    SET(uint32_t, 0, uint32_t(ctx.table_grow(ctx, t, n, init)));
    NEXT(24);
  }
  HANDLE(TableFill) {  // [table][i][v][n]
    TableInst* t = inst->tables[OPND(0)];
    const uint64_t i = GET(uint32_t, 1), n = GET(uint32_t, 3);
    const uint64_t v = GET(uint64_t, 2);
    if (i + n > t->elems.size()) [[unlikely]]
      TRAP(TrapCode::kTableOutOfBounds);
    std::fill_n(t->elems.begin() + i, n, v);
    NEXT(24);
  }
  HANDLE(TableCopy) {  // [dst table][src table][d][s][n]
    TableInst* dt = inst->tables[OPND(0)];
    const TableInst* st = inst->tables[OPND(1)];
    const uint64_t d = GET(uint32_t, 2), s = GET(uint32_t, 3), n = GET(uint32_t, 4);
    if (s + n > st->elems.size() || d + n > dt->elems.size()) [[unlikely]]
      TRAP(TrapCode::kTableOutOfBounds);
    if (n) std::memmove(dt->elems.data() + d, st->elems.data() + s, n * sizeof(uint64_t));
    NEXT(28);
  }
  HANDLE(TableInit) {  // [elem][table][d][s][n]
    const std::vector<uint64_t>& seg = inst->elems[OPND(0)];
    TableInst* t = inst->tables[OPND(1)];
    const uint64_t d = GET(uint32_t, 2), s = GET(uint32_t, 3), n = GET(uint32_t, 4);
    if (s + n > seg.size() || d + n > t->elems.size()) [[unlikely]]
      TRAP(TrapCode::kTableOutOfBounds);
    if (n) std::memcpy(t->elems.data() + d, seg.data() + s, n * sizeof(uint64_t));
    NEXT(28);
  }
  HANDLE(ElemDrop) {
    inst->elems[OPND(0)].clear();
    inst->elems[OPND(0)].shrink_to_fit();
    NEXT(12);
  }

// ======================================== not lowered to themselves (handled by other ops)
L_Unreachable:
L_Nop:
L_Block:
L_Loop:
L_If:
L_Else:
L_End:
L_Br:
L_BrIf:
L_BrTable:
L_Return:
L_Call:
L_CallIndirect:
L_Drop:
L_Select:
L_SelectT:
L_LocalGet:
L_LocalSet:
L_LocalTee:
L_GlobalGet:
L_GlobalSet:
L_I32Const:
L_I64Const:
L_F32Const:
L_F64Const:
L_RefNull:
L_Throw:
L_ThrowRef:
L_TryTable:
L_invalid:
  TRAP(TrapCode::kUnreachable);

  // ======================================== SIMD
#include "interp/simd_handlers.inc"

  // ======================================== call sequence (callee, call_args, call_return)
do_call_indirect: {
  // call_return points past the instruction: its fields are at fixed offsets before it.
  const uint8_t* op = call_return - (call_charged ? 28 : 24);
  const TableInst* table = inst->tables[rd<uint32_t>(op + 12)];
  const uint32_t index = rd<uint32_t>(reinterpret_cast<uint8_t*>(fp) + rd<uint32_t>(op + 16));
  if (index >= table->elems.size()) [[unlikely]]
    TRAP(TrapCode::kUndefinedElement);
  callee = reinterpret_cast<const FuncInst*>(table->elems[index]);
  if (callee == nullptr) [[unlikely]] {
    ctx.trap_detail = index;
    TRAP(TrapCode::kUninitializedElement);
  }
  if (callee->type_id != rd<uint32_t>(op + 8)) [[unlikely]]
    TRAP(TrapCode::kIndirectCallTypeMismatch);
  call_args = reinterpret_cast<uint64_t*>(reinterpret_cast<uint8_t*>(fp) + rd<uint32_t>(op + 20));
  goto do_call;
}

do_call:
  if (callee->is_host()) {
    ctx.pc = call_return;
    ctx.fp = fp;
    ctx.instance = inst;
    ctx.frame_top = frame_top;
    ctx.fuel = fuel;
    ctx.host_stack_top = call_args + std::max(callee->param_slots, callee->result_slots);
    ++ctx.host_depth;
    const bool host_ok = call_host(ctx, callee, inst->owner, call_args, trap_code);
    --ctx.host_depth;
    fuel = ctx.fuel;
    RELOAD_MEMORY();
    if (!host_ok) [[unlikely]] {
      if (ctx.retry_requested) {
        // The host function would have blocked and asked to be run again (Store::suspend_and_retry, only
        // granted to the outermost activation of a sliced call): suspend with pc still at the call
        // instruction. The block's fuel was paid before it; the call's continuation is charged after the
        // host function finally returns, as for any call.
        ctx.retry_requested = false;
        ctx.rerun_pending = true;  // the run again keeps the host call's number (Store::host_call_id)
        ctx.pending_charge = 0;
        goto suspend;
      }
      pc = call_return;
      goto trap;
    }
    pc = call_return;
    if ((ctx.yield_requested || ctx.slice_overrun) && ctx.host_depth == 0) [[unlikely]] {
      const bool suspend_now = ctx.sliced;
      ctx.yield_requested = false;
      ctx.slice_overrun = false;
      if (suspend_now) {
        ctx.pending_charge = call_charged ? call_continuation : 0;
        goto suspend;
      }
    }
    if (call_charged) CHARGE_AND_DISPATCH(call_continuation);
    DISPATCH();
  }
  {
    const CompiledFunc* code = callee->code;
    if (frame_top == ctx.frames_end || call_args + code->frame_slots > ctx.stack_end) [[unlikely]]
      TRAP(TrapCode::kCallStackExhausted);
    if (interrupt->load(std::memory_order_relaxed)) [[unlikely]]
      goto interrupted;
    frame_top->func = callee;
    frame_top->return_pc = call_return;
    frame_top->caller_fp = fp;
    frame_top->caller_instance = inst;
    frame_top->native_return = nullptr;
    ++frame_top;
    std::memset(call_args + code->param_slots, 0, size_t(code->local_slots) * 8);
    fp = call_args;
    pc = code->entry;
    if (callee->instance != inst) {
      inst = callee->instance;
      RELOAD_MEMORY();
    }
    if (code->native.get()) [[unlikely]] {  // compiled: the callee runs natively, its entry block paid first
      pending = call_charged ? code->entry_cost : 0;
      goto switch_tier;
    }
    if (count_and_tier_up(*code, *inst->code, kTierCallUnits)) [[unlikely]] {  // hot: compiled now
      pending = call_charged ? code->entry_cost : 0;
      goto switch_tier;
    }
    if (call_charged) CHARGE_AND_DISPATCH(code->entry_cost);
    DISPATCH();
  }

  // ======================================== unwinding (thrown, pc at the throwing instruction)
do_throw: {
  CatchSite site;
  if (!find_handler(frame_top, pc, fp, inst, thrown, site)) {
    release_if_unexposed(ctx, thrown);
    TRAP(TrapCode::kUncaughtException);
  }
  frame_top = site.frame + 1;
  fp = site.fp;
  if (site.inst != inst) {
    inst = site.inst;
    RELOAD_MEMORY();
  }
  deliver_exception(ctx, thrown, *site.handler, fp);
  pc = site.code->entry + site.handler->pad;  // the landing pad: a branch to the clause's label
  DISPATCH();
}

  // ======================================== tiering
tier_poll: {
  // pc is the target of a taken backward branch whose block costs `pending` (not paid yet). The running
  // function is credited a chunk of back edges; once it has compiled code (now or from earlier) with a
  // resume point here, the loop continues there (on-stack replacement: frames are shared, so this is a
  // plain tier switch).
  ctx.back_edges_left = kTierBackEdgeChunk;
  const CompiledFunc& running = *frame_top[-1].func->code;
  if (!running.native.get()) count_and_tier_up(running, *inst->code, kTierBackEdgeChunk);
  if (running.native.get() && inst->code->tier_up && inst->code->tier_up->can_enter_at(running, pc)) {
    ++ctx.tier_switches_at_loops;
    goto switch_tier;
  }
  CHARGE_AND_DISPATCH(pending);
}

  // ======================================== exits
out_of_fuel:
  // pc is the start of a block that costs `pending`, which the budget cannot cover.
  if (ctx.fuel_is_slice) {
    if (ctx.host_depth == 0) {
      ctx.pending_charge = pending;
      goto suspend;
    }
    // A nested activation cannot suspend: it continues on the reserve, and the top-level activation
    // suspends once control is back in it (slice_overrun).
    const uint64_t moved = std::min<uint64_t>(ctx.fuel_reserve, uint64_t(INT64_MAX - fuel));
    fuel += int64_t(moved);
    ctx.fuel_reserve -= moved;
    ctx.fuel_is_slice = false;
    ctx.slice_overrun = true;
    if (fuel >= pending) {
      fuel -= pending;
      DISPATCH();
    }
  }
  TRAP(TrapCode::kOutOfFuel);

interrupted: {
  const uint32_t reason = interrupt->exchange(kNoInterrupt, std::memory_order_relaxed);
  TRAP(reason == kDeadlineReached ? TrapCode::kDeadlineExceeded : TrapCode::kInterrupted);
}

suspend:
  ctx.pc = pc;
  ctx.fp = fp;
  ctx.instance = inst;
  ctx.frame_top = frame_top;
  ctx.fuel = fuel;
  return RunStatus::kSuspended;

trap:
  ctx.trap = trap_code;
  ctx.trap_pc = pc;
  ctx.pc = pc;
  ctx.fp = fp;
  ctx.instance = inst;
  ctx.frame_top = frame_top;
  ctx.fuel = fuel;
  return RunStatus::kTrap;

switch_tier:
  // pc is in a function with compiled code (a callee's entry or a compiled caller's continuation); the
  // block there costs `pending`, which the compiled side pays before it runs (baseline::run).
  ctx.pc = pc;
  ctx.fp = fp;
  ctx.instance = inst;
  ctx.frame_top = frame_top;
  ctx.fuel = fuel;
  ctx.pending_charge = pending;
  return RunStatus::kSwitchTier;

done:
  ctx.frame_top = frame_top;
  ctx.fuel = fuel;
  return RunStatus::kDone;
}

}  // namespace

RunStatus run(ExecContext& ctx) {
  return run_impl(&ctx);
}

RunStatus invoke(ExecContext& ctx, const FuncInst* func, uint64_t* args) {
  if (ctx.frame_top == ctx.frames_end) {
    ctx.trap = TrapCode::kCallStackExhausted;
    ctx.trap_pc = nullptr;
    return RunStatus::kTrap;
  }
  if (func->is_host()) {
    ++ctx.host_depth;
    ctx.begin_host_call();
    Caller caller(static_cast<Store*>(ctx.store), nullptr);
    TrapResult<void> r = (*func->host)(caller, args);
    --ctx.host_depth;
    if (!r) {
      ctx.trap = r.error().code();
      ctx.host_trap = std::make_unique<Trap>(std::move(r.error()));
      ctx.trap_pc = nullptr;
      return RunStatus::kTrap;
    }
    return RunStatus::kDone;
  }
  const CompiledFunc* code = func->code;
  if (args + code->frame_slots > ctx.stack_end) {
    ctx.trap = TrapCode::kCallStackExhausted;
    ctx.trap_pc = nullptr;
    return RunStatus::kTrap;
  }
  Frame* f = ctx.frame_top++;
  f->func = func;
  f->return_pc = nullptr;
  f->caller_fp = ctx.fp;
  f->caller_instance = ctx.instance;
  f->native_return = nullptr;
  std::memset(args + code->param_slots, 0, size_t(code->local_slots) * 8);
  ctx.pc = code->entry;
  ctx.fp = args;
  ctx.instance = func->instance;
  ctx.pending_charge = ctx.fuel_enabled ? code->entry_cost : 0;  // the entry block, paid first
  if (code->native.get()) return RunStatus::kSwitchTier;         // compiled: baseline::run enters it
  if (count_and_tier_up(*code, *func->instance->code, kTierCallUnits))
    return RunStatus::kSwitchTier;  // just compiled (a hot export called by the host)
  return run_impl(&ctx);
}

}  // namespace airwasm::interp
