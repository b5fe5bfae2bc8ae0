// wasm: the instruction vocabulary generated from opcodes.def: the Opcode enum, per-opcode static info
// (text, immediate kind, operand signature, natural alignment / lane count, fuel cost) and `Instr`, one
// decoded instruction with its immediates. Tables are constexpr; nothing here allocates.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

#include "airwasm/value.hh"
#include "wasm/types.hh"

namespace airwasm::wasm {

enum class ImmKind : uint8_t {
  None,
  BlockType,   // block type (s33)
  Index,       // one u32 index (local, global, func, label, table, data, elem)
  IndexPair,   // two u32 indices (call_indirect: type, table; table.init: elem, table; table.copy: dst, src)
  BrTable,     // vec(label) label
  SelectT,     // vec(valtype)
  MemArg,      // align u32, offset u32
  MemArgLane,  // memarg, lane byte
  MemIndex,    // memory index (a zero byte in 2.0) -> Instr::index
  MemPair,     // memory.copy: destination and source memory (zero bytes in 2.0) -> index, index2
  IndexMem,    // memory.init: u32 data index, memory index (a zero byte in 2.0) -> index, index2
  I32,
  I64,
  F32,
  F64,
  V128,
  Shuffle,   // 16 lane bytes
  Lane,      // one lane byte
  RefType,   // reftype byte
  TryTable,  // block type, vec(catch clause); the clauses go to InstrReader::br_targets() as triples
};

// try_table catch clause kinds (binary encoding).
enum CatchKind : uint32_t { kCatch = 0, kCatchRef = 1, kCatchAll = 2, kCatchAllRef = 3 };

enum class Opcode : uint16_t {
#define AIRWASM_OP(name, code, text, imm, sig, arg) name,
#include "wasm/opcodes.def"
#undef AIRWASM_OP
  kCount
};
constexpr size_t kOpcodeCount = size_t(Opcode::kCount);

// Operand signature of a "simple" instruction (one whose typing is fully described by opcodes.def).
struct OpSignature {
  uint8_t num_params = 0;
  ValType params[3] = {};
  bool has_result = false;
  ValType result = ValType::kBottom;
  bool special = true;  // typed by hand in the validator
};

struct OpInfo {
  const char* text;
  uint16_t code;  // 0x00XX, 0xFCXX or 0xFDXX
  ImmKind imm;
  OpSignature sig;
  uint8_t arg;  // natural alignment (log2) or lane count
};

namespace detail {
constexpr ValType sig_char_type(char c) {
  switch (c) {
    case 'i':
      return ValType::kI32;
    case 'l':
      return ValType::kI64;
    case 'f':
      return ValType::kF32;
    case 'd':
      return ValType::kF64;
    case 'v':
      return ValType::kV128;
  }
  return ValType::kBottom;
}
constexpr OpSignature parse_signature(const char* s) {
  OpSignature sig;
  if (s[0] == 0) return sig;
  sig.special = false;
  size_t i = 0;
  for (; s[i] != '>'; ++i) sig.params[sig.num_params++] = sig_char_type(s[i]);
  ++i;
  if (s[i] != 0) {
    sig.has_result = true;
    sig.result = sig_char_type(s[i]);
  }
  return sig;
}
}  // namespace detail

inline constexpr OpInfo kOpInfo[kOpcodeCount] = {
#define AIRWASM_OP(name, code, text, imm, sig, arg) \
  {text, code, ImmKind::imm, detail::parse_signature(sig), arg},
#include "wasm/opcodes.def"
#undef AIRWASM_OP
};

constexpr const OpInfo& op_info(Opcode op) {
  return kOpInfo[size_t(op)];
}
constexpr const char* op_name(Opcode op) {
  return kOpInfo[size_t(op)].text;
}

// Lookup from encoding to Opcode; kCount marks an illegal encoding.
// `single` is Wasm 2.0 (+ SIMD prefix); `single_eh` adds the exception-handling opcodes.
constexpr bool is_exception_opcode(uint16_t code) {
  return code == 0x08 || code == 0x0A || code == 0x1F;
}
struct OpcodeMaps {
  Opcode single[256];
  Opcode single_eh[256];
  Opcode fc[32];
  Opcode fd[256];
};
constexpr OpcodeMaps make_opcode_maps() {
  OpcodeMaps m{};
  for (auto& o : m.single) o = Opcode::kCount;
  for (auto& o : m.single_eh) o = Opcode::kCount;
  for (auto& o : m.fc) o = Opcode::kCount;
  for (auto& o : m.fd) o = Opcode::kCount;
  for (size_t i = 0; i < kOpcodeCount; ++i) {
    const uint16_t code = kOpInfo[i].code;
    if (code < 0x100) {
      m.single_eh[code] = Opcode(i);
      if (!is_exception_opcode(code)) m.single[code] = Opcode(i);
    } else if ((code >> 8) == 0xFC)
      m.fc[code & 0xff] = Opcode(i);
    else
      m.fd[code & 0xff] = Opcode(i);
  }
  return m;
}
inline constexpr OpcodeMaps kOpcodeMaps = make_opcode_maps();

// Fuel cost per instruction, wasmtime's default accounting.
constexpr uint32_t fuel_cost(Opcode op) {
  switch (op) {
    case Opcode::Nop:
    case Opcode::Drop:
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::Unreachable:
    case Opcode::Return:
    case Opcode::Else:
    case Opcode::End:
    case Opcode::TryTable:
      return 0;
    default:
      return 1;
  }
}

using airwasm::V128;

struct BlockType {
  enum Kind : uint8_t { kEmpty, kValue, kTypeIndex };
  Kind kind = kEmpty;
  ValType value = ValType::kI32;  // kValue
  uint32_t type_index = 0;        // kTypeIndex
};

// One decoded instruction. Only the fields named by the opcode's ImmKind are meaningful.
struct Instr {
  Opcode op = Opcode::Nop;
  uint32_t index = 0;   // Index, IndexPair (first), IndexMem (data), SelectT (count), BrTable (count)
  uint32_t index2 = 0;  // IndexPair (second); MemArg, IndexMem: memory index; MemPair: source memory
  uint64_t offset = 0;  // MemArg offset; BrTable: byte offset of the first label in the code
  uint32_t align = 0;   // MemArg alignment exponent
  uint8_t lane = 0;     // Lane, MemArgLane
  ValType type = ValType::kI32;  // RefType, SelectT (first type)
  BlockType block;               // BlockType
  union {
    int32_t i32;
    int64_t i64;
    uint32_t f32_bits;
    uint64_t f64_bits;
  } value = {0};
  V128 v128;            // V128 constant or Shuffle lanes
  size_t position = 0;  // byte offset of the opcode
};

}  // namespace airwasm::wasm
