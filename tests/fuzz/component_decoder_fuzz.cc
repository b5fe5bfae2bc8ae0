// tests/fuzz: libFuzzer target for the component reader and validator. Any input must give a value or an
// Error, never a crash, hang or sanitizer report. Built with clang (see build_fuzz.sh), not with g++.
#include <cstddef>
#include <cstdint>
#include <span>

#include "component/reader.hh"
#include "component/validator.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = airwasm::component::load_component(std::span<const uint8_t>(data, size));
  (void)r;
  return 0;
}
