// Unit-test helper: assembles module binaries by hand (header, sections, LEB128, names) so that the
// decoder tests can state each case byte by byte, the way the spec's binary.wast does.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace airwasm::test {

using Bytes = std::vector<uint8_t>;

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes uleb(uint64_t v) {
  Bytes out;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
  return out;
}

inline Bytes sleb(int64_t v) {
  Bytes out;
  for (;;) {
    uint8_t b = v & 0x7f;
    v >>= 7;  // arithmetic shift
    const bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    if (!done) b |= 0x80;
    out.push_back(b);
    if (done) return out;
  }
}

inline Bytes name(std::string_view s) {
  return cat({uleb(s.size()), Bytes(s.begin(), s.end())});
}

// A vector: the count followed by the items.
inline Bytes vec(std::initializer_list<Bytes> items) {
  Bytes out = uleb(items.size());
  for (const Bytes& i : items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

inline Bytes section(uint8_t id, const Bytes& payload) {
  return cat({Bytes{id}, uleb(payload.size()), payload});
}

inline Bytes header() {
  return {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
}

inline Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out = header();
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

// Common pieces.
inline Bytes functype(const Bytes& params, const Bytes& results) {
  return cat({Bytes{0x60}, uleb(params.size()), params, uleb(results.size()), results});
}
inline Bytes i32_const(int32_t v) {
  return cat({Bytes{0x41}, sleb(v)});
}
inline Bytes expr(const Bytes& instrs) {
  return cat({instrs, Bytes{0x0b}});
}
// A function body: local declarations (count, type pairs already encoded) and the instruction bytes.
inline Bytes body(const Bytes& locals, const Bytes& code) {
  const Bytes content = cat({locals, code});
  return cat({uleb(content.size()), content});
}

}  // namespace airwasm::test
