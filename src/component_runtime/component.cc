// component runtime: Component::compile (decode, validate with records, compile each nested core module
// once) and the descriptions of a component's imports and exports.
#include <cstdlib>
#include <string_view>

#include "component/reader.hh"
#include "component_runtime/internal.hh"

namespace airwasm::component {

Result<Component> Component::compile(const Engine& engine, std::span<const uint8_t> bytes) {
  auto impl = std::make_shared<rt::ComponentImpl>();
  impl->engine = engine;
  impl->bytes.assign(bytes.begin(), bytes.end());
  AIRWASM_TRY_ASSIGN(impl->ast, read_component(impl->bytes));
  ValidateOptions options;
  options.record = &impl->record;
  rt::ComponentImpl* raw = impl.get();
  options.compile_module = [raw, &engine](const ast::CoreModuleBytes& m) -> Result<void> {
    auto module = Module::compile(engine, m.bytes);
    if (!module) {
      Error e = module.error();
      if (e.offset != Error::kNoOffset) e.offset += m.offset;
      return std::unexpected(std::move(e));
    }
    raw->modules.emplace(&m, std::move(*module));
    return {};
  };
  AIRWASM_TRY_ASSIGN(impl->validated, validate_component(*impl->ast, options));
  // The flat instantiation plan; a component it cannot express is instantiated by the definition walk.
  // AIRWASM_COMPONENT_WALK=1 forces the walk, so that tests can check that both agree (component_spec_walk).
  static const bool force_walk = [] {
    const char* v = std::getenv("AIRWASM_COMPONENT_WALK");
    return v && *v && std::string_view(v) != "0";
  }();
  if (force_walk)
    impl->plan_fallback = "AIRWASM_COMPONENT_WALK is set";
  else if (auto plan = rt::translate_plan(*impl))
    impl->plan = std::move(*plan);
  else
    impl->plan_fallback = plan.error().message;
  return Component(std::move(impl));
}

namespace {

std::vector<ComponentItem> describe(const TypeStore& ts, const std::vector<NamedEntity>& items) {
  std::vector<ComponentItem> out;
  for (const NamedEntity& e : items) {
    ComponentItem it;
    it.name = e.name;
    it.kind = entity_kind_name(e.entity.kind);
    if (e.entity.kind == Entity::Kind::kFunc) {
      it.type = rt::func_signature(ts, e.entity.type);
    } else if (e.entity.kind == Entity::Kind::kInstance) {
      for (const NamedEntity& x : ts.instance(e.entity.type).exports) {
        if (!it.type.empty()) it.type += ", ";
        it.type += x.name;
      }
    }
    out.push_back(std::move(it));
  }
  return out;
}

}  // namespace

std::vector<ComponentItem> Component::imports() const {
  const TypeStore& ts = impl_->types();
  return describe(ts, ts.component(impl_->validated.type).imports);
}

std::vector<ComponentItem> Component::exports() const {
  const TypeStore& ts = impl_->types();
  return describe(ts, ts.component(impl_->validated.type).exports);
}

Module::CompileInfo Component::compile_info() const {
  Module::CompileInfo sum;
  for (const auto& [bytes, module] : impl_->modules) {
    const Module::CompileInfo m = module.compile_info();
    sum.compiled_functions += m.compiled_functions;
    sum.interpreted_functions += m.interpreted_functions;
    sum.hot_compiled_functions += m.hot_compiled_functions;
    sum.code_bytes += m.code_bytes;
    if (sum.first_refusal.empty()) sum.first_refusal = m.first_refusal;
  }
  return sum;
}

}  // namespace airwasm::component

namespace airwasm::component::rt {

ComponentStore& ComponentStore::of(Store& store) {
  static const size_t slot = internal::register_store_extension();
  return store.impl().extension<ComponentStore>(slot);
}

// A value type in WIT syntax (structural: records and variants are spelled out).
std::string type_text(const TypeStore& ts, TypeId id) {
  if (id == kNoType) return "_";
  const TypeNode& n = ts.canon(id);
  auto list = [&](const char* open, const char* close) {
    std::string s = open;
    for (size_t i = 0; i < n.children.size(); ++i) {
      if (i) s += ", ";
      if (i < n.labels.size()) s += n.labels[i];
      if (n.children[i] != kNoType) s += (i < n.labels.size() ? ": " : "") + type_text(ts, n.children[i]);
    }
    return s + close;
  };
  auto labels = [&](const char* kw) {
    std::string s = std::string(kw) + " { ";
    for (size_t i = 0; i < n.labels.size(); ++i) s += (i ? ", " : "") + n.labels[i];
    return s + " }";
  };
  switch (n.kind) {
    case TypeKind::kPrim:
      return prim_name(n.prim);
    case TypeKind::kRecord:
      return list("record { ", " }");
    case TypeKind::kTuple:
      return list("tuple<", ">");
    case TypeKind::kVariant: {
      std::string s = "variant { ";
      for (size_t i = 0; i < n.labels.size(); ++i) {
        s += (i ? ", " : "") + n.labels[i];
        if (n.children[i] != kNoType) s += "(" + type_text(ts, n.children[i]) + ")";
      }
      return s + " }";
    }
    case TypeKind::kFlags:
      return labels("flags");
    case TypeKind::kEnum:
      return labels("enum");
    case TypeKind::kList:
      return "list<" + type_text(ts, n.children[0]) + ">";
    case TypeKind::kOption:
      return "option<" + type_text(ts, n.children[0]) + ">";
    case TypeKind::kResult:
      if (n.children[0] == kNoType && n.children[1] == kNoType) return "result";
      return "result<" + type_text(ts, n.children[0]) +
             (n.children[1] != kNoType ? ", " + type_text(ts, n.children[1]) : "") + ">";
    case TypeKind::kOwn:
      return "own<resource>";
    case TypeKind::kBorrow:
      return "borrow<resource>";
    default:
      return ts.describe(id);
  }
}

std::string func_signature(const TypeStore& ts, TypeId func) {
  const TypeNode& f = ts.node(ts.strip(func));
  std::string s = "func(";
  for (size_t i = 0; i < f.labels.size(); ++i) {
    if (i) s += ", ";
    s += f.labels[i] + ": " + type_text(ts, f.children[i]);
  }
  s += ")";
  if (!f.children.empty() && f.children.back() != kNoType) s += " -> " + type_text(ts, f.children.back());
  return s;
}

}  // namespace airwasm::component::rt
