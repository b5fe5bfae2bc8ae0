// runtime: copy-on-write memory images. A module whose memory 0 is its own and whose active data
// segments for it all sit at constant offsets inside the initial size gets, once per Module (shared by
// every Store), a memory file (memfd) holding memory 0's initial contents. Instantiation then maps that
// file MAP_PRIVATE over the start of the freshly reserved memory instead of copying the segments byte by
// byte: pages the instance never writes stay shared with every other instance, and instantiating a
// JavaScript plugin with megabytes of data costs a few system calls instead of a large memcpy.
// Modules with little data keep the copy (cheaper than the mapping's system calls and page faults).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "wasm/module.hh"

namespace airwasm::internal {

struct MemoryImage {
  int fd = -1;
  uint64_t length = 0;  // bytes to map, a multiple of the page size, at most memory 0's initial size
  ~MemoryImage();
  MemoryImage() = default;
  MemoryImage(const MemoryImage&) = delete;
  MemoryImage& operator=(const MemoryImage&) = delete;
};

// Builds the image, or returns null when the module does not qualify (see above) or the system refuses.
std::unique_ptr<MemoryImage> build_memory_image(const wasm::Module& module);

// Maps the image over the start of a memory whose initial pages are committed. False: nothing changed.
bool map_memory_image(const MemoryImage& image, uint8_t* base, uint64_t size_bytes);

}  // namespace airwasm::internal
