// wasm: plain data for WebAssembly types. The descriptors themselves are the public ones
// (include/airwasm/types.hh) so the API and the internals share one definition; this header adds the
// engine-side helpers and constants.
#pragma once

#include "airwasm/types.hh"

namespace airwasm::wasm {

using airwasm::ExternKind;
using airwasm::FuncType;
using airwasm::GlobalType;
using airwasm::Limits;
using airwasm::MemoryType;
using airwasm::TableType;
using airwasm::ValType;

// exnref (0x69) is a value type only with the exception-handling proposal: see decode's read_valtype.
inline bool is_valtype_byte(uint8_t b) {
  return b == 0x7f || b == 0x7e || b == 0x7d || b == 0x7c || b == 0x7b || b == 0x70 || b == 0x6f;
}
inline bool is_reftype(ValType t) {
  return t == ValType::kFuncRef || t == ValType::kExternRef || t == ValType::kExnRef;
}
// Number of 8-byte interpreter slots a value of this type occupies.
inline uint32_t slot_count(ValType t) {
  return t == ValType::kV128 ? 2 : 1;
}

constexpr uint64_t kPageSize = 65536;
constexpr uint64_t kMaxPages32 = 65536;  // 4 GiB
constexpr uint64_t kMaxTableSize = 0xffffffffull;

}  // namespace airwasm::wasm
