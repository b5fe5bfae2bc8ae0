// canon: Val, the dynamic value tree of the Component Model: construction, deep copy, structural equality
// and printing in WAVE (the WebAssembly Value Encoding that `wasmtime run --invoke` reads and prints).
//
// Scalars live in `bits_`; compound values own one Heap block. Accessors called on the wrong kind return a
// zero value or an empty span instead of failing, so a host reading an unexpected value never crashes.
// Copy, comparison and printing recurse over the tree; trees built by the canonical ABI are bounded by the
// type depth limit (100), trees built by a host are as deep as the host made them.
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "airwasm/component/val.hh"

namespace airwasm::component {

const char* val_kind_name(ValKind k) {
  switch (k) {
    case ValKind::kBool:
      return "bool";
    case ValKind::kS8:
      return "s8";
    case ValKind::kU8:
      return "u8";
    case ValKind::kS16:
      return "s16";
    case ValKind::kU16:
      return "u16";
    case ValKind::kS32:
      return "s32";
    case ValKind::kU32:
      return "u32";
    case ValKind::kS64:
      return "s64";
    case ValKind::kU64:
      return "u64";
    case ValKind::kF32:
      return "f32";
    case ValKind::kF64:
      return "f64";
    case ValKind::kChar:
      return "char";
    case ValKind::kString:
      return "string";
    case ValKind::kList:
      return "list";
    case ValKind::kRecord:
      return "record";
    case ValKind::kTuple:
      return "tuple";
    case ValKind::kVariant:
      return "variant";
    case ValKind::kEnum:
      return "enum";
    case ValKind::kOption:
      return "option";
    case ValKind::kResult:
      return "result";
    case ValKind::kFlags:
      return "flags";
    case ValKind::kOwn:
      return "own";
    case ValKind::kBorrow:
      return "borrow";
  }
  return "?";
}

Val::Val(const Val& other) : kind_(other.kind_), bits_(other.bits_) {
  if (other.heap_) heap_ = std::make_unique<Heap>(*other.heap_);
}

Val& Val::operator=(const Val& other) {
  if (this != &other) {
    kind_ = other.kind_;
    bits_ = other.bits_;
    heap_ = other.heap_ ? std::make_unique<Heap>(*other.heap_) : nullptr;
  }
  return *this;
}

Val::Heap& Val::heap() {
  if (!heap_) heap_ = std::make_unique<Heap>();
  return *heap_;
}

Val Val::f32(float v) {
  return f32_bits(std::bit_cast<uint32_t>(v));
}
Val Val::f64(double v) {
  return f64_bits(std::bit_cast<uint64_t>(v));
}
float Val::as_f32() const {
  return std::bit_cast<float>(uint32_t(bits_));
}
double Val::as_f64() const {
  return std::bit_cast<double>(bits_);
}

Val Val::string(std::string utf8) {
  Val v = scalar(ValKind::kString, 0);
  v.heap().text = std::move(utf8);
  return v;
}

Val Val::list(std::vector<Val> items) {
  Val v = scalar(ValKind::kList, 0);
  v.heap().items = std::move(items);
  return v;
}

Val Val::bytes(std::string data) {
  Val v = scalar(ValKind::kList, 1);
  v.heap().packed = std::move(data);
  return v;
}

std::string_view Val::bytes_view() const {
  return is_packed_bytes() ? std::string_view(heap_->packed) : std::string_view();
}

Val Val::record(std::vector<std::pair<std::string, Val>> fields) {
  Val v = scalar(ValKind::kRecord, 0);
  Heap& h = v.heap();
  h.items.reserve(fields.size());
  h.names.reserve(fields.size());
  for (auto& [name, value] : fields) {
    h.names.push_back(std::move(name));
    h.items.push_back(std::move(value));
  }
  return v;
}

Val Val::tuple(std::vector<Val> items) {
  Val v = scalar(ValKind::kTuple, 0);
  v.heap().items = std::move(items);
  return v;
}

Val Val::variant(std::string case_name, std::optional<Val> payload) {
  Val v = scalar(ValKind::kVariant, 0);
  v.heap().text = std::move(case_name);
  if (payload) v.heap().items.push_back(std::move(*payload));
  return v;
}

Val Val::enumeration(std::string case_name) {
  Val v = scalar(ValKind::kEnum, 0);
  v.heap().text = std::move(case_name);
  return v;
}

Val Val::option(std::optional<Val> value) {
  Val v = scalar(ValKind::kOption, value ? 1 : 0);
  if (value) v.heap().items.push_back(std::move(*value));
  return v;
}

Val Val::ok(std::optional<Val> value) {
  Val v = scalar(ValKind::kResult, 1);
  if (value) v.heap().items.push_back(std::move(*value));
  return v;
}

Val Val::err(std::optional<Val> value) {
  Val v = scalar(ValKind::kResult, 0);
  if (value) v.heap().items.push_back(std::move(*value));
  return v;
}

Val Val::flags(std::vector<std::string> set_flags) {
  Val v = scalar(ValKind::kFlags, 0);
  v.heap().names = std::move(set_flags);
  return v;
}

Val Val::resource(ResourceAny handle) {
  Val v = scalar(handle.owned() ? ValKind::kOwn : ValKind::kBorrow, 0);
  v.heap().resource = handle;
  return v;
}

const std::string& Val::as_string() const {
  static const std::string kEmpty;
  return heap_ ? heap_->text : kEmpty;
}

std::span<const Val> Val::items() const {
  if (!heap_) return {};
  // A packed list<u8> is unpacked on first use; both copies are kept (neither can change through a
  // const Val), so bytes_view() stays valid.
  if (is_packed_bytes() && heap_->items.size() != heap_->packed.size()) {
    heap_->items.clear();
    heap_->items.reserve(heap_->packed.size());
    for (char c : heap_->packed) heap_->items.push_back(Val::u8(uint8_t(c)));
  }
  return heap_->items;
}

std::span<Val> Val::items_mut() {
  if (!heap_) return {};
  if (is_packed_bytes()) {
    (void)items();
    heap_->packed.clear();
    bits_ = 0;
  }
  return heap_->items;
}

std::span<const std::string> Val::names() const {
  if (!heap_) return {};
  return heap_->names;
}

const Val* Val::payload() const {
  if (kind_ != ValKind::kVariant && kind_ != ValKind::kOption && kind_ != ValKind::kResult) return nullptr;
  return heap_ && heap_->items.size() == 1 ? &heap_->items[0] : nullptr;
}

const ResourceAny& Val::as_resource() const {
  static const ResourceAny kNone;
  return heap_ && (kind_ == ValKind::kOwn || kind_ == ValKind::kBorrow) ? heap_->resource : kNone;
}

bool Val::operator==(const Val& other) const {
  if (kind_ != other.kind_) return false;
  if (kind_ == ValKind::kList && (is_packed_bytes() || other.is_packed_bytes())) {
    if (is_packed_bytes() && other.is_packed_bytes()) return heap_->packed == other.heap_->packed;
    auto a = items(), b = other.items();
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }
  if (kind_ == ValKind::kF32) {
    const bool a = std::isnan(as_f32()), b = std::isnan(other.as_f32());
    return a || b ? a && b : f32_bits() == other.f32_bits();
  }
  if (kind_ == ValKind::kF64) {
    const bool a = std::isnan(as_f64()), b = std::isnan(other.as_f64());
    return a || b ? a && b : f64_bits() == other.f64_bits();
  }
  if (bits_ != other.bits_) return false;
  if (as_string() != other.as_string()) return false;
  auto a = items(), b = other.items();
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!(a[i] == b[i])) return false;
  }
  auto na = names(), nb = other.names();
  if (!std::equal(na.begin(), na.end(), nb.begin(), nb.end())) return false;
  return as_resource() == other.as_resource();
}

namespace {

// WAVE keywords cannot be used as bare labels; they are written with a `%` prefix.
void append_label(std::string& out, const std::string& label) {
  static constexpr const char* kKeywords[] = {"true", "false", "some", "none", "ok", "err", "inf", "nan"};
  for (const char* k : kKeywords) {
    if (label == k) {
      out.push_back('%');
      break;
    }
  }
  out += label;
}

// One character of a WAVE string or char literal, escaped as wasm-wave's writer does: backslash, both
// quotes, tab, CR and LF by name; other control characters (C0, DEL, C1) as \u{hex}.
void append_escaped(std::string& out, std::string_view utf8_char) {
  uint32_t cp = utf8_char.empty() ? 0 : uint8_t(utf8_char[0]);
  if (utf8_char.size() == 2) cp = (cp & 0x1f) << 6 | (uint8_t(utf8_char[1]) & 0x3f);
  switch (cp) {
    case '\\':
      out += "\\\\";
      return;
    case '"':
      out += "\\\"";
      return;
    case '\'':
      out += "\\'";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    default:
      break;
  }
  if (utf8_char.size() <= 2 && (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\u{%x}", unsigned(cp));
    out += buf;
  } else {
    out += utf8_char;
  }
}

size_t utf8_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

template <typename F>
void append_float(std::string& out, F v) {
  if (std::isnan(v)) {
    out += "nan";
  } else if (std::isinf(v)) {
    out += v < 0 ? "-inf" : "inf";
  } else {
    char buf[400];  // fixed notation of the smallest f64 denormal is 327 characters
    // The shortest digits that read back to the same value, without an exponent (Rust's Display, which
    // wasm-wave uses: 1e20 prints as 100000000000000000000).
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    out.append(buf, r.ptr);
  }
}

void append_wave(std::string& out, const Val& v);

void append_list(std::string& out, std::span<const Val> items, char open, char close) {
  out.push_back(open);
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    append_wave(out, items[i]);
  }
  out.push_back(close);
}

void append_case(std::string& out, const std::string& label, const Val* payload) {
  append_label(out, label);
  if (payload) {
    out.push_back('(');
    append_wave(out, *payload);
    out.push_back(')');
  }
}

void append_wave(std::string& out, const Val& v) {
  switch (v.kind()) {
    case ValKind::kBool:
      out += v.as_bool() ? "true" : "false";
      return;
    case ValKind::kS8:
    case ValKind::kS16:
    case ValKind::kS32:
    case ValKind::kS64:
      out += std::to_string(v.as_signed());
      return;
    case ValKind::kU8:
    case ValKind::kU16:
    case ValKind::kU32:
    case ValKind::kU64:
      out += std::to_string(v.as_unsigned());
      return;
    case ValKind::kF32:
      append_float(out, v.as_f32());
      return;
    case ValKind::kF64:
      append_float(out, v.as_f64());
      return;
    case ValKind::kChar: {
      std::string utf8;
      const uint32_t c = uint32_t(v.as_char());
      if (c < 0x80) {
        utf8.push_back(char(c));
      } else if (c < 0x800) {
        utf8 = {char(0xc0 | (c >> 6)), char(0x80 | (c & 0x3f))};
      } else if (c < 0x10000) {
        utf8 = {char(0xe0 | (c >> 12)), char(0x80 | ((c >> 6) & 0x3f)), char(0x80 | (c & 0x3f))};
      } else {
        utf8 = {char(0xf0 | (c >> 18)), char(0x80 | ((c >> 12) & 0x3f)), char(0x80 | ((c >> 6) & 0x3f)),
                char(0x80 | (c & 0x3f))};
      }
      out.push_back('\'');
      append_escaped(out, utf8);
      out.push_back('\'');
      return;
    }
    case ValKind::kString: {
      const std::string& s = v.as_string();
      out.push_back('"');
      for (size_t i = 0; i < s.size();) {
        const size_t n = std::min(utf8_length(uint8_t(s[i])), s.size() - i);
        append_escaped(out, std::string_view(s).substr(i, n));
        i += n;
      }
      out.push_back('"');
      return;
    }
    case ValKind::kList:
      append_list(out, v.items(), '[', ']');
      return;
    case ValKind::kTuple:
      append_list(out, v.items(), '(', ')');
      return;
    case ValKind::kRecord: {
      // As wasm-wave writes records: fields whose value is `none` are left out (WAVE reads a missing
      // option field as none), and a record with no field left is `{:}`.
      out.push_back('{');
      auto items = v.items();
      auto names = v.names();
      bool first = true;
      for (size_t i = 0; i < items.size(); ++i) {
        if (items[i].kind() == ValKind::kOption && !items[i].is_some()) continue;
        if (!first) out += ", ";
        first = false;
        out += i < names.size() ? names[i] : std::string();
        out += ": ";
        append_wave(out, items[i]);
      }
      if (first) out.push_back(':');
      out.push_back('}');
      return;
    }
    case ValKind::kVariant:
      append_case(out, v.case_name(), v.payload());
      return;
    case ValKind::kEnum:
      append_label(out, v.case_name());
      return;
    case ValKind::kOption:
      if (v.is_some() && v.payload()) {
        out += "some(";
        append_wave(out, *v.payload());
        out.push_back(')');
      } else {
        out += "none";
      }
      return;
    case ValKind::kResult:
      out += v.is_ok() ? "ok" : "err";
      if (v.payload()) {
        out.push_back('(');
        append_wave(out, *v.payload());
        out.push_back(')');
      }
      return;
    case ValKind::kFlags: {
      out.push_back('{');
      auto names = v.names();
      for (size_t i = 0; i < names.size(); ++i) {
        if (i) out += ", ";
        out += names[i];
      }
      out.push_back('}');
      return;
    }
    case ValKind::kOwn:
    case ValKind::kBorrow:
      out += v.kind() == ValKind::kOwn ? "<own " : "<borrow ";
      out += std::to_string(v.as_resource().index());
      out.push_back('>');
      return;
  }
}

}  // namespace

std::string Val::to_string() const {
  std::string out;
  append_wave(out, *this);
  return out;
}

}  // namespace airwasm::component
