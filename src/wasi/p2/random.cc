// wasi/p2: wasi:random/random, wasi:random/insecure and wasi:random/insecure-seed (three tiny
// interfaces, one file). All are served by getrandom(2): the kernel CSPRNG is fast enough that an
// "insecure" generator would only add a second code path. Lengths are clamped (a guest asking for 2^64
// bytes must not make the host allocate them).
#include <algorithm>
#include <cerrno>

#include "wasi/os.hh"
#include "wasi/p2/state.hh"

namespace airwasm::wasi::p2::internal {
namespace {

constexpr uint64_t kMaxBytes = 1 << 20;

void fill(void* p, size_t n) {
  // getrandom cannot fail on a kernel that has it; were it to, the buffer would stay as it is.
  (void)wasi::internal::fill_random(p, n);
}

uint64_t u64() {
  uint64_t v = 0;
  fill(&v, sizeof v);
  return v;
}

TrapResult<void> bytes(Call& c) {
  const uint64_t n = std::min<uint64_t>(c.p.empty() ? 0 : c.p[0].as_u64(), kMaxBytes);
  std::string buf(size_t(n), '\0');
  fill(buf.data(), buf.size());
  c.ret(bytes_val(reinterpret_cast<const uint8_t*>(buf.data()), buf.size()));
  return {};
}
TrapResult<void> random_u64(Call& c) {
  c.ret(Val::u64(u64()));
  return {};
}
TrapResult<void> seed(Call& c) {
  c.ret(Val::tuple({Val::u64(u64()), Val::u64(u64())}));
  return {};
}

constexpr FuncDef kRandom[] = {{"get-random-bytes", bytes}, {"get-random-u64", random_u64}};
constexpr FuncDef kInsecure[] = {{"get-insecure-random-bytes", bytes},
                                 {"get-insecure-random-u64", random_u64}};
constexpr FuncDef kSeed[] = {{"insecure-seed", seed}};

}  // namespace

Result<void> define_random(component::Linker& linker, const ContextGetter& g) {
  AIRWASM_TRY(define(linker.instance(iface("wasi:random/random")), g, kRandom, {}));
  AIRWASM_TRY(define(linker.instance(iface("wasi:random/insecure")), g, kInsecure, {}));
  return define(linker.instance(iface("wasi:random/insecure-seed")), g, kSeed, {});
}

}  // namespace airwasm::wasi::p2::internal
