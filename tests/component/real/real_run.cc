// tests/component/real: the airwasm side of the real-component comparison. Instantiates a real plugin
// component (C or JS) with WASI 0.2 and the `airwasm:plugin/host` interface implemented here in C++, calls
// every export of the plugin world with the same fixed inputs as transpile_run.mjs (the same component
// under jco's transpile on Node), and prints the same lines: one per call and per host event. The guest's
// own stdout (printf in the C guest) is printed first, as Node shows it. real_compare.sh diffs the two.
//   real_run COMPONENT.wasm
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "airwasm/airwasm.hh"
#include "airwasm/component.hh"
#include "airwasm/wasi_p2.hh"

namespace {

using airwasm::Engine;
using airwasm::Store;
using airwasm::Trap;
using airwasm::TrapCode;
using airwasm::TrapResult;
using namespace airwasm::component;

std::vector<std::string> g_lines;

std::string quote(const std::string& s) {
  return Val::string(s).to_string();
}
std::string bytes(const Val& list) {
  return list.to_string();
}

// The host, deterministic (mirrored in transpile_run.mjs).
struct Host {
  ResourceType kv_type = ResourceType::host(7001);
  struct Kv {
    std::string name;
    std::map<std::string, Val> map;
  };
  std::map<uint32_t, Kv> stores;
  uint32_t next = 1;

  void define(Linker& linker) {
    LinkerInstance h = linker.instance("airwasm:plugin/host@0.1.0");
    (void)h.func_new("log", [](Store&, std::span<const Val> p, std::span<Val>) -> TrapResult<void> {
      g_lines.push_back("host log " + p[0].case_name() + " " + quote(p[1].as_string()));
      return {};
    });
    (void)h.func_new("now-ms", [](Store&, std::span<const Val>, std::span<Val> r) -> TrapResult<void> {
      r[0] = Val::u64(1234);
      return {};
    });
    (void)h.func_new("send", [](Store&, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
      auto meta = p[1].items();  // sender, sequence, tags
      std::string tags;
      for (const Val& t : meta[2].items()) tags += (tags.empty() ? "" : ", ") + quote(t.as_string());
      const Val& body = p[2];
      std::string payload;
      if (body.case_name() == "text") payload = quote(body.payload()->as_string());
      if (body.case_name() == "binary") payload = bytes(*body.payload());
      g_lines.push_back("host send " + quote(p[0].as_string()) + " " + quote(meta[0].as_string()) + " " +
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
    });
    (void)h.resource("kv-store", kv_type, [this](Store&, uint32_t rep) {
      g_lines.push_back("host kv-store drop");
      stores.erase(rep);
    });
    (void)h.func_new("[constructor]kv-store",
                     [this](Store& store, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
                       g_lines.push_back("host kv-store new " + quote(p[0].as_string()));
                       const uint32_t rep = next++;
                       stores[rep].name = p[0].as_string();
                       auto handle = resource_new_own(store, kv_type, rep);
                       if (!handle)
                         return std::unexpected(Trap(TrapCode::kHostError, handle.error().message));
                       r[0] = Val::resource(*handle);
                       return {};
                     });
    (void)h.func_new("[method]kv-store.get",
                     [this](Store& store, std::span<const Val> p, std::span<Val> r) -> TrapResult<void> {
                       g_lines.push_back("host kv-store get " + quote(p[1].as_string()));
                       auto rep = resource_rep(store, p[0].as_resource());
                       if (!rep) return std::unexpected(Trap(TrapCode::kHostError, rep.error().message));
                       auto& map = stores[*rep].map;
                       auto it = map.find(p[1].as_string());
                       r[0] = it == map.end() ? Val::none() : Val::some(it->second);
                       return {};
                     });
    (void)h.func_new("[method]kv-store.set",
                     [this](Store& store, std::span<const Val> p, std::span<Val>) -> TrapResult<void> {
                       g_lines.push_back("host kv-store set " + quote(p[1].as_string()) + " " + bytes(p[2]));
                       auto rep = resource_rep(store, p[0].as_resource());
                       if (!rep) return std::unexpected(Trap(TrapCode::kHostError, rep.error().message));
                       stores[*rep].map[p[1].as_string()] = p[2];
                       return {};
                     });
  }
};

Val byte_list(const std::string& s) {
  std::vector<Val> items;
  for (unsigned char c : s) items.push_back(Val::u8(c));
  return Val::list(std::move(items));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: real_run COMPONENT.wasm\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<uint8_t> wasm((std::istreambuf_iterator<char>(in)), {});
  Engine engine;
  auto component = Component::compile(engine, wasm);
  if (!component) {
    std::fprintf(stderr, "compile: %s\n", component.error().to_string().c_str());
    return 1;
  }
  Store store(engine);
  Linker linker(engine);
  Host host;
  host.define(linker);
  airwasm::wasi::p2::WasiP2Config config;
  auto wasi = airwasm::wasi::p2::WasiP2Context::create(config);
  if (!wasi) return 1;
  if (auto r = airwasm::wasi::p2::add_to_linker(linker, *wasi); !r) {
    std::fprintf(stderr, "wasi: %s\n", r.error().message.c_str());
    return 1;
  }
  auto instance = linker.instantiate(store, *component);
  if (!instance) {
    std::fprintf(stderr, "instantiate: %s\n", instance.error().to_string().c_str());
    return 1;
  }
  auto call = [&](const char* name, std::vector<Val> args) -> std::string {
    auto f = instance->get_func(store, "airwasm:plugin/guest@0.1.0", name);
    if (!f) return "<no export>";
    auto r = f->call(store, args);
    if (!r) return "trap: " + r.error().message();
    return r->empty() ? "()" : (*r)[0].to_string();
  };
  std::string info = call("describe", {});
  // WAVE prints the record with its field names: the same text transpile_run.mjs builds.
  g_lines.push_back("describe() -> " + info);
  for (const std::string msg : {"hello", "", "a second message"}) {
    Val m = byte_list(msg);
    const std::string shown = m.to_string();
    std::string out = call("handle-message", {m});
    g_lines.push_back("handle-message(" + shown + ") -> " + out);
  }
  struct Cb {
    uint32_t id;
    Val outcome;
    std::string shown;
  };
  for (Cb cb :
       {Cb{7, Val::ok(byte_list("\x01\x02")), "ok([1, 2])"},
        Cb{8, Val::err(Val::string("boom")), "err(\"boom\")"}, Cb{0, Val::ok(Val::list({})), "ok([])"}}) {
    std::string out = call("handle-callback", {Val::u32(cb.id), cb.outcome});
    g_lines.push_back("handle-callback(" + std::to_string(cb.id) + ", " + cb.shown + ") -> " + out);
  }
  std::fflush(stdout);
  for (const std::string& l : g_lines) std::printf("%s\n", l.c_str());
  return 0;
}
