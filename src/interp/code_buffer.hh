// interp: the growable byte buffer lowered code is written into. Appends are inline and do not
// zero-fill (std::vector::resize would write every byte twice); growth doubles the capacity. Lowered code
// is roughly ten times the size of the wasm it comes from, so lower_module() reserves accordingly.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace airwasm::interp {

class CodeBuffer {
 public:
  CodeBuffer() = default;
  CodeBuffer(const CodeBuffer&) = delete;
  CodeBuffer& operator=(const CodeBuffer&) = delete;
  CodeBuffer(CodeBuffer&& o) noexcept : data_(std::move(o.data_)), size_(o.size_), capacity_(o.capacity_) {
    o.size_ = o.capacity_ = 0;
  }

  const uint8_t* data() const { return data_.get(); }
  uint8_t* data() { return data_.get(); }
  size_t size() const { return size_; }

  void reserve(size_t capacity) {
    if (capacity > capacity_) reallocate(capacity);
  }
  void append(const void* p, size_t n) {
    if (n > capacity_ - size_) [[unlikely]]
      reallocate(std::max(capacity_ * 2, size_ + n + 4096));
    std::memcpy(data_.get() + size_, p, n);
    size_ += n;
  }
  void truncate(size_t size) { size_ = size; }  // drops bytes at the end (size <= size())

 private:
  struct Free {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  void reallocate(size_t capacity) {
    auto* p = static_cast<uint8_t*>(std::realloc(data_.release(), capacity));
    if (!p) throw std::bad_alloc();
    data_.reset(p);
    capacity_ = capacity;
  }
  std::unique_ptr<uint8_t, Free> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace airwasm::interp
