// tools: `airwasm inspect` for a component binary (cmd_inspect.cc hands over when the preamble says
// layer 1). Prints the top-level sections, the imports and exports with their kinds, and for instances
// the functions and types they carry with their signatures, then the core modules, nested components and
// custom sections. The component is decoded and type-checked (the types come from the validator); a
// binary that does not decode gives "FILE: error at 0xOFF: message" and exit 1, like a module. One that
// decodes but does not type-check still gets its sections and the names and kinds of its imports and
// exports, then the error, and exit 1. Types are printed structurally, with the names the component gives
// them; this is a summary for people, not WIT (that is `airwasm wit`'s job).
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli.hh"
#include "component/reader.hh"
#include "component/validator.hh"

namespace airwasm::cli {
namespace {

using component::Entity;
using component::NamedEntity;
using component::TypeId;
using component::TypeKind;
using component::TypeNode;
using component::TypeStore;

const char* component_section_name(uint8_t id) {
  static constexpr const char* kNames[] = {
      "custom", "core module", "core instance", "core type", "component", "instance", "alias",
      "type",   "canon",       "start",         "import",    "export",    "value"};
  return id < std::size(kNames) ? kNames[id] : "unknown";
}

const char* desc_kind_name(component::ast::ExternDesc::Kind k) {
  using K = component::ast::ExternDesc::Kind;
  switch (k) {
    case K::kModule:
      return "module";
    case K::kFunc:
      return "func";
    case K::kValue:
      return "value";
    case K::kType:
      return "type";
    case K::kComponent:
      return "component";
    case K::kInstance:
      return "instance";
  }
  return "?";
}

// Renders types of one scope (the component, or one instance) using the names that scope exports.
class TypePrinter {
 public:
  explicit TypePrinter(const TypeStore& store) : s_(store) {}

  void name_types(const std::vector<NamedEntity>& entities) {
    for (const NamedEntity& e : entities) {
      if (e.entity.kind == Entity::Kind::kType && e.entity.type != component::kNoType) {
        names_.emplace(e.entity.type, e.name);
      }
    }
  }

  // A use of a type: its name when it has one in this scope, otherwise its structure.
  std::string ref(TypeId id) const {
    if (id == component::kNoType) return "_";
    for (int guard = 0; guard < 1000; ++guard) {
      if (auto it = names_.find(id); it != names_.end()) return it->second;
      const TypeNode& n = s_.node(id);
      if (n.kind != TypeKind::kAlias || n.children.empty()) break;
      id = n.children[0];
    }
    return structure(id);
  }

  // The definition of a type, with named children printed by name.
  std::string structure(TypeId id) const {
    const TypeNode& n = s_.node(s_.strip(id));
    auto list = [&](const char* open, const char* close, bool labels, bool types) {
      std::string out = open;
      const size_t count = labels ? n.labels.size() : n.children.size();
      for (size_t i = 0; i < count; ++i) {
        if (i) out += ", ";
        if (labels) out += n.labels[i];
        if (types && i < n.children.size() && n.children[i] != component::kNoType) {
          out += labels ? (n.kind == TypeKind::kVariant ? "(" + ref(n.children[i]) + ")"
                                                        : ": " + ref(n.children[i]))
                        : ref(n.children[i]);
        }
      }
      return out + close;
    };
    auto child = [&](size_t i) { return i < n.children.size() ? n.children[i] : component::kNoType; };
    switch (n.kind) {
      case TypeKind::kPrim:
        return component::prim_name(n.prim);
      case TypeKind::kRecord:
        return list("record { ", " }", true, true);
      case TypeKind::kVariant:
        return list("variant { ", " }", true, true);
      case TypeKind::kFlags:
        return list("flags { ", " }", true, false);
      case TypeKind::kEnum:
        return list("enum { ", " }", true, false);
      case TypeKind::kTuple:
        return list("tuple<", ">", false, true);
      case TypeKind::kList:
        return "list<" + ref(child(0)) + ">";
      case TypeKind::kFixedList:
        return "list<" + ref(child(0)) + ", " + std::to_string(n.aux) + ">";
      case TypeKind::kOption:
        return "option<" + ref(child(0)) + ">";
      case TypeKind::kResult: {
        if (child(0) == component::kNoType && child(1) == component::kNoType) return "result";
        if (child(1) == component::kNoType) return "result<" + ref(child(0)) + ">";
        return "result<" + ref(child(0)) + ", " + ref(child(1)) + ">";
      }
      case TypeKind::kOwn:
        return "own<" + ref(child(0)) + ">";
      case TypeKind::kBorrow:
        return "borrow<" + ref(child(0)) + ">";
      case TypeKind::kStream:
        return child(0) == component::kNoType ? "stream" : "stream<" + ref(child(0)) + ">";
      case TypeKind::kFuture:
        return child(0) == component::kNoType ? "future" : "future<" + ref(child(0)) + ">";
      case TypeKind::kMap:
        return "map<" + ref(child(0)) + ", " + ref(child(1)) + ">";
      case TypeKind::kResource:
        return "resource";
      case TypeKind::kFunc: {
        std::string out = n.aux ? "async func(" : "func(";
        const size_t params = n.children.empty() ? 0 : n.children.size() - 1;
        for (size_t i = 0; i < params; ++i) {
          if (i) out += ", ";
          out += (i < n.labels.size() ? n.labels[i] : "?") + ": " + ref(n.children[i]);
        }
        out += ")";
        if (!n.children.empty() && n.children.back() != component::kNoType)
          out += " -> " + ref(n.children.back());
        return out;
      }
      case TypeKind::kInstance:
        return "instance";
      case TypeKind::kComponent:
        return "component";
      case TypeKind::kModule:
        return "module";
      case TypeKind::kAlias:
        return ref(child(0));
    }
    return "?";
  }

 private:
  const TypeStore& s_;
  std::unordered_map<TypeId, std::string> names_;
};

// One import or export; instances get their members listed below them.
void print_entity(const TypeStore& store, const TypePrinter& scope, const NamedEntity& e) {
  const Entity& ent = e.entity;
  std::string text = component::entity_kind_name(ent.kind);
  switch (ent.kind) {
    case Entity::Kind::kFunc:
      text = scope.structure(ent.type);
      break;
    case Entity::Kind::kType:
      text += " = " + (ent.referenced != component::kNoType ? scope.structure(ent.referenced)
                                                            : scope.structure(ent.type));
      break;
    case Entity::Kind::kValue:
      text += " " + scope.ref(ent.type);
      break;
    case Entity::Kind::kInstance: {
      const component::InstanceTypeInfo& info = store.instance(ent.type);
      text += " (" + std::to_string(info.exports.size()) + " exports)";
      break;
    }
    case Entity::Kind::kComponent: {
      const component::ComponentTypeInfo& info = store.component(ent.type);
      text += " (" + std::to_string(info.imports.size()) + " imports, " +
              std::to_string(info.exports.size()) + " exports)";
      break;
    }
    case Entity::Kind::kModule:
      break;
  }
  std::printf("  %s: %s\n", e.name.c_str(), text.c_str());
  if (ent.kind != Entity::Kind::kInstance) return;
  const component::InstanceTypeInfo& info = store.instance(ent.type);
  TypePrinter inner(store);
  inner.name_types(info.exports);
  for (const NamedEntity& member : info.exports) {
    std::string member_text;
    switch (member.entity.kind) {
      case Entity::Kind::kFunc:
        member_text = inner.structure(member.entity.type);
        break;
      case Entity::Kind::kType:
        member_text = "type = " + inner.structure(member.entity.referenced != component::kNoType
                                                      ? member.entity.referenced
                                                      : member.entity.type);
        break;
      default:
        member_text = component::entity_kind_name(member.entity.kind);
        break;
    }
    std::printf("    %s: %s\n", member.name.c_str(), member_text.c_str());
  }
}

}  // namespace

int inspect_component(const std::string& file, std::span<const uint8_t> bytes) {
  auto decoded = component::read_component(bytes);
  if (!decoded) {
    print_file_error(file, decoded.error());
    return kExitFailure;
  }
  const component::ast::Component& c = **decoded;
  auto validated = component::validate_component(c);

  std::printf("component: %s (%zu bytes)\n", file.c_str(), bytes.size());
  std::printf("sections:\n");
  for (const SectionInfo& s : list_sections(bytes)) {
    std::printf("  %-13s at 0x%08zx, %zu bytes", component_section_name(s.id), s.offset, s.size);
    if (s.id == 0) std::printf(" \"%s\"", s.custom_name.c_str());
    std::printf("\n");
  }

  if (validated) {
    const TypeStore& store = *validated->store;
    const component::ComponentTypeInfo& type = store.component(validated->type);
    TypePrinter top(store);
    top.name_types(type.imports);
    top.name_types(type.exports);
    std::printf("imports: %zu\n", type.imports.size());
    for (const NamedEntity& e : type.imports) print_entity(store, top, e);
    std::printf("exports: %zu\n", type.exports.size());
    for (const NamedEntity& e : type.exports) print_entity(store, top, e);
  } else {
    // Not type-checked: only what the binary says.
    std::printf("imports: %zu\n", c.imports.size());
    for (const component::ast::Import& i : c.imports) {
      std::printf("  %s: %s\n", i.name.name.c_str(), desc_kind_name(i.desc.kind));
    }
    std::printf("exports: %zu\n", c.exports.size());
    for (const component::ast::Export& e : c.exports) {
      std::printf("  %s: %s\n", e.name.name.c_str(), component::sort_name(e.sort));
    }
  }

  std::printf("core modules: %zu\n", c.modules.size());
  for (size_t i = 0; i < c.modules.size(); ++i) {
    std::printf("  module %zu at 0x%08zx, %zu bytes\n", i, c.modules[i].offset, c.modules[i].bytes.size());
  }
  std::printf("nested components: %zu\n", c.components.size());
  for (size_t i = 0; i < c.components.size(); ++i) {
    std::printf("  component %zu at 0x%08zx, %zu bytes\n", i, c.components[i]->offset,
                c.components[i]->bytes.size());
  }
  std::printf("core instances: %zu, instances: %zu, canonical functions: %zu\n", c.core_instances.size(),
              c.instances.size(), c.canons.size());
  std::printf("custom sections: %zu\n", c.customs.size());
  for (const component::ast::CustomSection& s : c.customs) {
    std::printf("  \"%s\": %zu bytes\n", s.name.c_str(), s.payload.size());
  }
  if (!validated) {
    print_file_error(file, validated.error());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace airwasm::cli
