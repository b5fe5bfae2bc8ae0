// tests/fuzz: libFuzzer target for the component front end: the reader and validator (nested core modules
// included) and, for inputs that validate, the WIT decoding and printing of `airwasm wit`. Any input must
// give a value or an Error, never a crash, hang or sanitizer report. Built with clang (see build_fuzz.sh),
// not with g++.
#include <cstddef>
#include <cstdint>
#include <span>

#include "component/reader.hh"
#include "component/validator.hh"
#include "component/wit_printer.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  auto validated = airwasm::component::load_component(bytes);
  if (validated) {
    auto wit = airwasm::component::component_wit(bytes);
    (void)wit;
  }
  return 0;
}
