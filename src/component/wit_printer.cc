// component: the WIT printer (see wit_printer.hh). `Out` keeps the indentation state: text is indented
// lazily at the first write after a newline, `open` writes ` {` and indents, `close` dedents and
// writes `}`. `any_items_` puts one blank line between items of a block, never before the first.
#include "component/wit_printer.hh"

#include <algorithm>
#include <cstdio>
#include <map>

#include "component/reader.hh"
#include "component/validator.hh"

namespace airwasm::component {

using namespace ast;  // the front end works on the syntax throughout

namespace {

using wit::DefKind;
using wit::FuncKind;
using wit::Function;
using wit::Interface;
using wit::Owner;
using wit::Package;
using wit::Resolve;
using wit::Ty;
using wit::TypeDef;
using wit::World;
using wit::WorldItem;

bool is_keyword(std::string_view n) {
  static constexpr std::string_view kWords[] = {
      "use",         "type",          "func",     "u8",     "u16",     "u32",     "u64",
      "s8",          "s16",           "s32",      "s64",    "f32",     "f64",     "float32",
      "float64",     "char",          "resource", "record", "flags",   "variant", "enum",
      "bool",        "string",        "option",   "result", "future",  "stream",  "list",
      "own",         "borrow",        "_",        "as",     "from",    "static",  "interface",
      "tuple",       "world",         "import",   "export", "package", "with",    "include",
      "constructor", "error-context", "async",    "map"};
  return std::find(std::begin(kWords), std::end(kWords), n) != std::end(kWords);
}

std::string escape(std::string_view n) {
  return is_keyword(n) ? "%" + std::string(n) : std::string(n);
}

// Decodes one UTF-8 code point (the input was validated by the reader).
uint32_t next_code_point(std::string_view s, size_t& i) {
  unsigned char c = s[i++];
  if (c < 0x80) return c;
  int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
  uint32_t cp = c & (0x3f >> extra);
  for (int k = 0; k < extra && i < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3f);
  return cp;
}

class Out {
 public:
  void str(std::string_view s) {
    if (needs_indent_) {
      for (int i = 0; i < indent_; ++i) text_ += "  ";
      needs_indent_ = false;
    }
    text_ += s;
  }
  void newline() {
    text_ += '\n';
    needs_indent_ = true;
  }
  void semicolon() {
    text_ += ';';
    newline();
  }
  void open() {
    text_ += " {";
    ++indent_;
    newline();
  }
  void close() {
    indent_ = std::max(0, indent_ - 1);
    str("}");
    newline();
  }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
  int indent_ = 0;
  bool needs_indent_ = false;
};

class Printer {
 public:
  explicit Printer(const Resolve& r) : r_(r) {}
  Result<std::string> run(WitPrintOptions options);

 private:
  Result<void> package(uint32_t p, bool is_main);
  Result<void> interface(uint32_t id);
  Result<void> types(Owner owner, const std::vector<std::pair<std::string, uint32_t>>& list,
                     const std::map<uint32_t, std::vector<const Function*>>& resource_funcs);
  Result<void> resource(uint32_t id, const std::vector<const Function*>& funcs);
  Result<void> function(const Function& f);
  Result<void> world(uint32_t id);
  Result<void> world_item(const WorldItem& item, uint32_t pkg, const char* keyword);
  Result<void> path_to_interface(uint32_t iface, uint32_t cur_pkg);
  Result<void> type_name(const Ty& t);
  Result<void> type_body(const TypeDef& d);
  Result<void> declare(uint32_t id);
  void external_id(const std::optional<std::string>& id);
  void docs(const wit::Docs& d);
  void stability(const wit::Stability& s);
  void new_item() {
    if (any_items_) out_.newline();
    any_items_ = true;
  }

  const Resolve& r_;
  Out out_;
  bool any_items_ = false;
};

std::unexpected<Error> fail(std::string m) {
  return base::invalid("cannot print the component as WIT: " + std::move(m));
}

Result<std::string> Printer::run(WitPrintOptions options) {
  AIRWASM_TRY(package(r_.main_package, true));
  if (!options.root_only) {
    bool first = true;
    for (uint32_t p = 0; p < r_.packages.size(); ++p) {
      if (p == r_.main_package) continue;
      if (!first) {
        out_.newline();
        out_.newline();
      }
      first = false;
      AIRWASM_TRY(package(p, false));
    }
  }
  return out_.take();
}

Result<void> Printer::package(uint32_t p, bool is_main) {
  const Package& pkg = r_.packages[p];
  docs(pkg.docs);
  out_.str("package " + escape(pkg.ns) + ":" + escape(pkg.name));
  if (pkg.version) out_.str("@" + *pkg.version);
  if (is_main) {
    out_.semicolon();
    out_.newline();
  } else {
    out_.open();
  }
  // Items of the main package are separated by a blank line (a component's main package has one
  // world, so its layout does not depend on this).
  bool first_item = true;
  for (auto& [name, id] : pkg.interfaces) {
    if (is_main && !first_item) out_.newline();
    first_item = false;
    docs(r_.interfaces[id].docs);
    stability(r_.interfaces[id].stability);
    out_.str("interface " + escape(name));
    out_.open();
    AIRWASM_TRY(interface(id));
    out_.close();
  }
  for (auto& [name, id] : pkg.worlds) {
    if (is_main && !first_item) out_.newline();
    first_item = false;
    docs(r_.worlds[id].docs);
    stability(r_.worlds[id].stability);
    out_.str("world " + escape(name));
    out_.open();
    AIRWASM_TRY(world(id));
    out_.close();
  }
  if (!is_main) out_.close();
  return {};
}

Result<void> Printer::interface(uint32_t id) {
  bool prev = std::exchange(any_items_, false);
  const Interface& iface = r_.interfaces[id];
  std::map<uint32_t, std::vector<const Function*>> resource_funcs;
  std::vector<const Function*> freestanding;
  for (const Function& f : iface.functions) {
    if (f.kind == FuncKind::kFreestanding)
      freestanding.push_back(&f);
    else
      resource_funcs[f.resource].push_back(&f);
  }
  AIRWASM_TRY(types(Owner{Owner::Kind::kInterface, id}, iface.types, resource_funcs));
  for (const Function* f : freestanding) {
    new_item();
    docs(f->docs);
    stability(f->stability);
    external_id(f->external_id);
    out_.str(escape(f->item_name()) + ": ");
    AIRWASM_TRY(function(*f));
    out_.semicolon();
  }
  any_items_ = prev;
  return {};
}

Result<void> Printer::types(Owner owner, const std::vector<std::pair<std::string, uint32_t>>& list,
                            const std::map<uint32_t, std::vector<const Function*>>& resource_funcs) {
  // Types aliasing a type of another interface are `use`d, grouped while consecutive.
  struct Use {
    Owner from;
    const TypeDef* first;
    std::vector<std::pair<std::string, std::string>> names;  // (mine, theirs)
  };
  std::vector<Use> uses;
  std::vector<uint32_t> declare_ids;
  for (auto& [name, id] : list) {
    const TypeDef& t = r_.types[id];
    if (t.kind == DefKind::kAlias && t.types[0] && !t.types[0]->is_prim) {
      const TypeDef& other = r_.types[t.types[0]->id];
      if (other.owner.kind != Owner::Kind::kNone && other.owner != owner) {
        if (!other.name) return fail("cannot import unnamed type");
        if (!uses.empty() && uses.back().from == other.owner &&
            uses.back().first->external_id == t.external_id && uses.back().first->stability == t.stability) {
          uses.back().names.push_back({name, *other.name});
        } else {
          uses.push_back(Use{other.owner, &t, {{name, *other.name}}});
        }
        continue;
      }
    }
    declare_ids.push_back(id);
  }
  uint32_t my_pkg = 0;
  if (owner.kind == Owner::Kind::kInterface) {
    if (!r_.interfaces[owner.index].package) return fail("an interface belongs to no package");
    my_pkg = *r_.interfaces[owner.index].package;
  } else {
    my_pkg = r_.worlds[owner.index].package;
  }
  for (const Use& u : uses) {
    any_items_ = true;
    stability(u.first->stability);
    external_id(u.first->external_id);
    if (u.from.kind != Owner::Kind::kInterface) return fail("types can only be used from interfaces");
    out_.str("use ");
    AIRWASM_TRY(path_to_interface(u.from.index, my_pkg));
    out_.str(".{");
    for (size_t i = 0; i < u.names.size(); ++i) {
      if (i) out_.str(", ");
      auto& [mine, theirs] = u.names[i];
      out_.str(mine == theirs ? escape(mine) : escape(theirs) + " as " + escape(mine));
    }
    out_.str("}");
    out_.semicolon();
  }
  static const std::vector<const Function*> kNone;
  for (uint32_t id : declare_ids) {
    new_item();
    docs(r_.types[id].docs);
    stability(r_.types[id].stability);
    external_id(r_.types[id].external_id);
    if (r_.types[id].kind == DefKind::kResource) {
      auto it = resource_funcs.find(id);
      AIRWASM_TRY(resource(id, it == resource_funcs.end() ? kNone : it->second));
    } else {
      AIRWASM_TRY(declare(id));
    }
  }
  return {};
}

Result<void> Printer::resource(uint32_t id, const std::vector<const Function*>& funcs) {
  const TypeDef& t = r_.types[id];
  if (!t.name) return fail("resources must be named");
  out_.str("resource " + escape(*t.name));
  if (funcs.empty()) {
    out_.semicolon();
    return {};
  }
  out_.open();
  for (const Function* f : funcs) {
    docs(f->docs);
    stability(f->stability);
    external_id(f->external_id);
    if (f->kind == FuncKind::kMethod) out_.str(escape(f->item_name()) + ": ");
    if (f->kind == FuncKind::kStatic) out_.str(escape(f->item_name()) + ": static ");
    AIRWASM_TRY(function(*f));
    out_.semicolon();
  }
  out_.close();
  return {};
}

Result<void> Printer::function(const Function& f) {
  if (f.async && f.kind != FuncKind::kConstructor) out_.str("async ");
  out_.str(f.kind == FuncKind::kConstructor ? "constructor(" : "func(");
  size_t skip = f.kind == FuncKind::kMethod ? 1 : 0;
  for (size_t i = skip; i < f.params.size(); ++i) {
    if (i > skip) out_.str(", ");
    out_.str(escape(f.params[i].first) + ": ");
    AIRWASM_TRY(type_name(f.params[i].second));
  }
  out_.str(")");
  if (f.kind == FuncKind::kConstructor && f.result && !f.result->is_prim) {
    const TypeDef& rt = r_.types[f.result->id];
    if (rt.kind == DefKind::kOwn && rt.resource == f.resource) return {};  // the shorthand
  }
  if (f.result) {
    out_.str(" -> ");
    AIRWASM_TRY(type_name(*f.result));
  }
  return {};
}

Result<void> Printer::world(uint32_t id) {
  bool prev = std::exchange(any_items_, false);
  const World& w = r_.worlds[id];
  std::vector<std::pair<std::string, uint32_t>> type_list;
  std::map<uint32_t, std::vector<const Function*>> resource_funcs;
  std::vector<const WorldItem*> funcs;
  for (const WorldItem& item : w.imports) {
    switch (item.kind) {
      case WorldItem::Kind::kType:
        type_list.push_back({*item.name, item.id});
        break;
      case WorldItem::Kind::kFunction:
        if (item.func.kind != FuncKind::kFreestanding)
          resource_funcs[item.func.resource].push_back(&item.func);
        else
          funcs.push_back(&item);
        break;
      case WorldItem::Kind::kInterface:
        AIRWASM_TRY(world_item(item, w.package, "import"));
        any_items_ = true;
        break;
    }
  }
  AIRWASM_TRY(types(Owner{Owner::Kind::kWorld, id}, type_list, resource_funcs));
  for (const WorldItem* item : funcs) {
    AIRWASM_TRY(world_item(*item, w.package, "import"));
    any_items_ = true;
  }
  if (!w.exports.empty()) new_item();
  for (const WorldItem& item : w.exports) AIRWASM_TRY(world_item(item, w.package, "export"));
  any_items_ = prev;
  return {};
}

Result<void> Printer::world_item(const WorldItem& item, uint32_t pkg, const char* keyword) {
  if (item.kind == WorldItem::Kind::kFunction) {
    docs(item.func.docs);
    stability(item.func.stability);
  } else {
    if (item.kind == WorldItem::Kind::kInterface && !r_.interfaces[item.id].name)
      docs(r_.interfaces[item.id].docs);
    stability(item.stability);
  }
  external_id(item.kind == WorldItem::Kind::kFunction ? item.func.external_id : item.external_id);
  out_.str(std::string(keyword) + " ");
  if (!item.name) {
    AIRWASM_TRY(path_to_interface(item.id, pkg));
    out_.semicolon();
    return {};
  }
  out_.str(escape(*item.name) + ": ");
  if (item.kind == WorldItem::Kind::kFunction) {
    AIRWASM_TRY(function(item.func));
    out_.semicolon();
  } else if (!r_.interfaces[item.id].name) {
    out_.str("interface");
    out_.open();
    AIRWASM_TRY(interface(item.id));
    out_.close();
  } else {
    AIRWASM_TRY(path_to_interface(item.id, pkg));
    out_.semicolon();
  }
  return {};
}

Result<void> Printer::path_to_interface(uint32_t id, uint32_t cur_pkg) {
  const Interface& iface = r_.interfaces[id];
  if (!iface.name || !iface.package) return fail("a path to an inline interface");
  if (*iface.package == cur_pkg) {
    out_.str(escape(*iface.name));
    return {};
  }
  const Package& p = r_.packages[*iface.package];
  out_.str(escape(p.ns) + ":" + escape(p.name) + "/" + escape(*iface.name));
  if (p.version) out_.str("@" + *p.version);
  return {};
}

Result<void> Printer::type_name(const Ty& t) {
  if (t.is_prim) {
    out_.str(prim_name(t.prim));
    return {};
  }
  const TypeDef& d = r_.types[t.id];
  if (d.name) {
    out_.str(escape(*d.name));
    return {};
  }
  return type_body(d);
}

// The structure of a type, never its name: `list<u8>`, `result<_, e>`, ...
Result<void> Printer::type_body(const TypeDef& d) {
  auto generic = [&](const char* what, size_t n) -> Result<void> {
    out_.str(what);
    out_.str("<");
    for (size_t i = 0; i < n; ++i) {
      if (i) out_.str(", ");
      if (!d.types[i]) return fail("missing type");
      AIRWASM_TRY(type_name(*d.types[i]));
    }
    out_.str(">");
    return {};
  };
  auto resource_name = [&]() -> Result<std::string> {
    const TypeDef& res = r_.types[d.resource];
    if (!res.name) return fail("unnamed resource type");
    return escape(*res.name);
  };
  switch (d.kind) {
    case DefKind::kOwn: {
      AIRWASM_TRY_ASSIGN(std::string n, resource_name());
      out_.str(n);
      return {};
    }
    case DefKind::kBorrow: {
      AIRWASM_TRY_ASSIGN(std::string n, resource_name());
      out_.str("borrow<" + n + ">");
      return {};
    }
    case DefKind::kTuple:
      return generic("tuple", d.types.size());
    case DefKind::kOption:
      return generic("option", 1);
    case DefKind::kList:
      return generic("list", 1);
    case DefKind::kMap:
      return generic("map", 2);
    case DefKind::kFixedList:
      out_.str("list<");
      AIRWASM_TRY(type_name(*d.types[0]));
      out_.str(", " + std::to_string(d.length) + ">");
      return {};
    case DefKind::kResult:
      out_.str("result");
      if (!d.types[0] && !d.types[1]) return {};
      out_.str("<");
      if (d.types[0])
        AIRWASM_TRY(type_name(*d.types[0]));
      else
        out_.str("_");
      if (d.types[1]) {
        out_.str(", ");
        AIRWASM_TRY(type_name(*d.types[1]));
      }
      out_.str(">");
      return {};
    case DefKind::kAlias:
      return type_name(*d.types[0]);
    case DefKind::kFuture:
    case DefKind::kStream:
      out_.str(d.kind == DefKind::kFuture ? "future" : "stream");
      if (d.types[0]) {
        out_.str("<");
        AIRWASM_TRY(type_name(*d.types[0]));
        out_.str(">");
      }
      return {};
    case DefKind::kResource:
      return fail("unnamed resource type");
    case DefKind::kRecord:
      return fail("unnamed record type");
    case DefKind::kFlags:
      return fail("unnamed flags type");
    case DefKind::kEnum:
      return fail("unnamed enum type");
    case DefKind::kVariant:
      return fail("unnamed variant type");
  }
  return {};
}

Result<void> Printer::declare(uint32_t id) {
  const TypeDef& d = r_.types[id];
  if (!d.name) return fail("unnamed type in document");
  std::string name = escape(*d.name);
  auto labeled = [&](const char* what, bool payloads) -> Result<void> {
    out_.str(std::string(what) + " " + name);
    out_.open();
    for (size_t i = 0; i < d.labels.size(); ++i) {
      if (i < d.label_docs.size()) docs(d.label_docs[i]);
      out_.str(escape(d.labels[i]));
      if (payloads && d.kind == DefKind::kRecord) {
        out_.str(": ");
        AIRWASM_TRY(type_name(*d.types[i]));
      } else if (payloads && d.types[i]) {
        out_.str("(");
        AIRWASM_TRY(type_name(*d.types[i]));
        out_.str(")");
      }
      out_.str(",");
      out_.newline();
    }
    out_.close();
    return {};
  };
  switch (d.kind) {
    case DefKind::kRecord:
      return labeled("record", true);
    case DefKind::kVariant:
      return labeled("variant", true);
    case DefKind::kFlags:
      return labeled("flags", false);
    case DefKind::kEnum:
      return labeled("enum", false);
    case DefKind::kResource:
      return fail("resources are declared separately");
    case DefKind::kOwn:
    case DefKind::kBorrow: {
      const TypeDef& res = r_.types[d.resource];
      if (!res.name) return fail("unnamed resource type");
      out_.str("type " + name + " = " + (d.kind == DefKind::kOwn ? "own<" : "borrow<") + escape(*res.name) +
               ">");
      out_.semicolon();
      return {};
    }
    default:
      out_.str("type " + name + " = ");
      AIRWASM_TRY(type_body(d));
      out_.semicolon();
      return {};
  }
}

// Doc comments and gates come only from WIT text (a component carries neither).
void Printer::docs(const wit::Docs& d) {
  if (!d) return;
  size_t i = 0;
  while (i <= d->size()) {
    size_t nl = d->find('\n', i);
    if (nl == std::string::npos) nl = d->size();
    std::string_view line = std::string_view(*d).substr(i, nl - i);
    out_.str(line.empty() ? "///" : "/// " + std::string(line));
    out_.newline();
    i = nl + 1;
  }
}

void Printer::stability(const wit::Stability& s) {
  switch (s.kind) {
    case wit::Stability::Kind::kUnknown:
      return;
    case wit::Stability::Kind::kStable:
      out_.str("@since(version = " + s.since + (s.feature.empty() ? "" : ", feature = " + escape(s.feature)) +
               ")");
      break;
    case wit::Stability::Kind::kUnstable:
      out_.str("@unstable(feature = " + escape(s.feature) + ")");
      break;
  }
  out_.newline();
  if (s.deprecated) {
    out_.str("@deprecated(version = " + *s.deprecated + ")");
    out_.newline();
  }
}

void Printer::external_id(const std::optional<std::string>& id) {
  if (!id) return;
  std::string s = "@external-id(\"";
  for (size_t i = 0; i < id->size();) {
    uint32_t c = next_code_point(*id, i);
    if ((c < 0x80 && std::isalnum(int(c))) || c == '-' || c == '_' || c == '.' || c == '/' || c == ':' ||
        c == ' ') {
      s += char(c);
    } else if (c == '\\') {
      s += "\\\\";
    } else if (c == '"') {
      s += "\\\"";
    } else if (c == '\n') {
      s += "\\n";
    } else if (c == '\r') {
      s += "\\r";
    } else if (c == '\t') {
      s += "\\t";
    } else {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u{%x}", unsigned(c));
      s += buf;
    }
  }
  out_.str(s + "\")");
  out_.newline();
}

}  // namespace

Result<std::string> print_wit(const wit::Resolve& resolve, WitPrintOptions options) {
  Printer p(resolve);
  return p.run(options);
}

Result<wit::Resolve> component_resolve(std::span<const uint8_t> bytes) {
  AIRWASM_TRY_ASSIGN(auto ast, read_component(bytes));
  AIRWASM_TRY_ASSIGN(ValidatedComponent vc, validate_component(*ast));
  return wit::decode(*vc.store, vc.type, wit::extern_order(*ast));
}

Result<std::string> component_wit(std::span<const uint8_t> bytes, WitPrintOptions options) {
  AIRWASM_TRY_ASSIGN(wit::Resolve resolve, component_resolve(bytes));
  return print_wit(resolve, options);
}

}  // namespace airwasm::component
