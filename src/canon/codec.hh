// canon: helpers shared by the value codec (abi.cc) and the string codec (strings.cc): trap construction,
// bounds-checked little-endian access to guest memory, and the checked realloc call.
//
// Invariant: every guest address is a uint64_t computed from 32-bit guest values, so no sum of a pointer
// and a length (both < 2^32, or a size < 2^41 from the TypeStore) can wrap; every access is compared with
// GuestMemory::bytes(), re-read after each realloc (which may grow the memory; it never moves).
#pragma once

#include <cstring>
#include <expected>
#include <string>

#include "base/result.hh"
#include "canon/abi.hh"

namespace airwasm::canon::detail {

inline std::unexpected<Trap> trap(TrapCode code, std::string message) {
  return std::unexpected(Trap(code, std::move(message)));
}
inline std::unexpected<Trap> host_error(std::string message) {
  return trap(TrapCode::kHostError, std::move(message));
}

inline uint64_t align_to(uint64_t v, uint64_t a) {
  return (v + a - 1) / a * a;
}
inline bool aligned(uint64_t v, uint64_t a) {
  return v % a == 0;
}

inline bool in_bounds(const Context& cx, uint64_t ptr, uint64_t len) {
  const uint64_t size = cx.memory.bytes();
  return ptr <= size && len <= size - ptr;
}

// Little-endian reads and writes of n (1, 2, 4 or 8) bytes. Callers have checked the range; the check is
// repeated here (it is cheap) so that a mistake in a caller is a trap rather than a host overrun.
inline TrapResult<uint64_t> read_uint(const Context& cx, uint64_t ptr, unsigned n) {
  if (!in_bounds(cx, ptr, n)) return trap(TrapCode::kMemoryOutOfBounds, "out of bounds memory access");
  uint64_t v = 0;
  std::memcpy(&v, cx.memory.base + ptr, n);  // little-endian host (x86-64, aarch64)
  return v;
}
inline TrapResult<void> write_uint(Context& cx, uint64_t ptr, uint64_t v, unsigned n) {
  if (!in_bounds(cx, ptr, n)) return trap(TrapCode::kMemoryOutOfBounds, "out of bounds memory access");
  std::memcpy(cx.memory.base + ptr, &v, n);
  return {};
}
inline TrapResult<void> write_bytes(Context& cx, uint64_t ptr, const void* src, uint64_t n) {
  if (!in_bounds(cx, ptr, n)) return trap(TrapCode::kMemoryOutOfBounds, "out of bounds memory access");
  if (n) std::memmove(cx.memory.base + ptr, src, n);
  return {};
}

// What a realloc result is for: it chooses the fused-adapter wording of an out-of-bounds result.
enum class Allocation : uint8_t { kString, kList, kTuple };

// Calls the guest's realloc and applies the spec's checks on its result: alignment (when `check_align`,
// as the spec does on every path but two string paths with alignment 1) and bounds of `new_size` bytes.
TrapResult<uint32_t> checked_realloc(Context& cx, uint32_t old_ptr, uint32_t old_size, uint32_t align,
                                     uint64_t new_size, Allocation what, bool check_align = true);

}  // namespace airwasm::canon::detail
