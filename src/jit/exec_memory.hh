// jit: executable memory under W^X. Code is written into a private read-write mapping (WritableCode),
// then published: the mapping is flipped to read+execute in one mprotect and the writable handle is
// consumed, so no page is ever writable and executable at once and published code cannot be changed
// (ExecutableCode has no writable view). A region is freed as a unit (munmap) when its owner goes away.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "airwasm/error.hh"

namespace airwasm::jit {

class ExecutableCode;

namespace detail {
// One private anonymous mapping, owned: unmapped when destroyed; moving leaves the source empty. The
// state both WritableCode and ExecutableCode hold (publishing hands it from the first to the second).
class CodeMapping {
 public:
  CodeMapping() = default;
  CodeMapping(uint8_t* base, size_t size, size_t mapped) : base_(base), size_(size), mapped_(mapped) {}
  CodeMapping(CodeMapping&& o) noexcept;
  CodeMapping& operator=(CodeMapping&& o) noexcept;
  CodeMapping(const CodeMapping&) = delete;
  CodeMapping& operator=(const CodeMapping&) = delete;
  ~CodeMapping();
  uint8_t* base() const { return base_; }
  size_t size() const { return size_; }      // usable bytes (the requested size)
  size_t mapped() const { return mapped_; }  // bytes mapped (whole pages)

 private:
  uint8_t* base_ = nullptr;
  size_t size_ = 0;
  size_t mapped_ = 0;
};
}  // namespace detail

// A read-write mapping that code is assembled or copied into before publication.
class WritableCode {
 public:
  // Maps at least `size` bytes (rounded up to whole pages) read-write. kLimit error if the mapping fails;
  // kUsage error for size 0.
  static Result<WritableCode> create(size_t size);

  std::span<uint8_t> bytes() { return {region_.base(), region_.size()}; }
  size_t size() const { return region_.size(); }

  // Makes the mapping read+execute (never writable again) and hands it to an ExecutableCode; this
  // object is empty afterwards. The instruction cache needs no flush on x86-64.
  Result<ExecutableCode> publish() &&;

 private:
  explicit WritableCode(detail::CodeMapping region) : region_(std::move(region)) {}
  detail::CodeMapping region_;
};

// Published, immutable machine code: readable and executable, never writable.
class ExecutableCode {
 public:
  ExecutableCode() = default;

  const uint8_t* data() const { return region_.base(); }
  size_t size() const { return region_.size(); }
  bool empty() const { return region_.base() == nullptr; }
  // The code at `offset` as a function pointer of type F (a plain C function type).
  template <typename F>
  F* entry(size_t offset = 0) const {
    return reinterpret_cast<F*>(region_.base() + offset);
  }

 private:
  friend class WritableCode;
  explicit ExecutableCode(detail::CodeMapping region) : region_(std::move(region)) {}
  detail::CodeMapping region_;  // read+execute: no writable view is offered
};

// Convenience: maps, copies `code` in and publishes it.
Result<ExecutableCode> publish_code(std::span<const uint8_t> code);

}  // namespace airwasm::jit
