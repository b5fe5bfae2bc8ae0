// component: the reader's shared cursor, used by reader.cc (sections, definitions) and
// reader_types.cc (core and component types). Not part of the library's interface.
#pragma once

#include <string>

#include "base/byte_reader.hh"
#include "component/ast.hh"
#include "component/try_set.hh"

namespace airwasm::component::detail {

using namespace ::airwasm::component::ast;  // the front end works on the syntax throughout

constexpr const char* kEof = "unexpected end-of-file";
// Nesting limit for components, type declarators and module types, so hostile input cannot exhaust
// the native stack (the decoder recurses once per nesting level).
constexpr unsigned kMaxNesting = 100;

class Reader {
 public:
  Reader(std::span<const uint8_t> data, size_t base) : r_(data, base, kEof) {}
  base::ByteReader& raw() { return r_; }
  size_t offset() const { return r_.offset(); }
  bool at_end() const { return r_.at_end(); }

  Result<uint8_t> u8() { return r_.u8(); }
  Result<uint32_t> u32() { return r_.u32(); }
  Result<std::string> name();
  // A vector length: a u32 whose items need at least one byte each, checked against what is left.
  Result<uint32_t> count();
  std::unexpected<Error> bad_byte(uint8_t b, const char* what, size_t at) const;
  Result<bool> boolean();

  // Sorts.
  Result<Sort> core_sort_byte(uint8_t b, size_t at, const char* what);
  Result<Sort> sort();  // component sortidx's sort (core sorts prefixed by 0x00)

  // Types (reader_types.cc).
  Result<CoreValType> core_valtype();
  Result<CoreValType> core_reftype_from(uint8_t b, size_t at);
  Result<CoreTypeDef> core_type(bool in_module_type, unsigned depth);
  Result<CoreExternType> core_externtype();
  Result<ValTypeRef> valtype();
  Result<TypeDef> type_def(unsigned depth);
  Result<ExternDesc> extern_desc();
  Result<ExternName> extern_name();
  Result<Alias> alias();
  Result<std::optional<ValTypeRef>> optional_valtype();
  Result<std::optional<ValTypeRef>> result_list();

 private:
  Result<CoreSubType> core_subtype(uint8_t lead, size_t at);
  Result<CoreLimits> core_limits(bool table);
  Result<std::vector<TypeDecl>> type_decls(bool component, unsigned depth);
  Result<DefinedType> defined_type(uint8_t lead, size_t at);

  base::ByteReader r_;
};

}  // namespace airwasm::component::detail
