// component: subtyping of component-level types (Explainer "Type Checking"): instance and component
// types may export more and import less; everything else must be equal. Abstract resources of the
// expected side are bound to the actual side's resources as they are met, in declaration order.
// Messages follow the official tests ("type mismatch in record field `x`", "expected u32, found tuple").
#pragma once

#include <unordered_set>

#include "base/result.hh"
#include "component/try_set.hh"
#include "component/types.hh"

namespace airwasm::component {

class SubtypeCx {
 public:
  explicit SubtypeCx(TypeStore& store) : s_(store) {}

  // `a` (actual) is a subtype of `b` (expected).
  Result<void> entity(const Entity& a, const Entity& b, size_t off);
  Result<void> any_type(TypeId a, TypeId b, size_t off);
  Result<void> val(TypeId a, TypeId b, size_t off);
  Result<void> func(TypeId a, TypeId b, size_t off);
  Result<void> instance(TypeId a, TypeId b, size_t off);
  Result<void> component(TypeId a, TypeId b, size_t off);
  Result<void> module(TypeId a, TypeId b, size_t off);
  static Result<void> core_entity(const CoreEntity& a, const CoreEntity& b, size_t off);

  // Matches named arguments against expected imports (or exports), binding resources.
  Result<void> open(const std::vector<NamedEntity>& args, const std::vector<NamedEntity>& expected,
                    const char* kind, size_t off);

  void bindable(const std::vector<ResourceId>& rs) { bindable_.insert(rs.begin(), rs.end()); }
  ResourceMap& map() { return map_; }

 private:
  ResourceId resolve(ResourceId r) const;
  Result<void> resources(TypeId a, TypeId b, size_t off);

  TypeStore& s_;
  ResourceMap map_;
  std::unordered_set<ResourceId> bindable_;
};

std::string core_valtype_name(const CoreValType& t);  // "I32", "F64", ... (as in lowering messages)
std::string core_valtype_text(const CoreValType& t);  // "i32", "funcref", ... (text format)
std::string core_func_text(const CoreFuncType& f);    // "(func (param i32) (result i64))"

}  // namespace airwasm::component
