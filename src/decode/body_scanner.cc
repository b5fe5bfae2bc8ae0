// decode: see body_scanner.hh.
#include "decode/body_scanner.hh"

#include "decode/instr_reader.hh"

namespace airwasm::decode {

std::unexpected<Error> body_end_error(const wasm::Module& module, size_t index) {
  const wasm::FunctionBody& body = module.codes[index];
  const size_t end = body.code_offset + body.code.size();
  if (end >= module.binary.size()) return base::malformed("unexpected end of section or function", end);
  if (index + 1 == module.codes.size()) return base::malformed("section size mismatch", end);
  return base::malformed("END opcode expected", end);
}

std::optional<Error> find_malformed_body(const wasm::Module& module, size_t first, const Features& features) {
  wasm::Instr in;
  for (size_t i = first; i < module.codes.size(); ++i) {
    const wasm::FunctionBody& body = module.codes[i];
    base::ByteReader reader(body.code, body.code_offset, "unexpected end of section or function");
    InstrReader instrs(reader, features);
    size_t depth = 1;
    while (depth > 0) {
      if (reader.at_end()) return body_end_error(module, i).error();
      if (auto r = instrs.next(in); !r) return r.error();
      switch (in.op) {
        case wasm::Opcode::Block:
        case wasm::Opcode::Loop:
        case wasm::Opcode::If:
        case wasm::Opcode::TryTable:
          ++depth;
          break;
        case wasm::Opcode::End:
          --depth;
          break;
        default:
          break;
      }
    }
    if (!reader.at_end()) return base::malformed("section size mismatch", reader.offset()).error();
  }
  return std::nullopt;
}

}  // namespace airwasm::decode
