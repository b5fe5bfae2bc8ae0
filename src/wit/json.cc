// wit: the resolved model as JSON, for tools outside airwasm. The layout follows wit-parser's JSON (arenas
// of worlds, interfaces, types and packages referring to each other by index), with airwasm's names
// for type kinds. A type reference is a primitive's name ("u32") or a type index. Output is compact,
// one object, keys in a fixed order.
#include <cstdio>

#include "wit/wit.hh"

namespace airwasm::wit {

namespace {

namespace model = component::wit;

class Json {
 public:
  explicit Json(const model::Resolve& r) : r_(r) {}
  std::string run();

 private:
  void str(std::string_view s);
  void key(std::string_view k) {
    comma();
    str(k);
    out_ += ':';
    fresh_ = true;
  }
  void comma() {
    if (!fresh_) out_ += ',';
    fresh_ = false;
  }
  void open(char c) {
    comma();
    out_ += c;
    fresh_ = true;
  }
  void close(char c) {
    out_ += c;
    fresh_ = false;
  }
  void value(std::string_view s) {
    comma();
    str(s);
  }
  void number(uint64_t n) {
    comma();
    out_ += std::to_string(n);
  }
  void null() {
    comma();
    out_ += "null";
  }
  void ty(const std::optional<model::Ty>& t);
  void docs(const model::Docs& d) {
    if (!d) return;
    key("docs");
    open('{');
    key("contents");
    value(*d);
    close('}');
  }
  void stability(const model::Stability& s);
  void function(const model::Function& f);
  void type_def(const model::TypeDef& t);
  void world_items(const std::vector<model::WorldItem>& items);

  const model::Resolve& r_;
  std::string out_;
  bool fresh_ = true;
};

void Json::str(std::string_view s) {
  out_ += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += char(c);
    } else if (c == '\n') {
      out_ += "\\n";
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out_ += buf;
    } else {
      out_ += char(c);
    }
  }
  out_ += '"';
}

void Json::ty(const std::optional<model::Ty>& t) {
  if (!t) return null();
  if (!t->is_prim) return number(t->id);
  static constexpr const char* kNames[] = {"bool", "s8",  "u8",  "s16", "u16",  "s32",    "u32",
                                           "s64",  "u64", "f32", "f64", "char", "string", "error-context"};
  size_t i = size_t(t->prim);
  value(i < std::size(kNames) ? kNames[i] : "?");
}

void Json::stability(const model::Stability& s) {
  if (s.kind == model::Stability::Kind::kUnknown) return;
  key("stability");
  open('{');
  if (s.kind == model::Stability::Kind::kStable) {
    key("stable");
    open('{');
    key("since");
    value(s.since);
    if (!s.feature.empty()) {
      key("feature");
      value(s.feature);
    }
  } else {
    key("unstable");
    open('{');
    key("feature");
    value(s.feature);
  }
  if (s.deprecated) {
    key("deprecated");
    value(*s.deprecated);
  }
  close('}');
  close('}');
}

void Json::function(const model::Function& f) {
  open('{');
  key("name");
  value(f.name);
  key("kind");
  switch (f.kind) {
    case model::FuncKind::kFreestanding:
      value("freestanding");
      break;
    case model::FuncKind::kConstructor:
    case model::FuncKind::kMethod:
    case model::FuncKind::kStatic:
      open('{');
      key(f.kind == model::FuncKind::kConstructor ? "constructor"
          : f.kind == model::FuncKind::kMethod    ? "method"
                                                  : "static");
      number(f.resource);
      close('}');
      break;
  }
  if (f.async) {
    key("async");
    comma();
    out_ += "true";
  }
  key("params");
  open('[');
  for (auto& [name, t] : f.params) {
    open('{');
    key("name");
    value(name);
    key("type");
    ty(t);
    close('}');
  }
  close(']');
  if (f.result) {
    key("result");
    ty(f.result);
  }
  docs(f.docs);
  stability(f.stability);
  close('}');
}

void Json::type_def(const model::TypeDef& t) {
  open('{');
  key("name");
  if (t.name)
    value(*t.name);
  else
    null();
  key("kind");
  static constexpr const char* kKinds[] = {"type",    "record", "variant", "list",   "fixed-length-list",
                                           "tuple",   "flags",  "enum",    "option", "result",
                                           "own",     "borrow", "future",  "stream", "map",
                                           "resource"};
  open('{');
  key(kKinds[size_t(t.kind)]);
  switch (t.kind) {
    case model::DefKind::kRecord:
    case model::DefKind::kVariant:
    case model::DefKind::kFlags:
    case model::DefKind::kEnum:
      open('[');
      for (size_t i = 0; i < t.labels.size(); ++i) {
        open('{');
        key("name");
        value(t.labels[i]);
        if (t.kind == model::DefKind::kRecord || t.kind == model::DefKind::kVariant) {
          key("type");
          ty(i < t.types.size() ? t.types[i] : std::nullopt);
        }
        if (i < t.label_docs.size()) docs(t.label_docs[i]);
        close('}');
      }
      close(']');
      break;
    case model::DefKind::kOwn:
    case model::DefKind::kBorrow:
      number(t.resource);
      break;
    case model::DefKind::kResource:
      null();
      break;
    case model::DefKind::kResult:
      open('{');
      key("ok");
      ty(t.types.size() > 0 ? t.types[0] : std::nullopt);
      key("err");
      ty(t.types.size() > 1 ? t.types[1] : std::nullopt);
      close('}');
      break;
    case model::DefKind::kFixedList:
      open('{');
      key("element");
      ty(t.types.empty() ? std::nullopt : t.types[0]);
      key("length");
      number(t.length);
      close('}');
      break;
    default:
      if (t.types.size() == 1 && t.kind != model::DefKind::kTuple) {
        ty(t.types[0]);
      } else {
        open('[');
        for (const auto& x : t.types) ty(x);
        close(']');
      }
      break;
  }
  close('}');
  key("owner");
  switch (t.owner.kind) {
    case model::Owner::Kind::kNone:
      null();
      break;
    case model::Owner::Kind::kWorld:
    case model::Owner::Kind::kInterface:
      open('{');
      key(t.owner.kind == model::Owner::Kind::kWorld ? "world" : "interface");
      number(t.owner.index);
      close('}');
      break;
  }
  if (t.external_id) {
    key("external-id");
    value(*t.external_id);
  }
  docs(t.docs);
  stability(t.stability);
  close('}');
}

void Json::world_items(const std::vector<model::WorldItem>& items) {
  open('[');
  for (const model::WorldItem& it : items) {
    open('{');
    key("name");
    if (it.name)
      value(*it.name);
    else
      null();
    switch (it.kind) {
      case model::WorldItem::Kind::kInterface:
        key("interface");
        number(it.id);
        break;
      case model::WorldItem::Kind::kType:
        key("type");
        number(it.id);
        break;
      case model::WorldItem::Kind::kFunction:
        key("function");
        function(it.func);
        break;
    }
    if (it.external_id) {
      key("external-id");
      value(*it.external_id);
    }
    stability(it.stability);
    close('}');
  }
  close(']');
}

std::string Json::run() {
  open('{');
  key("worlds");
  open('[');
  for (const model::World& w : r_.worlds) {
    open('{');
    key("name");
    value(w.name);
    key("package");
    number(w.package);
    key("imports");
    world_items(w.imports);
    key("exports");
    world_items(w.exports);
    docs(w.docs);
    stability(w.stability);
    close('}');
  }
  close(']');
  key("interfaces");
  open('[');
  for (const model::Interface& i : r_.interfaces) {
    open('{');
    key("name");
    if (i.name)
      value(*i.name);
    else
      null();
    key("package");
    if (i.package)
      number(*i.package);
    else
      null();
    key("types");
    open('{');
    for (auto& [name, id] : i.types) {
      key(name);
      number(id);
    }
    close('}');
    key("functions");
    open('[');
    for (const model::Function& f : i.functions) function(f);
    close(']');
    docs(i.docs);
    stability(i.stability);
    close('}');
  }
  close(']');
  key("types");
  open('[');
  for (const model::TypeDef& t : r_.types) type_def(t);
  close(']');
  key("packages");
  open('[');
  for (const model::Package& p : r_.packages) {
    open('{');
    key("name");
    value(p.ns + ":" + p.name + (p.version ? "@" + *p.version : ""));
    key("interfaces");
    open('{');
    for (auto& [name, id] : p.interfaces) {
      key(name);
      number(id);
    }
    close('}');
    key("worlds");
    open('{');
    for (auto& [name, id] : p.worlds) {
      key(name);
      number(id);
    }
    close('}');
    docs(p.docs);
    close('}');
  }
  close(']');
  key("main-package");
  number(r_.main_package);
  close('}');
  out_ += '\n';
  return std::move(out_);
}

}  // namespace

std::string resolve_to_json(const component::wit::Resolve& resolve) {
  Json j(resolve);
  return j.run();
}

}  // namespace airwasm::wit
