// runtime: copy-on-write memory images (memory_image.hh).
#include "runtime/memory_image.hh"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>

namespace airwasm::internal {

namespace {

// Below this much initialised data, copying the segments is cheaper than a mapping.
constexpr uint64_t kMinImageBytes = uint64_t{256} << 10;

}  // namespace

MemoryImage::~MemoryImage() {
  if (fd >= 0) close(fd);
}

std::unique_ptr<MemoryImage> build_memory_image(const wasm::Module& m) {
  if (m.memories.empty()) return nullptr;
  for (const wasm::Import& imp : m.imports)
    if (imp.kind == ExternKind::kMemory) return nullptr;  // memory 0 is imported: not ours to initialise
  const uint64_t initial = m.memories[0].limits.min * wasm::kPageSize;
  uint64_t end = 0;
  for (const wasm::DataSegment& seg : m.datas) {
    if (seg.mode != wasm::SegmentMode::kActive || seg.memory != 0) continue;
    // Every active segment of memory 0 must be in the image, or the order of writes would change.
    if (seg.offset.instrs.size() != 1 || seg.offset.instrs[0].op != wasm::Opcode::I32Const) return nullptr;
    const uint64_t offset = uint32_t(seg.offset.instrs[0].value.i32);
    if (offset + seg.bytes.size() > initial) return nullptr;  // instantiation must trap: the copy path does
    end = std::max(end, offset + seg.bytes.size());
  }
  if (end < kMinImageBytes) return nullptr;
  const uint64_t page = uint64_t(sysconf(_SC_PAGESIZE));
  auto image = std::make_unique<MemoryImage>();
  image->length = std::min(initial, (end + page - 1) / page * page);
  image->fd = memfd_create("airwasm-memory-image", MFD_CLOEXEC);
  if (image->fd < 0 || ftruncate(image->fd, off_t(image->length)) != 0) return nullptr;
  for (const wasm::DataSegment& seg : m.datas) {
    if (seg.mode != wasm::SegmentMode::kActive || seg.memory != 0 || seg.bytes.empty()) continue;
    const uint64_t offset = uint32_t(seg.offset.instrs[0].value.i32);
    size_t done = 0;
    while (done < seg.bytes.size()) {
      ssize_t n = pwrite(image->fd, seg.bytes.data() + done, seg.bytes.size() - done, off_t(offset + done));
      if (n <= 0) return nullptr;
      done += size_t(n);
    }
  }
  return image;
}

bool map_memory_image(const MemoryImage& image, uint8_t* base, uint64_t size_bytes) {
  if (image.length > size_bytes) return false;
  void* p = mmap(base, image.length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, image.fd, 0);
  return p == base;
}

}  // namespace airwasm::internal
