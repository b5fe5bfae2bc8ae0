// jit: executable memory under W^X. Code is written into a private read-write mapping (WritableCode),
// then published: the mapping is flipped to read+execute in one mprotect and the writable handle is
// consumed, so no page is ever writable and executable at once and published code cannot be changed
// (ExecutableCode has no writable view). A region is freed as a unit (munmap) when its owner goes away.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "airwasm/error.hh"

namespace airwasm::jit {

class ExecutableCode;

// A read-write mapping that code is assembled or copied into before publication.
class WritableCode {
 public:
  // Maps at least `size` bytes (rounded up to whole pages) read-write. kLimit error if the mapping fails;
  // kUsage error for size 0.
  static Result<WritableCode> create(size_t size);

  WritableCode(WritableCode&& o) noexcept;
  WritableCode& operator=(WritableCode&& o) noexcept;
  WritableCode(const WritableCode&) = delete;
  WritableCode& operator=(const WritableCode&) = delete;
  ~WritableCode();

  std::span<uint8_t> bytes() { return {base_, size_}; }
  size_t size() const { return size_; }

  // Makes the mapping read+execute (never writable again) and hands it to an ExecutableCode; this
  // object is empty afterwards. The instruction cache needs no flush on x86-64.
  Result<ExecutableCode> publish() &&;

 private:
  WritableCode(uint8_t* base, size_t size, size_t mapped) : base_(base), size_(size), mapped_(mapped) {}
  uint8_t* base_ = nullptr;
  size_t size_ = 0;    // usable bytes (the requested size)
  size_t mapped_ = 0;  // bytes mapped (whole pages)
};

// Published, immutable machine code: readable and executable, never writable.
class ExecutableCode {
 public:
  ExecutableCode() = default;
  ExecutableCode(ExecutableCode&& o) noexcept;
  ExecutableCode& operator=(ExecutableCode&& o) noexcept;
  ExecutableCode(const ExecutableCode&) = delete;
  ExecutableCode& operator=(const ExecutableCode&) = delete;
  ~ExecutableCode();

  const uint8_t* data() const { return base_; }
  size_t size() const { return size_; }
  bool empty() const { return base_ == nullptr; }
  // The code at `offset` as a function pointer of type F (a plain C function type).
  template <typename F>
  F* entry(size_t offset = 0) const {
    return reinterpret_cast<F*>(const_cast<uint8_t*>(base_ + offset));
  }

 private:
  friend class WritableCode;
  ExecutableCode(const uint8_t* base, size_t size, size_t mapped)
      : base_(base), size_(size), mapped_(mapped) {}
  const uint8_t* base_ = nullptr;
  size_t size_ = 0;
  size_t mapped_ = 0;
};

// Convenience: maps, copies `code` in and publishes it.
Result<ExecutableCode> publish_code(std::span<const uint8_t> code);

}  // namespace airwasm::jit
