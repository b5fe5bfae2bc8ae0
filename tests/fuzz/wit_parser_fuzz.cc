// tests/fuzz: libFuzzer target for the WIT text parser (src/wit/): any input must give a Resolve or an
// Error, never a crash, hang or sanitizer report. For inputs that parse, the round-trip property is
// checked too: the printed text parses again and prints identically (the printer and the parser agree),
// and the JSON dump runs. Built with clang (see build_fuzz.sh), not with g++.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "component/wit_printer.hh"
#include "wit/wit.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  airwasm::wit::ParseOptions options;
  options.all_features = true;
  auto resolve = airwasm::wit::parse_wit_text("fuzz.wit", text, options);
  if (!resolve) return 0;
  (void)airwasm::wit::resolve_to_json(*resolve);
  auto printed = airwasm::component::print_wit(*resolve);
  if (!printed) return 0;  // the model holds something WIT cannot spell (reported, not a crash)
  auto again = airwasm::wit::parse_wit_text("printed.wit", *printed, options);
  if (!again) {
    std::fprintf(stderr, "printed WIT does not parse: %s\n---\n%s\n", again.error().message.c_str(),
                 printed->c_str());
    std::abort();
  }
  auto printed2 = airwasm::component::print_wit(*again);
  if (!printed2 || *printed2 != *printed) {
    std::fprintf(stderr, "round trip differs\n--- first\n%s\n--- second\n%s\n", printed->c_str(),
                 printed2 ? printed2->c_str() : printed2.error().message.c_str());
    std::abort();
  }
  return 0;
}
