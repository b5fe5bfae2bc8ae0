// wast: the component half of a script run (component_session.hh) and script values as Vals.
#include "wast/component_session.hh"

#include <nlohmann/json.hpp>

#include "base/result.hh"
#include "wast/command_fields.hh"

namespace airwasm::wast {

using component::Val;
using nlohmann::json;

namespace {

Result<uint64_t> parse_u64(const json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) return uint64_t(v.get<int64_t>());
  if (!v.is_string()) return make_error(ErrorKind::kUsage, "bad number");
  const std::string s = v.get<std::string>();
  try {
    if (!s.empty() && s[0] == '-') return uint64_t(std::stoll(s));
    return uint64_t(std::stoull(s));
  } catch (...) {
    return make_error(ErrorKind::kUsage, "bad number `" + s + "`");
  }
}

Result<char32_t> one_char(const std::string& s) {
  // Decode exactly one UTF-8 scalar.
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  if (n == 0) return make_error(ErrorKind::kUsage, "empty char");
  uint32_t c = p[0];
  size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
  if (len > n) return make_error(ErrorKind::kUsage, "bad char");
  if (len > 1) {
    c &= (0xff >> (len + 1));
    for (size_t i = 1; i < len; ++i) c = (c << 6) | (p[i] & 0x3f);
  }
  return char32_t(c);
}

}  // namespace

Result<Val> json_to_val(const json& v) {
  const std::string type = member(v, "type");
  auto it = v.find("value");
  if (it == v.end()) return make_error(ErrorKind::kUsage, "value without a \"value\"");
  const json& x = *it;
  if (type == "bool") return Val::boolean(x.is_boolean() && x.get<bool>());
  if (type == "u8" || type == "u16" || type == "u32" || type == "u64" || type == "s8" || type == "s16" ||
      type == "s32" || type == "s64" || type == "f32" || type == "f64") {
    AIRWASM_TRY_ASSIGN(uint64_t n, parse_u64(x));
    if (type == "u8") return Val::u8(uint8_t(n));
    if (type == "u16") return Val::u16(uint16_t(n));
    if (type == "u32") return Val::u32(uint32_t(n));
    if (type == "u64") return Val::u64(n);
    if (type == "s8") return Val::s8(int8_t(n));
    if (type == "s16") return Val::s16(int16_t(n));
    if (type == "s32") return Val::s32(int32_t(n));
    if (type == "s64") return Val::s64(int64_t(n));
    if (type == "f32") return Val::f32_bits(uint32_t(n));
    return Val::f64_bits(n);
  }
  if (type == "char") {
    AIRWASM_TRY_ASSIGN(char32_t c, one_char(x.is_string() ? x.get<std::string>() : std::string()));
    return Val::character(c);
  }
  if (type == "string") return Val::string(x.is_string() ? x.get<std::string>() : std::string());
  if (type == "list" || type == "tuple") {
    std::vector<Val> items;
    if (x.is_array())
      for (const json& e : x) {
        AIRWASM_TRY_ASSIGN(Val item, json_to_val(e));
        items.push_back(std::move(item));
      }
    return type == "list" ? Val::list(std::move(items)) : Val::tuple(std::move(items));
  }
  if (type == "record") {
    std::vector<std::pair<std::string, Val>> fields;
    if (x.is_array())
      for (const json& f : x) {
        if (!f.is_array() || f.size() != 2 || !f[0].is_string())
          return make_error(ErrorKind::kUsage, "bad record field");
        AIRWASM_TRY_ASSIGN(Val item, json_to_val(f[1]));
        fields.emplace_back(f[0].get<std::string>(), std::move(item));
      }
    return Val::record(std::move(fields));
  }
  if (type == "variant") {
    std::optional<Val> payload;
    if (auto p = x.find("payload"); p != x.end() && !p->is_null()) {
      AIRWASM_TRY_ASSIGN(Val item, json_to_val(*p));
      payload = std::move(item);
    }
    return Val::variant(member(x, "case"), std::move(payload));
  }
  if (type == "enum") return Val::enumeration(x.is_string() ? x.get<std::string>() : std::string());
  if (type == "flags") {
    std::vector<std::string> set;
    if (x.is_array())
      for (const json& f : x)
        if (f.is_string()) set.push_back(f.get<std::string>());
    return Val::flags(std::move(set));
  }
  if (type == "option") {
    if (x.is_null()) return Val::none();
    AIRWASM_TRY_ASSIGN(Val item, json_to_val(x));
    return Val::some(std::move(item));
  }
  if (type == "result") {
    const bool ok = x.contains("Ok");
    const json& p = ok ? x["Ok"] : x.contains("Err") ? x["Err"] : json();
    std::optional<Val> payload;
    if (!p.is_null()) {
      AIRWASM_TRY_ASSIGN(Val item, json_to_val(p));
      payload = std::move(item);
    }
    return ok ? Val::ok(std::move(payload)) : Val::err(std::move(payload));
  }
  return make_error(ErrorKind::kUsage, "unknown value type `" + type + "`");
}

ComponentSession::ComponentSession(Session& session)
    : session_(session),
      linker_(session.engine()),
      current_(make_error(ErrorKind::kUsage, "no component instantiated yet")) {}

Result<component::Component> ComponentSession::compile_file(std::string_view filename) {
  AIRWASM_TRY_ASSIGN(std::vector<uint8_t> bytes, session_.read_file(filename));
  return component::Component::compile(session_.engine(), bytes);
}

Result<component::Instance> ComponentSession::instantiate(const component::Component& c) {
  return linker_.instantiate(session_.store(), c);
}

void ComponentSession::define(std::string_view name, Result<component::Component> definition) {
  if (!name.empty()) definitions_.insert_or_assign(std::string(name), std::move(definition));
}

Result<component::Component> ComponentSession::definition(std::string_view name) const {
  auto it = definitions_.find(name);
  if (it == definitions_.end())
    return make_error(ErrorKind::kUsage, "no component definition named " + std::string(name));
  return it->second;
}

void ComponentSession::set_current(std::string_view name, Result<component::Instance> instance) {
  if (!name.empty()) named_.insert_or_assign(std::string(name), instance);
  current_ = std::move(instance);
}

ComponentActionResult ComponentSession::run_action(const json& action) {
  ComponentActionResult r;
  const std::string field = member(action, "field");
  const std::string module = member(action, "module");
  r.description = "invoke \"" + field + "\"";
  Result<component::Instance> inst = current_;
  if (!module.empty()) {
    auto it = named_.find(module);
    inst = it == named_.end() ? make_error(ErrorKind::kUsage, "no instance named " + module) : it->second;
  }
  if (!inst) {
    r.error = inst.error().to_string();
    return r;
  }
  std::vector<Val> args;
  if (auto a = action.find("args"); a != action.end() && a->is_array()) {
    for (const json& v : *a) {
      auto val = json_to_val(v);
      if (!val) {
        r.error = val.error().message;
        return r;
      }
      args.push_back(std::move(*val));
    }
  }
  std::string shown;
  for (const Val& v : args) shown += (shown.empty() ? "" : ", ") + v.to_string();
  r.description += " (" + shown + ")";
  auto func = inst->get_func(session_.store(), field);
  if (!func) {
    r.error = "no exported function `" + field + "`";
    return r;
  }
  auto out = func->call(session_.store(), args);
  if (!out) {
    r.kind = ActionResult::Kind::kTrapped;
    r.trap = out.error();
    return r;
  }
  r.kind = ActionResult::Kind::kReturned;
  r.values = std::move(*out);
  return r;
}

}  // namespace airwasm::wast
