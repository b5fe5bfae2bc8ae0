// jit: executable memory under W^X (see exec_memory.hh). Private anonymous mappings, one per region:
// a region never shares a page with anything else, so flipping its protection affects nothing else.
#include "jit/exec_memory.hh"

#include "base/result.hh"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <utility>

namespace airwasm::jit {

namespace {

size_t page_size() {
  static const size_t size = size_t(sysconf(_SC_PAGESIZE));
  return size;
}

void unmap(const uint8_t* base, size_t mapped) {
  if (base) munmap(const_cast<uint8_t*>(base), mapped);
}

}  // namespace

Result<WritableCode> WritableCode::create(size_t size) {
  if (size == 0) return make_error(ErrorKind::kUsage, "executable memory: cannot map an empty code region");
  const size_t page = page_size();
  if (size > SIZE_MAX - page)
    return make_error(ErrorKind::kLimit, "executable memory: code region too large");
  const size_t mapped = (size + page - 1) / page * page;
  void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return make_error(ErrorKind::kLimit,
                      "executable memory: cannot map " + std::to_string(mapped) + " bytes");
  return WritableCode(detail::CodeMapping(static_cast<uint8_t*>(p), size, mapped));
}

Result<ExecutableCode> WritableCode::publish() && {
  if (!region_.base())
    return make_error(ErrorKind::kUsage, "executable memory: publishing an empty code region");
  // One call flips every page from RW to RX: there is no moment at which a page is both.
  if (mprotect(region_.base(), region_.mapped(), PROT_READ | PROT_EXEC) != 0)
    return make_error(ErrorKind::kLimit, "executable memory: cannot make the code region executable");
  return ExecutableCode(std::move(region_));
}

namespace detail {

CodeMapping::CodeMapping(CodeMapping&& o) noexcept
    : base_(std::exchange(o.base_, nullptr)),
      size_(std::exchange(o.size_, 0)),
      mapped_(std::exchange(o.mapped_, 0)) {}

CodeMapping& CodeMapping::operator=(CodeMapping&& o) noexcept {
  if (this != &o) {
    unmap(base_, mapped_);
    base_ = std::exchange(o.base_, nullptr);
    size_ = std::exchange(o.size_, 0);
    mapped_ = std::exchange(o.mapped_, 0);
  }
  return *this;
}

CodeMapping::~CodeMapping() {
  unmap(base_, mapped_);
}

}  // namespace detail

Result<ExecutableCode> publish_code(std::span<const uint8_t> code) {
  AIRWASM_TRY_ASSIGN(WritableCode w, WritableCode::create(code.size()));
  std::memcpy(w.bytes().data(), code.data(), code.size());
  return std::move(w).publish();
}

}  // namespace airwasm::jit
