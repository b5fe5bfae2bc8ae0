// bindgen: the generator. One pass over the world collects the interfaces it imports and exports and
// gives each a C++ namespace; the named types they hold are emitted in dependency order (a type after
// everything it refers to, across interfaces), then the host classes of the imports, the export wrappers
// and the world class. The header holds declarations and the WitType traits (templates need them); the
// source holds the linker glue and the typed-call wrappers, so that a user of the header compiles no
// TypedFunc instantiation. Every name is written fully qualified (`::ns::pkg::iface::T`), so no generated
// name can be captured by an embedder's `using namespace`.
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bindgen/bindgen.hh"

namespace airwasm::bindgen {

namespace {

namespace wm = component::wit;
using component::Prim;

constexpr std::string_view kC = "::airwasm::component::";

// A block of generated text in a namespace ("" = the global namespace).
struct Chunk {
  std::string ns, text;
};

// FNV-1a: a stable id for a host-defined resource type, from its qualified WIT name.
uint64_t stable_id(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) h = (h ^ uint8_t(c)) * 0x100000001b3ull;
  return h >> 2;  // ResourceType::host shifts the id left by one
}

std::string hex(uint64_t v) {
  static const char* d = "0123456789abcdef";
  std::string s;
  do s.insert(s.begin(), d[v & 15]), v >>= 4;
  while (v);
  return "0x" + s + "ull";
}

class Generator {
 public:
  Generator(const wm::Resolve& r, uint32_t world, const Options& o) : r_(r), w_(r.worlds[world]), opt_(o) {}

  Result<Output> run();

 private:
  // ---- names
  std::string package_ns(uint32_t pkg) const {
    const wm::Package& p = r_.packages[pkg];
    return "::" + snake_name(p.ns) + "::" + snake_name(p.name);
  }
  std::string world_ns() const { return package_ns(w_.package) + "::" + snake_name(w_.name); }
  std::string owner_ns(const wm::Owner& o) const {
    if (o.kind == wm::Owner::Kind::kInterface) {
      auto it = iface_ns_.find(o.index);
      if (it != iface_ns_.end()) return it->second;
      return interface_ns(o.index, std::nullopt);
    }
    return world_ns();
  }
  std::string interface_ns(uint32_t id, const std::optional<std::string>& key) const {
    const wm::Interface& i = r_.interfaces[id];
    if (i.package && i.name) return package_ns(*i.package) + "::" + snake_name(*i.name);
    return world_ns() + "::" + snake_name(key ? *key : "interface" + std::to_string(id));
  }
  std::string interface_key(const wm::WorldItem& item) const {
    if (item.name) return *item.name;
    const wm::Interface& i = r_.interfaces[item.id];
    const wm::Package& p = r_.packages[*i.package];
    return p.ns + ":" + p.name + "/" + *i.name + (p.version ? "@" + *p.version : "");
  }
  std::string qualified(uint32_t type) const {
    const wm::TypeDef& t = r_.types[type];
    return owner_ns(t.owner) + "::" + pascal_name(*t.name);
  }
  bool named(uint32_t type) const {
    const wm::TypeDef& t = r_.types[type];
    return t.name.has_value() && t.owner.kind != wm::Owner::Kind::kNone;
  }

  // ---- types
  void unsupported(const std::string& what) {
    if (error_.empty()) error_ = what + " has no C++ mapping in the typed call API yet";
  }
  std::string cxx(const wm::Ty& ty);
  std::string structure(uint32_t type);  // the C++ type of a definition, ignoring its name
  void need(const wm::Ty& ty);
  void emit_type(uint32_t type);
  void emit_named(uint32_t type);
  bool is_resource(uint32_t type) const {
    const wm::TypeDef* t = &r_.types[type];
    while (t->kind == wm::DefKind::kAlias && !t->types.empty() && t->types[0] && !t->types[0]->is_prim)
      t = &r_.types[t->types[0]->id];
    return t->kind == wm::DefKind::kResource;
  }
  void add(const std::string& ns, std::string text) {
    if (!types_.empty() && types_.back().ns == ns)
      types_.back().text += text;
    else
      types_.push_back({ns, std::move(text)});
  }
  static std::string docs(const wm::Docs& d, std::string_view indent);

  // ---- functions
  std::string method_name(const wm::Function& f) const;
  std::string result_type(const wm::Function& f) { return f.result ? cxx(*f.result) : "void"; }
  bool check_function(const wm::Function& f);
  void emit_import(const std::string& ns, const std::string& key, const std::vector<const wm::Function*>& fns,
                   const std::vector<uint32_t>& resources, const wm::Docs& docs);
  void emit_export(const std::string& ns, const std::string& cls, const std::string& key,
                   const std::vector<const wm::Function*>& fns, const wm::Docs& docs);

  const wm::Resolve& r_;
  const wm::World& w_;
  const Options& opt_;
  std::map<uint32_t, std::string> iface_ns_;
  std::vector<std::string> type_only_;  // keys of imported interfaces without functions or resources
  std::vector<uint8_t> state_;          // per type: 0 new, 1 in progress, 2 emitted
  std::vector<Chunk> types_;            // type declarations and traits, in order
  std::string header_api_, source_, source_method_;
  std::string error_;
};

std::string Generator::docs(const wm::Docs& d, std::string_view indent) {
  if (!d || d->empty()) return "";
  std::string out;
  size_t start = 0;
  while (start <= d->size()) {
    size_t nl = d->find('\n', start);
    if (nl == std::string::npos) nl = d->size();
    std::string line = d->substr(start, nl - start);
    // A trailing backslash would continue the // comment onto the next line.
    while (!line.empty() && (line.back() == '\\' || line.back() == ' ' || line.back() == '\r'))
      line.pop_back();
    out += std::string(indent) + (line.empty() ? "///" : "/// " + line) + "\n";
    start = nl + 1;
  }
  return out;
}

std::string Generator::cxx(const wm::Ty& ty) {
  if (ty.is_prim) {
    switch (ty.prim) {
      case Prim::kBool:
        return "bool";
      case Prim::kS8:
        return "int8_t";
      case Prim::kU8:
        return "uint8_t";
      case Prim::kS16:
        return "int16_t";
      case Prim::kU16:
        return "uint16_t";
      case Prim::kS32:
        return "int32_t";
      case Prim::kU32:
        return "uint32_t";
      case Prim::kS64:
        return "int64_t";
      case Prim::kU64:
        return "uint64_t";
      case Prim::kF32:
        return "float";
      case Prim::kF64:
        return "double";
      case Prim::kChar:
        return "char32_t";
      case Prim::kString:
        return "std::string";
      case Prim::kErrorContext:
        unsupported("error-context");
        return "void";
    }
    return "void";
  }
  if (named(ty.id)) return qualified(ty.id);
  return structure(ty.id);
}

std::string Generator::structure(uint32_t id) {
  const wm::TypeDef& t = r_.types[id];
  auto child = [&](size_t i) -> std::string {
    return t.types.size() > i && t.types[i] ? cxx(*t.types[i]) : "void";
  };
  switch (t.kind) {
    case wm::DefKind::kAlias:
      return child(0);
    case wm::DefKind::kList:
      return "std::vector<" + child(0) + ">";
    case wm::DefKind::kOption:
      return "std::optional<" + child(0) + ">";
    case wm::DefKind::kResult:
      return std::string(kC) + "WitResult<" + child(0) + ", " + child(1) + ">";
    case wm::DefKind::kTuple: {
      std::string s = "std::tuple<";
      for (size_t i = 0; i < t.types.size(); ++i) s += (i ? ", " : "") + child(i);
      return s + ">";
    }
    case wm::DefKind::kOwn:
      return named(t.resource) ? qualified(t.resource) : "void";
    case wm::DefKind::kBorrow:
      return named(t.resource) ? qualified(t.resource) + "Borrow" : "void";
    case wm::DefKind::kFixedList:
      unsupported("a fixed-size list");
      return "void";
    case wm::DefKind::kFuture:
      unsupported("future");
      return "void";
    case wm::DefKind::kStream:
      unsupported("stream");
      return "void";
    case wm::DefKind::kMap:
      unsupported("map");
      return "void";
    default:
      unsupported("an anonymous record, variant, enum, flags or resource");
      return "void";
  }
}

// Emits every named type `ty` refers to (through anonymous types) before it is used.
void Generator::need(const wm::Ty& ty) {
  if (ty.is_prim) return;
  if (named(ty.id)) return emit_type(ty.id);
  const wm::TypeDef& t = r_.types[ty.id];
  for (const auto& c : t.types)
    if (c) need(*c);
  if (t.kind == wm::DefKind::kOwn || t.kind == wm::DefKind::kBorrow) emit_type(t.resource);
}

void Generator::emit_type(uint32_t id) {
  if (state_[id] != 0) return;  // emitted, or in progress (WIT types are not recursive)
  state_[id] = 1;
  const wm::TypeDef& t = r_.types[id];
  for (const auto& c : t.types)
    if (c) need(*c);
  if (t.kind == wm::DefKind::kOwn || t.kind == wm::DefKind::kBorrow) emit_type(t.resource);
  if (named(id)) emit_named(id);
  state_[id] = 2;
}

void Generator::emit_named(uint32_t id) {
  const wm::TypeDef& t = r_.types[id];
  const std::string ns = owner_ns(t.owner);
  const std::string name = pascal_name(*t.name), q = ns + "::" + name;
  std::string s = "\n" + docs(t.docs, "");
  std::string traits;
  auto label_docs = [&](size_t i, std::string_view indent) {
    return i < t.label_docs.size() ? docs(t.label_docs[i], indent) : std::string();
  };
  switch (t.kind) {
    case wm::DefKind::kRecord: {
      s += "struct " + name + " {\n";
      traits = "template <>\nstruct " + std::string(kC).substr(2) + "WitType<" + q +
               "> {\n  static constexpr auto fields = std::make_tuple(";
      for (size_t i = 0; i < t.labels.size(); ++i) {
        const std::string f = snake_name(t.labels[i]);
        s += label_docs(i, "  ") + "  " + cxx(*t.types[i]) + " " + f + "{};\n";
        traits += std::string(i ? ",\n      " : "\n      ") + std::string(kC) + "wit_field(\"" + t.labels[i] +
                  "\", &" + q + "::" + f + ")";
      }
      s += "  friend bool operator==(const " + name + "&, const " + name + "&) = default;\n};\n";
      traits += ");\n};\n";
      break;
    }
    case wm::DefKind::kVariant: {
      std::string alts;
      for (size_t i = 0; i < t.labels.size(); ++i)
        alts += std::string(i ? ", " : "") + (t.types[i] ? cxx(*t.types[i]) : "std::monostate");
      const std::string base = "std::variant<" + alts + ">";
      s += "class " + name + " : public " + base + " {\n public:\n  using " + base + "::variant;\n";
      s += "  enum class Case : uint" + std::string(t.labels.size() <= 256 ? "8" : "32") + "_t {";
      for (size_t i = 0; i < t.labels.size(); ++i)
        s += std::string(i ? ", " : " ") + "k" + pascal_name(t.labels[i]);
      s += " };\n  Case which() const { return Case(index()); }\n";
      traits = "template <>\nstruct " + std::string(kC).substr(2) + "WitType<" + q +
               "> {\n  static constexpr std::array<const char*, " + std::to_string(t.labels.size()) +
               "> cases{";
      for (size_t i = 0; i < t.labels.size(); ++i) {
        std::string c = snake_name(t.labels[i]);
        if (c == "index" || c == "emplace" || c == "swap" || c == "which" || c == "variant") c += "_";
        const std::string idx = std::to_string(i);
        traits += std::string(i ? ", " : "") + "\"" + t.labels[i] + "\"";
        s += label_docs(i, "  ");
        if (t.types[i]) {
          const std::string p = cxx(*t.types[i]);
          s += "  static " + name + " " + c + "(" + p + " v) {\n    " + name + " r;\n    r.emplace<" + idx +
               ">(std::move(v));\n    return r;\n  }\n";
          s += "  const " + p + "& as_" + c + "() const { return std::get<" + idx + ">(*this); }\n";
          s += "  " + p + "& as_" + c + "() { return std::get<" + idx + ">(*this); }\n";
        } else {
          s += "  static " + name + " " + c + "() {\n    " + name + " r;\n    r.emplace<" + idx +
               ">();\n    return r;\n  }\n";
        }
        s += "  bool is_" + c + "() const { return index() == " + idx + "; }\n";
      }
      s += "};\n";
      traits += "};\n};\n";
      break;
    }
    case wm::DefKind::kEnum: {
      const size_t n = t.labels.size();
      s += "enum class " + name + " : " +
           (n <= 256     ? "uint8_t"
            : n <= 65536 ? "uint16_t"
                         : "uint32_t") +
           " {\n";
      traits = "template <>\nstruct " + std::string(kC).substr(2) + "WitType<" + q +
               "> {\n  static constexpr std::array<const char*, " + std::to_string(n) + "> cases{";
      for (size_t i = 0; i < n; ++i) {
        s += label_docs(i, "  ") + "  k" + pascal_name(t.labels[i]) + ",\n";
        traits += std::string(i ? ", " : "") + "\"" + t.labels[i] + "\"";
      }
      s += "};\n";
      traits += "};\n};\n";
      break;
    }
    case wm::DefKind::kFlags: {
      const size_t n = t.labels.size();
      if (n == 0 || n > 64) {
        unsupported("flags with " + std::to_string(n) + " flags");
        return;
      }
      const std::string bits = n <= 8 ? "uint8_t" : n <= 16 ? "uint16_t" : n <= 32 ? "uint32_t" : "uint64_t";
      const std::string all = n == 64 ? "~uint64_t{0}" : "(uint64_t{1} << " + std::to_string(n) + ") - 1";
      s += "struct " + name + " {\n  using Bits = " + bits + ";\n  Bits bits = 0;  // bit i: flag i\n";
      std::string defs;
      for (size_t i = 0; i < n; ++i) {
        const std::string k = "k" + pascal_name(t.labels[i]);
        s += label_docs(i, "  ") + "  static const " + name + " " + k + ";\n";
        defs += "inline constexpr " + name + " " + name + "::" + k + "{" + bits + "(uint64_t{1} << " +
                std::to_string(i) + ")};\n";
      }
      s += "  static constexpr Bits kAll = Bits(" + all + ");\n";
      s += "  constexpr bool contains(" + name + " o) const { return (bits & o.bits) == o.bits; }\n";
      s += "  constexpr bool empty() const { return bits == 0; }\n";
      for (const char* op : {"|", "&", "^"})
        s += "  friend constexpr " + name + " operator" + op + "(" + name + " a, " + name + " b) { return " +
             name + "{Bits(a.bits " + op + " b.bits)}; }\n";
      s += "  friend constexpr " + name + " operator~(" + name + " a) { return " + name +
           "{Bits(~a.bits & kAll)}; }\n";
      s += "  " + name + "& operator|=(" + name + " o) { return *this = *this | o; }\n";
      s += "  " + name + "& operator&=(" + name + " o) { return *this = *this & o; }\n";
      s += "  friend constexpr bool operator==(" + name + ", " + name + ") = default;\n};\n" + defs;
      traits = "template <>\nstruct " + std::string(kC).substr(2) + "WitType<" + q +
               "> {\n  static constexpr std::array<const char*, " + std::to_string(n) + "> flag_names{";
      for (size_t i = 0; i < n; ++i) traits += std::string(i ? ", " : "") + "\"" + t.labels[i] + "\"";
      traits += "};\n};\n";
      break;
    }
    case wm::DefKind::kResource: {
      std::string full = *t.name;
      if (t.owner.kind == wm::Owner::Kind::kInterface) {
        const wm::Interface& i = r_.interfaces[t.owner.index];
        if (i.package && i.name) {
          const wm::Package& p = r_.packages[*i.package];
          full = p.ns + ":" + p.name + "/" + *i.name + "#" + full;
        }
      }
      s += "struct " + name + "Tag {\n  static constexpr const char* kName = \"" + *t.name +
           "\";\n  static constexpr uint64_t kHostId = " + hex(stable_id(full)) +
           ";  // when the host implements it\n};\n";
      s +=
          "/// An owned `" + *t.name + "` handle (dropped when destroyed, moved into the guest by a call).\n";
      s += "using " + name + " = " + std::string(kC) + "Own<" + name + "Tag>;\n";
      s += "using " + name + "Borrow = " + std::string(kC) + "Borrow<" + name + "Tag>;\n";
      break;
    }
    case wm::DefKind::kAlias: {
      const wm::Ty& target = *t.types[0];
      if (!target.is_prim && is_resource(target.id)) {
        const std::string tq = cxx(target);
        s += "using " + name + " = " + tq + ";\nusing " + name + "Borrow = " + tq + "Borrow;\n";
      } else {
        s += "using " + name + " = " + cxx(target) + ";\n";
      }
      break;
    }
    default:
      s += "using " + name + " = " + structure(id) + ";\n";
      break;
  }
  add(ns, s);
  if (!traits.empty()) add("", traits);
}

std::string Generator::method_name(const wm::Function& f) const {
  if (f.kind == wm::FuncKind::kFreestanding) return snake_name(f.name);
  const std::string res = snake_name(*r_.types[f.resource].name);
  if (f.kind == wm::FuncKind::kConstructor) return res + "_new";
  return res + "_" + snake_name(f.item_name());
}

bool Generator::check_function(const wm::Function& f) {
  if (f.async) unsupported("async function `" + f.name + "`");
  for (const auto& [_, ty] : f.params) need(ty);
  if (f.result) need(*f.result);
  return error_.empty();
}

// One imported interface: the abstract class `Host` and `add_to_linker`.
void Generator::emit_import(const std::string& ns, const std::string& key,
                            const std::vector<const wm::Function*>& fns,
                            const std::vector<uint32_t>& resources, const wm::Docs& d) {
  std::string h = "\nnamespace " + ns.substr(2) + " {\n\n";
  const std::string what = key.empty() ? "the world's own imported functions" : "`" + key + "`";
  h += "/// The host's implementation of " + what + " (imported by the component).\n" + docs(d, "");
  h += "class Host {\n public:\n  virtual ~Host() = default;\n";
  std::string body;  // add_to_linker
  body += "::airwasm::Result<void> add_to_linker(" + std::string(kC) +
          "Linker& linker, std::function<Host&(::airwasm::Store&)> get) {\n";
  // Interfaces that only define types are imported as instances of types: define them too (an empty
  // instance satisfies them), so that one add_to_linker call is enough for a component using this one.
  for (const std::string& t : type_only_) body += "  linker.instance(\"" + t + "\");\n";
  body += key.empty() ? "  auto instance = linker.root();\n"
                      : "  auto instance = linker.instance(\"" + key + "\");\n";
  for (uint32_t res : resources) {
    const std::string rn = snake_name(*r_.types[res].name),
                      tag = ns + "::" + pascal_name(*r_.types[res].name) + "Tag";
    h += "\n  // resource " + *r_.types[res].name + ": the host chooses each instance's `rep` (" +
         pascal_name(*r_.types[res].name) + "::create(store, rep)) and frees it in " + rn + "_drop.\n";
    h += "  virtual void " + rn + "_drop(::airwasm::Store& store, uint32_t rep) = 0;\n";
    body += "  if (auto r = instance.resource(\"" + *r_.types[res].name + "\", " + std::string(kC) +
            "ResourceType::host(" + tag +
            "::kHostId),\n          [get](::airwasm::Store& store, uint32_t rep) { get(store)." + rn +
            "_drop(store, rep); });\n      !r)\n    return r;\n";
  }
  for (const wm::Function* f : fns) {
    const std::string m = method_name(*f), ret = result_type(*f);
    std::string decl_params, lambda_params, args;
    for (const auto& [pname, ty] : f->params) {
      const std::string p = snake_name(pname), t = cxx(ty);
      decl_params += ", " + t + " " + p;
      lambda_params += ", " + t + "& " + p;
      args += ", std::move(" + p + ")";
    }
    h += "\n" + docs(f->docs, "  ") + "  virtual ::airwasm::TrapResult<" + ret + "> " + m +
         "(::airwasm::Store& store" + decl_params + ") = 0;\n";
    body += "  if (auto r = instance.func_wrap(\"" + f->name +
            "\",\n          [get](::airwasm::Store& store" + lambda_params + ") -> ::airwasm::TrapResult<" +
            ret + "> {\n            return get(store)." + m + "(store" + args +
            ");\n          });\n      !r)\n    return r;\n";
  }
  h += "};\n\n";
  h += "/// Defines " + what + " in `linker`: `get` gives the implementation for the calling Store.\n";
  h += "::airwasm::Result<void> add_to_linker(" + std::string(kC) +
       "Linker& linker, std::function<Host&(::airwasm::Store&)> get);\n";
  h += "/// Defines " + what + " in `linker`, every Store calling `host` (which must outlive the linker).\n";
  h += "inline ::airwasm::Result<void> add_to_linker(" + std::string(kC) + "Linker& linker, Host& host) {\n";
  h += "  return add_to_linker(linker, [&host](::airwasm::Store&) -> Host& { return host; });\n}\n\n";
  h += "}  // namespace " + ns.substr(2) + "\n";
  body += "  return {};\n}\n";
  header_api_ += h;
  source_ += "\nnamespace " + ns.substr(2) + " {\n\n" + body + "\n}  // namespace " + ns.substr(2) + "\n";
}

// One exported interface (or the world's own exported functions): typed wrappers of its functions.
void Generator::emit_export(const std::string& ns, const std::string& cls, const std::string& key,
                            const std::vector<const wm::Function*>& fns, const wm::Docs& d) {
  std::string h = "\nnamespace " + ns.substr(2) + " {\n\n";
  const std::string what = key.empty() ? "the world's own exported functions" : "`" + key + "`";
  h += "/// The component's exports of " + what + ", as typed calls.\n" + docs(d, "");
  h += "class " + cls + " {\n public:\n";
  h += "  /// Finds and type-checks every function of " + what +
       " in `instance` (kUsage error on a mismatch).\n";
  h += "  static ::airwasm::Result<" + cls + "> load(::airwasm::Store& store, const " + std::string(kC) +
       "Instance& instance);\n";
  std::string members, body;
  body += "::airwasm::Result<" + cls + "> " + cls + "::load(::airwasm::Store& store, const " +
          std::string(kC) + "Instance& instance) {\n  " + cls + " out;\n";
  for (const wm::Function* f : fns) {
    const std::string m = method_name(*f), ret = result_type(*f);
    std::string sig = ret + "(", params, args;
    for (size_t i = 0; i < f->params.size(); ++i) {
      const auto& [pname, ty] = f->params[i];
      std::string t = cxx(ty);
      if (t == "std::string") t = "std::string_view";
      sig += (i ? ", " : "") + t;
      params += ", const " + t + "& " + snake_name(pname);
      args += ", " + snake_name(pname);
    }
    sig += ")";
    h += "\n" + docs(f->docs, "  ") + "  ::airwasm::TrapResult<" + ret + "> " + m +
         "(::airwasm::Store& store" + params + ") const;\n";
    members += "  std::optional<" + std::string(kC) + "TypedFunc<" + sig + ">> " + m + "_;\n";
    const std::string lookup = key.empty() ? "instance.get_func(store, \"" + f->name + "\")"
                                           : "instance.get_func(store, \"" + key + "\", \"" + f->name + "\")";
    body += "  {\n    auto f = " + lookup +
            ";\n    if (!f)\n      return ::airwasm::make_error(::airwasm::ErrorKind::kUsage, \"the "
            "component exports no `" +
            (key.empty() ? "" : key + "#") + f->name + "`\");\n";
    body += "    auto t = " + std::string(kC) + "TypedFunc<" + sig + ">::from(store, *f);\n";
    body += "    if (!t) return std::unexpected(std::move(t.error()));\n    out." + m +
            "_.emplace(std::move(*t));\n  }\n";
    source_method_ += "\n::airwasm::TrapResult<" + ret + "> " + cls + "::" + m + "(::airwasm::Store& store" +
                      params + ") const {\n  return " + m + "_->call(store" + args + ");\n}\n";
  }
  body += "  return out;\n}\n";
  h += "\n private:\n" + members + "};\n\n}  // namespace " + ns.substr(2) + "\n";
  header_api_ += h;
  source_ += "\nnamespace " + ns.substr(2) + " {\n\n" + body + source_method_ + "\n}  // namespace " +
             ns.substr(2) + "\n";
  source_method_.clear();
}

Result<Output> Generator::run() {
  state_.assign(r_.types.size(), 0);
  const std::string stem = opt_.file_stem.empty() ? snake_name(w_.name) : opt_.file_stem;
  const wm::Package& wp = r_.packages[w_.package];
  const std::string world_id = wp.ns + ":" + wp.name + "/" + w_.name + (wp.version ? "@" + *wp.version : "");

  // Namespaces of the world's interfaces.
  for (const auto* items : {&w_.imports, &w_.exports})
    for (const wm::WorldItem& item : *items)
      if (item.kind == wm::WorldItem::Kind::kInterface)
        iface_ns_.emplace(item.id, interface_ns(item.id, item.name));

  // Types: the world's own, then every interface's, in dependency order.
  for (const auto* items : {&w_.imports, &w_.exports}) {
    for (const wm::WorldItem& item : *items) {
      if (item.kind == wm::WorldItem::Kind::kType) emit_type(item.id);
      if (item.kind == wm::WorldItem::Kind::kInterface)
        for (const auto& [_, id] : r_.interfaces[item.id].types) emit_type(id);
    }
  }

  // Imports: a Host class per interface with functions or resources; world-level functions in one more.
  std::vector<std::pair<std::string, std::string>> hosts;  // (namespace, key) for the world's add_to_linker
  std::vector<const wm::Function*> world_imports, world_exports;
  std::vector<uint32_t> world_resources;
  struct Pending {
    uint32_t id;
    std::string key;
    std::vector<const wm::Function*> fns;
    std::vector<uint32_t> resources;
  };
  std::vector<Pending> pending;
  for (const wm::WorldItem& item : w_.imports) {
    if (item.kind == wm::WorldItem::Kind::kFunction) {
      check_function(item.func);
      world_imports.push_back(&item.func);
      continue;
    }
    if (item.kind == wm::WorldItem::Kind::kType) {
      if (r_.types[item.id].kind == wm::DefKind::kResource) world_resources.push_back(item.id);
      continue;
    }
    const wm::Interface& i = r_.interfaces[item.id];
    std::vector<const wm::Function*> fns;
    std::vector<uint32_t> resources;
    for (const wm::Function& f : i.functions) {
      check_function(f);
      fns.push_back(&f);
    }
    for (const auto& [_, id] : i.types)
      if (r_.types[id].kind == wm::DefKind::kResource &&
          r_.types[id].owner.kind == wm::Owner::Kind::kInterface && r_.types[id].owner.index == item.id)
        resources.push_back(id);
    if (fns.empty() && resources.empty()) {
      type_only_.push_back(interface_key(item));
      continue;
    }
    pending.push_back({item.id, interface_key(item), std::move(fns), std::move(resources)});
  }
  for (auto& p : pending) {
    const wm::Interface& i = r_.interfaces[p.id];
    emit_import(iface_ns_[p.id], p.key, p.fns, p.resources, i.docs);
    hosts.emplace_back(iface_ns_[p.id], p.key);
  }
  if (!world_imports.empty() || !world_resources.empty()) {
    emit_import(world_ns(), "", world_imports, world_resources, w_.docs);
    hosts.emplace_back(world_ns(), "");
  }

  // Exports.
  std::vector<std::pair<std::string, std::string>> guests;  // (accessor, qualified class)
  for (const wm::WorldItem& item : w_.exports) {
    if (item.kind == wm::WorldItem::Kind::kFunction) {
      check_function(item.func);
      world_exports.push_back(&item.func);
      continue;
    }
    if (item.kind != wm::WorldItem::Kind::kInterface) continue;
    const wm::Interface& i = r_.interfaces[item.id];
    std::vector<const wm::Function*> fns;
    for (const wm::Function& f : i.functions) {
      check_function(f);
      fns.push_back(&f);
    }
    const std::string ns = iface_ns_[item.id];
    emit_export(ns, "Guest", interface_key(item), fns, i.docs);
    guests.emplace_back(snake_name(item.name ? *item.name : *i.name), ns + "::Guest");
  }
  if (!world_exports.empty()) {
    emit_export(world_ns(), "Exports", "", world_exports, std::nullopt);
    guests.emplace_back("exports", world_ns() + "::Exports");
  }
  if (!error_.empty()) return base::invalid("world `" + world_id + "`: " + error_);

  // The world class.
  const std::string wcls = pascal_name(w_.name), pns = package_ns(w_.package);
  std::string h = "\nnamespace " + pns.substr(2) + " {\n\n";
  h += "/// World `" + world_id + "`: an instance of a component that targets it, with typed exports.\n" +
       docs(w_.docs, "");
  h += "class " + wcls + " {\n public:\n";
  h += "  /// Instantiates `component` with the imports `linker` defines, then loads the typed exports.\n";
  h += "  static ::airwasm::Result<" + wcls + "> instantiate(::airwasm::Store& store, const " +
       std::string(kC) + "Linker& linker,\n                                          const " +
       std::string(kC) + "Component& component);\n";
  h += "  static ::airwasm::Result<" + wcls + "> instantiate(::airwasm::Store& store, const " +
       std::string(kC) + "InstancePre& pre);\n";
  h += "  /// The typed exports of an existing instance.\n";
  h += "  static ::airwasm::Result<" + wcls + "> from_instance(::airwasm::Store& store, const " +
       std::string(kC) + "Instance& instance);\n";
  std::string s;
  s += "\n::airwasm::Result<" + wcls + "> " + wcls + "::instantiate(::airwasm::Store& store, const " +
       std::string(kC) + "Linker& linker,\n    const " + std::string(kC) + "Component& component) {\n";
  s += "  auto instance = linker.instantiate(store, component);\n  if (!instance) return "
       "std::unexpected(std::move(instance.error()));\n";
  s += "  return from_instance(store, *instance);\n}\n";
  s += "\n::airwasm::Result<" + wcls + "> " + wcls + "::instantiate(::airwasm::Store& store, const " +
       std::string(kC) + "InstancePre& pre) {\n";
  s += "  auto instance = pre.instantiate(store);\n  if (!instance) return "
       "std::unexpected(std::move(instance.error()));\n";
  s += "  return from_instance(store, *instance);\n}\n";
  s += "\n::airwasm::Result<" + wcls + "> " + wcls + "::from_instance(::airwasm::Store& store, const " +
       std::string(kC) + "Instance& instance) {\n  " + wcls + " out(instance);\n" +
       (guests.empty() ? "  (void)store;  // the world exports nothing\n" : "");
  std::string members;
  for (const auto& [acc, cls] : guests) {
    h += "  const " + cls + "& " + acc + "() const { return *" + acc + "_; }\n";
    members += "  std::optional<" + cls + "> " + acc + "_;\n";
    s += "  {\n    auto g = " + cls +
         "::load(store, instance);\n    if (!g) return std::unexpected(std::move(g.error()));\n    out." +
         acc + "_.emplace(std::move(*g));\n  }\n";
  }
  s += "  return out;\n}\n";
  if (!hosts.empty()) {
    h += "  /// Defines every import of the world in `linker`, each served by its Host (which must outlive "
         "it).\n";
    h += "  static ::airwasm::Result<void> add_to_linker(" + std::string(kC) + "Linker& linker";
    s += "\n::airwasm::Result<void> " + wcls + "::add_to_linker(" + std::string(kC) + "Linker& linker";
    std::string calls;
    for (size_t i = 0; i < hosts.size(); ++i) {
      const std::string arg = "host" + std::to_string(i);
      h += ", " + hosts[i].first + "::Host& " + arg;
      s += ", " + hosts[i].first + "::Host& " + arg;
      calls += "  if (auto r = " + hosts[i].first + "::add_to_linker(linker, " + arg + "); !r) return r;\n";
    }
    h += ");\n";
    s += ") {\n" + calls + "  return {};\n}\n";
  }
  h += "  const " + std::string(kC) + "Instance& instance() const { return instance_; }\n";
  h += "\n private:\n  explicit " + wcls + "(const " + std::string(kC) +
       "Instance& instance) : instance_(instance) {}\n";
  h += "  " + std::string(kC) + "Instance instance_;\n" + members + "};\n\n}  // namespace " + pns.substr(2) +
       "\n";
  header_api_ += h;
  source_ += "\nnamespace " + pns.substr(2) + " {\n" + s + "\n}  // namespace " + pns.substr(2) + "\n";

  Output out;
  out.header_name = stem + ".hh";
  out.source_name = stem + ".cc";
  std::string& hd = out.header;
  hd = "// Generated by `airwasm bindgen` from world `" + world_id + "`. Do not edit.\n";
  hd +=
      "// The C++ types of the world's WIT types, a Host class per imported interface and typed wrappers "
      "of\n";
  hd += "// its exports, on airwasm's typed call API (airwasm/component/typed.hh). See docs/bindgen.md.\n";
  hd +=
      "#pragma once\n\n#include <array>\n#include <cstdint>\n#include <functional>\n#include <optional>\n"
      "#include <string>\n#include <string_view>\n#include <tuple>\n#include <utility>\n#include <variant>\n"
      "#include <vector>\n\n#include \"airwasm/component.hh\"\n";
  for (const Chunk& c : types_) {
    if (c.ns.empty())
      hd += "\n" + c.text;
    else
      hd += "\nnamespace " + c.ns.substr(2) + " {\n" + c.text + "\n}  // namespace " + c.ns.substr(2) + "\n";
  }
  hd += header_api_;
  const std::string inc = opt_.header_include.empty() ? out.header_name : opt_.header_include;
  out.source = "// Generated by `airwasm bindgen` from world `" + world_id + "`. Do not edit.\n#include \"" +
               inc + "\"\n" + source_;
  return out;
}

}  // namespace

Result<Output> generate(const wm::Resolve& resolve, uint32_t world, const Options& options) {
  if (world >= resolve.worlds.size()) return base::invalid("no such world");
  Generator g(resolve, world, options);
  return g.run();
}

}  // namespace airwasm::bindgen
