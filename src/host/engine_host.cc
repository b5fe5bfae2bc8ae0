// airwasm plugin host: the host interfaces of world airssys:core/runtime-host, defined in the engine's
// component Linker with typed host functions (airwasm/component/typed.hh). A host function finds the
// calling component through its Store's data (engine_internal.hh).
//
// host-services: log (to EngineOptions::log, default stderr), current-time, current-time-millis,
// sleep-millis (blocks the calling thread), list-components, get-component-metadata (from the metadata the
// component gave at load time, so asking never enters the target, which may be the caller itself).
// The types-only interfaces airssys:core/types and airssys:core/errors are defined as empty instances
// (their type exports are checked structurally against the import, nothing else is needed).
#include <chrono>
#include <thread>

#include "airwasm/component/typed.hh"
#include "base/result.hh"
#include "engine_abi.hh"
#include "engine_internal.hh"

namespace airwasm::component {
template <>
struct WitType<host::ComponentInfo> {
  static constexpr auto fields = std::make_tuple(
      wit_field("id", &host::ComponentInfo::id), wit_field("name", &host::ComponentInfo::name),
      wit_field("version", &host::ComponentInfo::version), wit_field("health", &host::ComponentInfo::health));
};
}  // namespace airwasm::component

namespace airwasm::host {

namespace {

constexpr std::string_view kVersion = "@1.0.0";

std::string iface(std::string_view name) {
  return "airssys:core/" + std::string(name) + std::string(kVersion);
}

Timestamp now() {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return Timestamp{uint64_t(ns / 1'000'000'000), uint32_t(ns % 1'000'000'000)};
}

Result<void> link_services(HostEngine::Impl& impl) {
  auto services = engine_linker(impl).instance(iface("host-services"));
  using Context = std::optional<std::vector<std::tuple<std::string, std::string>>>;
  AIRWASM_TRY(services.func_wrap(
      "log", [&impl](Store& store, LogLevel level, std::string_view message, const Context& context) {
        std::vector<std::pair<std::string, std::string>> ctx;
        if (context)
          for (const auto& [k, v] : *context) ctx.emplace_back(k, v);
        const ComponentId* id = current_component(store);
        engine_options(impl).log(id ? *id : ComponentId{}, level, message, ctx);
      }));
  AIRWASM_TRY(services.func_wrap("current-time", [] { return now(); }));
  AIRWASM_TRY(services.func_wrap("current-time-millis", [] {
    const Timestamp t = now();
    return t.seconds * 1000 + t.nanoseconds / 1'000'000;
  }));
  AIRWASM_TRY(services.func_wrap("sleep-millis", [](uint64_t ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min<uint64_t>(ms, 24ull * 3600 * 1000)));
  }));
  AIRWASM_TRY(services.func_wrap("list-components", [&impl] { return engine_list_components(impl); }));
  AIRWASM_TRY(services.func_wrap("get-component-metadata", [&impl](const ComponentId& id) {
    auto info = engine_component_info(impl, id);
    using R = component::WitResult<ComponentInfo, guest::ComponentErrorV>;
    if (!info)
      return R::err(
          guest::ComponentErrorV(std::in_place_index<4>, "component " + id.to_string() + " is not loaded"));
    return R::ok(std::move(*info));
  }));
  return {};
}

}  // namespace

Result<void> link_host_interfaces(HostEngine::Impl& impl) {
  (void)engine_linker(impl).instance(iface("types"));
  (void)engine_linker(impl).instance(iface("errors"));
  AIRWASM_TRY(link_services(impl));
  return {};
}

}  // namespace airwasm::host
