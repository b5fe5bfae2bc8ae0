// wasi: bounds-checked access to the calling instance's linear memory. Every pointer a guest passes is
// checked against the memory's current size before use; a failed check becomes EFAULT, never a host
// read or write outside the memory. Values are little-endian and may be unaligned (memcpy).
// The view is taken once per host call: WASI functions never re-enter WebAssembly, so memory cannot grow
// underneath it.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>

namespace airwasm::wasi {

class GuestMemory {
 public:
  GuestMemory() = default;
  explicit GuestMemory(std::span<uint8_t> bytes) : bytes_(bytes) {}

  bool in_bounds(uint32_t ptr, uint64_t len) const { return uint64_t(ptr) + len <= bytes_.size(); }
  // A pointer to [ptr, ptr+len), or null if any byte is outside the memory.
  uint8_t* range(uint32_t ptr, uint64_t len) const {
    return in_bounds(ptr, len) ? bytes_.data() + ptr : nullptr;
  }
  template <typename T>
  bool load(uint32_t ptr, T& out) const {
    if (!in_bounds(ptr, sizeof(T))) return false;
    std::memcpy(&out, bytes_.data() + ptr, sizeof(T));
    return true;
  }
  template <typename T>
  bool store(uint32_t ptr, T value) const {
    if (!in_bounds(ptr, sizeof(T))) return false;
    std::memcpy(bytes_.data() + ptr, &value, sizeof(T));
    return true;
  }
  std::optional<std::string_view> string(uint32_t ptr, uint32_t len) const {
    const uint8_t* p = range(ptr, len);
    if (!p) return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(p), len);
  }

 private:
  std::span<uint8_t> bytes_;
};

}  // namespace airwasm::wasi
