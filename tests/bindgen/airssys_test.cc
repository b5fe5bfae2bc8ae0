// tests/bindgen: the bindings `airwasm bindgen` generates for the airssys world (runtime-host, generated
// at build time by the airwasm_bindgen CMake function) used on a real airssys component
// (bench/component/airssys_echo.wasm, from its .wat): every export called through the generated
// RuntimeHost gives what the same call through `Val` gives, the generated Host class serves the
// component's import, and a component that does not match the world is refused with the mismatch named.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "runtime_host.hh"

namespace {

namespace core = ::airssys::core;
namespace types = ::airssys::core::types;
using airwasm::Engine;
using airwasm::Store;
using airwasm::TrapResult;
using airwasm::component::Component;
using airwasm::component::Linker;
using airwasm::component::Val;

constexpr const char* kLifecycle = "airssys:core/component-lifecycle@1.0.0";

std::vector<uint8_t> read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// host-services: only current-time-millis is imported by the echo component; the rest must still be
// implementable and linkable.
class Services : public core::host_services::Host {
 public:
  uint64_t now = 1234;
  int calls = 0;
  TrapResult<void> log(Store&, types::LogLevel, std::string,
                       std::optional<std::vector<std::tuple<std::string, std::string>>>) override {
    return {};
  }
  TrapResult<types::Timestamp> current_time(Store&) override { return types::Timestamp{1, 2}; }
  TrapResult<uint64_t> current_time_millis(Store&) override {
    ++calls;
    return now;
  }
  TrapResult<void> sleep_millis(Store&, uint64_t) override { return {}; }
  TrapResult<std::vector<types::ComponentId>> list_components(Store&) override { return {}; }
  TrapResult<airwasm::component::WitResult<core::host_services::ComponentInfo, core::errors::ComponentError>>
  get_component_metadata(Store&, types::ComponentId) override {
    return airwasm::component::WitResult<core::host_services::ComponentInfo, core::errors::ComponentError>::
        err(core::errors::ComponentError::not_initialized());
  }
};

types::ComponentMessage message(std::vector<uint8_t> payload) {
  types::ComponentMessage m;
  m.sender = {"ns", "sender", "1"};
  m.payload = std::move(payload);
  m.metadata.correlation_id = "corr-7";
  m.metadata.timestamp = {100, 5};
  m.metadata.content_type = "application/octet-stream";
  return m;
}

Val to_val(const types::ComponentId& id) {
  return Val::record({{"namespace", Val::string(id.namespace_)},
                      {"name", Val::string(id.name)},
                      {"instance", Val::string(id.instance)}});
}
Val bytes_val(const std::vector<uint8_t>& b) {
  std::vector<Val> items;
  for (uint8_t x : b) items.push_back(Val::u8(x));
  return Val::list(std::move(items));
}
Val to_val(const types::ComponentMessage& m) {
  auto opt_string = [](const std::optional<std::string>& s) {
    return s ? Val::some(Val::string(*s)) : Val::none();
  };
  return Val::record(
      {{"sender", to_val(m.sender)},
       {"payload", bytes_val(m.payload)},
       {"metadata",
        Val::record(
            {{"correlation-id", opt_string(m.metadata.correlation_id)},
             {"reply-to", m.metadata.reply_to ? Val::some(to_val(*m.metadata.reply_to)) : Val::none()},
             {"timestamp", Val::record({{"seconds", Val::u64(m.metadata.timestamp.seconds)},
                                        {"nanoseconds", Val::u32(m.metadata.timestamp.nanoseconds)}})},
             {"content-type", opt_string(m.metadata.content_type)}})}});
}

struct Messaging : core::host_messaging::Host {
  using R = airwasm::component::WitResult<void, core::errors::MessagingError>;
  TrapResult<R> send(Store&, types::ComponentId, types::MessagePayload) override { return R::ok(); }
  TrapResult<airwasm::component::WitResult<std::string, core::errors::MessagingError>> request(
      Store&, types::ComponentId, types::MessagePayload, uint64_t) override {
    return airwasm::component::WitResult<std::string, core::errors::MessagingError>::err(
        core::errors::MessagingError::queue_full());
  }
  TrapResult<R> cancel_request(Store&, std::string) override { return R::ok(); }
  TrapResult<R> broadcast(Store&, std::vector<types::ComponentId>, types::MessagePayload) override {
    return R::ok();
  }
  TrapResult<types::ComponentId> self_id(Store&) override { return types::ComponentId{"a", "b", "c"}; }
};
struct Storage : core::storage::Host {
  template <typename T>
  using R = airwasm::component::WitResult<T, core::errors::StorageError>;
  TrapResult<R<std::optional<std::vector<uint8_t>>>> get(Store&, std::string) override {
    return R<std::optional<std::vector<uint8_t>>>::ok();
  }
  TrapResult<R<void>> set(Store&, std::string, std::vector<uint8_t>) override { return R<void>::ok(); }
  TrapResult<R<void>> delete_(Store&, std::string) override { return R<void>::ok(); }
  TrapResult<R<bool>> exists(Store&, std::string) override { return R<bool>::ok(false); }
  TrapResult<R<std::vector<std::string>>> list_keys(Store&, std::optional<std::string>) override {
    return R<std::vector<std::string>>::ok();
  }
  TrapResult<R<core::storage::StorageUsage>> usage(Store&) override {
    return R<core::storage::StorageUsage>::ok(core::storage::StorageUsage{1, 2, 3});
  }
};

class AirssysBindings : public ::testing::Test {
 protected:
  void SetUp() override {
    auto bytes = read_file(AIRSSYS_ECHO_WASM);
    ASSERT_FALSE(bytes.empty()) << AIRSSYS_ECHO_WASM;
    auto c = Component::compile(engine, bytes);
    ASSERT_TRUE(c) << c.error().message;
    component.emplace(std::move(*c));
    ASSERT_TRUE(core::host_services::add_to_linker(linker, services));
  }
  Engine engine;
  Store store{engine};
  Linker linker{engine};
  Services services;
  std::optional<Component> component;
};

TEST_F(AirssysBindings, HandleMessageEqualsValPath) {
  auto host = core::RuntimeHost::instantiate(store, linker, *component);
  ASSERT_TRUE(host) << host.error().message;
  const auto& lifecycle = host->component_lifecycle();
  for (std::vector<uint8_t> payload : {std::vector<uint8_t>{1, 2, 3, 250}, std::vector<uint8_t>{}}) {
    const types::ComponentMessage msg = message(payload);
    auto typed = lifecycle.handle_message(store, msg);
    ASSERT_TRUE(typed) << typed.error().message();

    auto f = host->instance().get_func(store, kLifecycle, "handle-message");
    ASSERT_TRUE(f);
    auto val = f->call(store, std::vector{to_val(msg)});
    ASSERT_TRUE(val) << val.error().message();
    const Val& r = (*val)[0];
    ASSERT_EQ(r.kind(), airwasm::component::ValKind::kResult);
    if (!payload.empty()) {
      ASSERT_TRUE(typed->is_ok());
      ASSERT_TRUE(typed->value().has_value());
      EXPECT_EQ(*typed->value(), payload);
      EXPECT_EQ(r.to_string(), "ok(some([1, 2, 3, 250]))");
    } else {
      ASSERT_FALSE(typed->is_ok());
      EXPECT_TRUE(typed->error().is_runtime_error());
      EXPECT_EQ(typed->error().which(), core::errors::WasmError::Case::kRuntimeError);
      EXPECT_EQ(typed->error().as_runtime_error(), "empty payload");
      EXPECT_EQ(r.to_string(), "err(runtime-error(\"empty payload\"))");
    }
  }
}

TEST_F(AirssysBindings, EveryExportEqualsValPath) {
  auto host = core::RuntimeHost::instantiate(store, linker, *component);
  ASSERT_TRUE(host) << host.error().message;
  const auto& lc = host->component_lifecycle();
  auto val_call = [&](const char* name, std::vector<Val> args) {
    auto f = host->instance().get_func(store, kLifecycle, name);
    EXPECT_TRUE(f) << name;
    auto r = f->call(store, args);
    EXPECT_TRUE(r) << name << ": " << r.error().message();
    return r && !r->empty() ? (*r)[0].to_string() : std::string("(none)");
  };

  types::ComponentConfig config;
  config.env_vars = {{"A", "1"}};
  config.resource_limits.max_fuel = 5;
  auto init = lc.initialize(store, config);
  ASSERT_TRUE(init);
  EXPECT_TRUE(init->is_ok());
  EXPECT_EQ(
      val_call("initialize",
               {Val::record({{"env-vars", Val::list({Val::tuple({Val::string("A"), Val::string("1")})})},
                             {"config-data", Val::none()},
                             {"resource-limits", Val::record({{"max-memory-bytes", Val::u64(0)},
                                                              {"max-execution-time-ms", Val::u64(0)},
                                                              {"max-fuel", Val::some(Val::u64(5))}})}})}),
      "ok");

  auto meta = lc.metadata(store);
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->name, "echo");
  EXPECT_EQ(meta->version, "1.0.0");
  EXPECT_EQ(meta->description, "airssys echo component");
  EXPECT_EQ(meta->author, "airwasm");
  EXPECT_EQ(meta->license, "MIT");
  EXPECT_EQ(meta->supported_operations, std::vector<std::string>{"echo"});
  EXPECT_FALSE(meta->stateful);
  EXPECT_EQ(
      val_call("metadata", {}),
      "{name: \"echo\", version: \"1.0.0\", description: \"airssys echo component\", author: \"airwasm\", "
      "license: \"MIT\", supported-operations: [\"echo\"], stateful: false}");

  auto health = lc.health(store);
  ASSERT_TRUE(health);
  EXPECT_EQ(*health, types::HealthStatus::kHealthy);
  EXPECT_EQ(val_call("health", {}), "healthy");

  // handle-callback calls the host's current-time-millis through the generated Host class.
  const types::ComponentMessage msg = message({9});
  auto cb = lc.handle_callback(store, msg);
  ASSERT_TRUE(cb);
  EXPECT_TRUE(cb->is_ok());
  EXPECT_EQ(services.calls, 1);
  EXPECT_EQ(val_call("handle-callback", {to_val(msg)}), "ok");
  services.now = 0;  // the component answers err(timeout) when the host says 0
  cb = lc.handle_callback(store, msg);
  ASSERT_TRUE(cb);
  ASSERT_FALSE(cb->is_ok());
  EXPECT_TRUE(cb->error().is_timeout());
  EXPECT_EQ(val_call("handle-callback", {to_val(msg)}), "err(timeout)");
  EXPECT_EQ(services.calls, 4);

  auto down = lc.shutdown(store);
  ASSERT_TRUE(down);
  EXPECT_TRUE(down->is_ok());
  EXPECT_EQ(val_call("shutdown", {}), "ok");
}

TEST_F(AirssysBindings, WorldAddToLinkerAndMismatch) {
  // The world-level add_to_linker defines all three imported interfaces.
  Messaging messaging;
  Storage storage;
  Linker full(engine);
  ASSERT_TRUE(core::RuntimeHost::add_to_linker(full, messaging, services, storage));
  auto pre = full.instantiate_pre(*component);
  ASSERT_TRUE(pre) << pre.error().message;
  auto host = core::RuntimeHost::instantiate(store, *pre);
  ASSERT_TRUE(host) << host.error().message;
  EXPECT_TRUE(host->component_lifecycle().health(store));

  // A component that does not export the world's interface: the error names what is missing.
  auto bench_bytes = read_file(BENCH_WASM);
  auto bench = Component::compile(engine, bench_bytes);
  ASSERT_TRUE(bench) << bench.error().message;
  Linker bench_linker(engine);
  ASSERT_TRUE(bench_linker.instance("bench:host/api").func_wrap("twice", [](uint32_t x) { return 2 * x; }));
  auto wrong = core::RuntimeHost::instantiate(store, bench_linker, *bench);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("airssys:core/component-lifecycle@1.0.0#initialize"),
            std::string::npos)
      << wrong.error().message;
}

TEST(BindgenTypes, FlagsVariantsAndNames) {
  EXPECT_EQ(core::errors::WasmError::runtime_error("x").as_runtime_error(), "x");
  EXPECT_EQ(core::errors::WasmError::timeout(), core::errors::WasmError::timeout());
  EXPECT_NE(core::errors::WasmError::runtime_error("x"), core::errors::WasmError::invalid_component("x"));
  types::ComponentId id{"ns", "n", "i"};
  EXPECT_EQ(id.namespace_, "ns");  // `namespace` is a C++ keyword
}

}  // namespace
