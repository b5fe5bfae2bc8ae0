// tests/bindgen: the generated bindings of the test plugin world (tests/component/real/wit, world `plugin`)
// on the real C and JS plugin components (built by tests/component/real/build.sh, ctest fixture
// component_real). Every export is called through the generated `Plugin` class with the imports served by
// the generated `host::Host` class (including the kv-store resource: constructor, methods, destructor),
// and again through `Val` calls with a Val host that behaves the same (as real_run.cc's). The results and
// the sequence of host events must be identical.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>

#include "airwasm/wasi_p2.hh"
#include "plugin.hh"

namespace {

namespace ph = ::airwasm_::plugin::host;
namespace pg = ::airwasm_::plugin::guest;
using airwasm::Engine;
using airwasm::Store;
using airwasm::Trap;
using airwasm::TrapCode;
using airwasm::TrapResult;
using namespace airwasm::component;

std::string quote(const std::string& s) {
  return Val::string(s).to_string();
}
std::string bytes(const std::vector<uint8_t>& b) {
  std::string s = "[";
  for (size_t i = 0; i < b.size(); ++i) s += (i ? ", " : "") + std::to_string(b[i]);
  return s + "]";
}
std::vector<uint8_t> to_bytes(const std::string& s) {
  return {s.begin(), s.end()};
}
Val byte_list(const std::vector<uint8_t>& b) {
  std::vector<Val> items;
  for (uint8_t c : b) items.push_back(Val::u8(c));
  return Val::list(std::move(items));
}
const char* level_name(ph::Level l) {
  return WitType<ph::Level>::cases[size_t(l)];
}

// The plugin host on the generated Host class.
class TypedHost : public ph::Host {
 public:
  explicit TypedHost(std::vector<std::string>& lines) : lines_(lines) {}
  TrapResult<void> log(Store&, ph::Level level, std::string msg) override {
    lines_.push_back("host log " + std::string(level_name(level)) + " " + quote(msg));
    return {};
  }
  TrapResult<uint64_t> now_ms(Store&) override { return 1234; }
  TrapResult<WitResult<uint32_t, std::string>> send(Store&, std::string to, ph::MessageMeta meta,
                                                    ph::Payload body) override {
    std::string tags, payload, kind;
    for (const std::string& t : meta.tags) tags += (tags.empty() ? "" : ", ") + quote(t);
    uint32_t n = 0;
    switch (body.which()) {
      case ph::Payload::Case::kText:
        kind = "text", payload = quote(body.as_text()), n = uint32_t(body.as_text().size());
        break;
      case ph::Payload::Case::kBinary:
        kind = "binary", payload = bytes(body.as_binary()), n = uint32_t(body.as_binary().size());
        break;
      case ph::Payload::Case::kEmpty:
        kind = "empty";
        break;
    }
    lines_.push_back("host send " + quote(to) + " " + quote(meta.sender) + " " +
                     std::to_string(meta.sequence) + " [" + tags + "] " + kind + "(" + payload + ")");
    if (to == "nobody") return WitResult<uint32_t, std::string>::err("no such recipient");
    return WitResult<uint32_t, std::string>::ok(n);
  }
  void kv_store_drop(Store&, uint32_t rep) override {
    lines_.push_back("host kv-store drop");
    stores_.erase(rep);
  }
  TrapResult<ph::KvStore> kv_store_new(Store& store, std::string name) override {
    lines_.push_back("host kv-store new " + quote(name));
    const uint32_t rep = next_++;
    stores_[rep].name = name;
    return ph::KvStore::create(store, rep);
  }
  TrapResult<std::optional<std::vector<uint8_t>>> kv_store_get(Store&, ph::KvStoreBorrow self,
                                                               std::string key) override {
    lines_.push_back("host kv-store get " + quote(key));
    auto it = stores_.find(self.rep());
    if (it == stores_.end()) return std::unexpected(Trap(TrapCode::kHostError, "no such kv-store"));
    auto v = it->second.map.find(key);
    if (v == it->second.map.end()) return std::nullopt;
    return v->second;
  }
  TrapResult<void> kv_store_set(Store&, ph::KvStoreBorrow self, std::string key,
                                std::vector<uint8_t> value) override {
    lines_.push_back("host kv-store set " + quote(key) + " " + bytes(value));
    auto it = stores_.find(self.rep());
    if (it == stores_.end()) return std::unexpected(Trap(TrapCode::kHostError, "no such kv-store"));
    it->second.map[key] = std::move(value);
    return {};
  }
  size_t live_stores() const { return stores_.size(); }

 private:
  struct Kv {
    std::string name;
    std::map<std::string, std::vector<uint8_t>> map;
  };
  std::vector<std::string>& lines_;
  std::map<uint32_t, Kv> stores_;
  uint32_t next_ = 1;
};

// The same host on Val (the reference path).
void define_val_host(Linker& linker, std::vector<std::string>& lines,
                     std::map<uint32_t, std::map<std::string, Val>>& stores) {
  const ResourceType kv = ResourceType::host(7001);
  LinkerInstance h = linker.instance("airwasm:plugin/host@0.1.0");
  ASSERT_TRUE(h.func_new("log", [&lines](Store&, std::span<const Val> p, std::span<Val>) -> TrapResult<void> {
    lines.push_back("host log " + p[0].case_name() + " " + quote(p[1].as_string()));
    return {};
  }));
  ASSERT_TRUE(h.func_new("now-ms", [](Store&, std::span<const Val>, std::span<Val> r) -> TrapResult<void> {
    r[0] = Val::u64(1234);
    return {};
  }));
  ASSERT_TRUE(
      h.func_new("send", [&lines](Store&, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
        auto meta = p[1].items();
        std::string tags;
        for (const Val& t : meta[2].items()) tags += (tags.empty() ? "" : ", ") + quote(t.as_string());
        const Val& body = p[2];
        std::string payload;
        if (body.case_name() == "text") payload = quote(body.payload()->as_string());
        if (body.case_name() == "binary") payload = body.payload()->to_string();
        lines.push_back("host send " + quote(p[0].as_string()) + " " + quote(meta[0].as_string()) + " " +
                        std::to_string(meta[1].as_u64()) + " [" + tags + "] " + body.case_name() + "(" +
                        payload + ")");
        if (p[0].as_string() == "nobody") {
          r[0] = Val::err(Val::string("no such recipient"));
        } else {
          uint32_t n = body.case_name() == "empty"  ? 0
                       : body.case_name() == "text" ? uint32_t(body.payload()->as_string().size())
                                                    : uint32_t(body.payload()->items().size());
          r[0] = Val::ok(Val::u32(n));
        }
        return {};
      }));
  ASSERT_TRUE(h.resource("kv-store", kv, [&](Store&, uint32_t rep) {
    lines.push_back("host kv-store drop");
    stores.erase(rep);
  }));
  ASSERT_TRUE(h.func_new("[constructor]kv-store",
                         [&, kv](Store& store, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
                           lines.push_back("host kv-store new " + quote(p[0].as_string()));
                           const uint32_t rep = uint32_t(stores.size() + 100);
                           stores[rep];
                           auto handle = resource_new_own(store, kv, rep);
                           if (!handle)
                             return std::unexpected(Trap(TrapCode::kHostError, handle.error().message));
                           r[0] = Val::resource(*handle);
                           return {};
                         }));
  ASSERT_TRUE(h.func_new("[method]kv-store.get",
                         [&](Store& store, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
                           lines.push_back("host kv-store get " + quote(p[1].as_string()));
                           auto rep = resource_rep(store, p[0].as_resource());
                           if (!rep) return std::unexpected(Trap(TrapCode::kHostError, rep.error().message));
                           auto& map = stores[*rep];
                           auto it = map.find(p[1].as_string());
                           r[0] = it == map.end() ? Val::none() : Val::some(it->second);
                           return {};
                         }));
  ASSERT_TRUE(h.func_new(
      "[method]kv-store.set", [&](Store& store, std::span<const Val> p, std::span<Val>) -> TrapResult<void> {
        lines.push_back("host kv-store set " + quote(p[1].as_string()) + " " + p[2].to_string());
        auto rep = resource_rep(store, p[0].as_resource());
        if (!rep) return std::unexpected(Trap(TrapCode::kHostError, rep.error().message));
        stores[*rep][p[1].as_string()] = p[2];
        return {};
      }));
}

std::string show(const pg::PluginInfo& info) {
  std::string needs;
  for (size_t i = 0; i < 3; ++i)
    if (info.needs.bits & (1u << i))
      needs += (needs.empty() ? "" : ", ") + std::string(WitType<ph::Capabilities>::flag_names[i]);
  return "{name: " + quote(info.name) + ", version: (" + std::to_string(std::get<0>(info.version)) + ", " +
         std::to_string(std::get<1>(info.version)) + ", " + std::to_string(std::get<2>(info.version)) +
         "), needs: {" + needs + "}, verbosity: " + level_name(info.verbosity) + "}";
}

class PluginBindings : public ::testing::TestWithParam<const char*> {};

TEST_P(PluginBindings, EveryExportEqualsValPath) {
  std::ifstream in(std::string(AIRWASM_REAL_DIR) + "/" + GetParam(), std::ios::binary);
  std::vector<uint8_t> wasm((std::istreambuf_iterator<char>(in)), {});
  ASSERT_FALSE(wasm.empty()) << GetParam();
  Engine engine;
  auto component = Component::compile(engine, wasm);
  ASSERT_TRUE(component) << component.error().message;
  auto wasi = airwasm::wasi::p2::WasiP2Context::create(airwasm::wasi::p2::WasiP2Config{});
  ASSERT_TRUE(wasi);

  // Generated bindings.
  std::vector<std::string> typed_lines, typed_results;
  TypedHost host(typed_lines);
  Store typed_store(engine);
  Linker typed_linker(engine);
  ASSERT_TRUE(airwasm::wasi::p2::add_to_linker(typed_linker, *wasi));
  ASSERT_TRUE(::airwasm_::plugin::Plugin::add_to_linker(typed_linker, host));
  auto plugin = ::airwasm_::plugin::Plugin::instantiate(typed_store, typed_linker, *component);
  ASSERT_TRUE(plugin) << plugin.error().message;
  const pg::Guest& guest = plugin->guest();

  // Val.
  std::vector<std::string> val_lines, val_results;
  std::map<uint32_t, std::map<std::string, Val>> val_stores;
  Store val_store(engine);
  Linker val_linker(engine);
  ASSERT_TRUE(airwasm::wasi::p2::add_to_linker(val_linker, *wasi));
  define_val_host(val_linker, val_lines, val_stores);
  auto instance = val_linker.instantiate(val_store, *component);
  ASSERT_TRUE(instance) << instance.error().message;
  auto val_call = [&](const char* name, std::vector<Val> args) {
    auto f = instance->get_func(val_store, "airwasm:plugin/guest@0.1.0", name);
    EXPECT_TRUE(f) << name;
    auto r = f->call(val_store, args);
    EXPECT_TRUE(r) << name << ": " << r.error().message();
    val_results.push_back(r && !r->empty() ? (*r)[0].to_string() : "(trap)");
  };

  auto info = guest.describe(typed_store);
  ASSERT_TRUE(info) << info.error().message();
  typed_results.push_back(show(*info));
  val_call("describe", {});

  for (const std::string msg : {"hello", "", "a second message"}) {
    auto out = guest.handle_message(typed_store, to_bytes(msg));
    ASSERT_TRUE(out) << out.error().message();
    typed_results.push_back(*out ? "some(" + bytes(**out) + ")" : "none");
    val_call("handle-message", {byte_list(to_bytes(msg))});
  }
  struct Cb {
    uint32_t id;
    WitResult<std::vector<uint8_t>, std::string> outcome;
    Val val;
  };
  for (const Cb& cb :
       {Cb{7, WitResult<std::vector<uint8_t>, std::string>::ok(std::vector<uint8_t>{1, 2}),
           Val::ok(byte_list({1, 2}))},
        Cb{8, WitResult<std::vector<uint8_t>, std::string>::err("boom"), Val::err(Val::string("boom"))},
        Cb{0, WitResult<std::vector<uint8_t>, std::string>::ok(), Val::ok(Val::list({}))}}) {
    auto out = guest.handle_callback(typed_store, cb.id, cb.outcome);
    ASSERT_TRUE(out) << out.error().message();
    typed_results.push_back(*out ? "true" : "false");
    val_call("handle-callback", {Val::u32(cb.id), cb.val});
  }

  EXPECT_EQ(typed_results, val_results);
  EXPECT_EQ(typed_lines, val_lines);
  // Every kv-store the plugin dropped (the C plugin drops its store in handle-callback 0; the JS one keeps
  // it) ran the host destructor through the bindings.
  const auto created = std::count_if(typed_lines.begin(), typed_lines.end(),
                                     [](const std::string& l) { return l.starts_with("host kv-store new"); });
  const auto dropped = std::count(typed_lines.begin(), typed_lines.end(), "host kv-store drop");
  EXPECT_GE(created, 1);
  EXPECT_EQ(host.live_stores(), size_t(created - dropped));
  EXPECT_EQ(typed_results.size(), 7u);

  // A host-side owned handle: KvStore::create and the RAII drop run the host destructor exactly once; the
  // moved-from object is empty and drops nothing.
  typed_lines.clear();
  const size_t live = host.live_stores();
  {
    auto kv = host.kv_store_new(typed_store, "x");
    ASSERT_TRUE(kv) << kv.error().message();
    EXPECT_TRUE(kv->valid());
    EXPECT_EQ(host.live_stores(), live + 1);
    ph::KvStore moved = std::move(*kv);
    EXPECT_FALSE(kv->valid());
    EXPECT_TRUE(moved.valid());
  }
  EXPECT_EQ(host.live_stores(), live);
  EXPECT_EQ(std::count(typed_lines.begin(), typed_lines.end(), "host kv-store drop"), 1);
}

INSTANTIATE_TEST_SUITE_P(RealPlugins, PluginBindings, ::testing::Values("c_plugin.wasm", "js_plugin.wasm"),
                         [](const auto& info) {
                           return std::string(info.param).substr(0, 2) == "c_" ? "C" : "JS";
                         });

}  // namespace
