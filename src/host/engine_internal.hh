// airwasm plugin host (internal): what the host interfaces (engine_host.cc) need from the engine
// (engine.cc): the Linker to define them in, the component a host call comes from (through Store::data),
// and read-only views of the loaded components.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "airwasm/component/linker.hh"
#include "airwasm/host/engine.hh"
#include "airwasm/store.hh"

namespace airwasm::host {

// Defines host-messaging, host-services, storage and the types-only interfaces in the engine's Linker
// (engine_host.cc, on the generated airssys bindings).
Result<void> link_host_interfaces(HostEngine::Impl& impl);

component::Linker& engine_linker(HostEngine::Impl& impl);
const EngineOptions& engine_options(HostEngine::Impl& impl);
// Who is calling a host function: the component whose call runs in the Store, and its storage namespace.
struct HostContext {
  ComponentId id;
  std::string storage_namespace;
};
// Null outside the engine's Stores.
const HostContext* current_context(Store& store);
// host-services sleep-millis: parks an asynchronous call (no thread held), or waits interruptibly.
TrapResult<void> host_sleep_millis(Store& store, uint64_t ms);
LogSink& engine_log(HostEngine::Impl& impl);
KeyValueStore& engine_storage(HostEngine::Impl& impl);
CapabilityRegistry& engine_capabilities(HostEngine::Impl& impl);
MessageRouter* engine_router(HostEngine::Impl& impl);  // null until create() has made it
HostEngine::Impl* current_engine(Store& store);
std::vector<ComponentId> engine_list_components(HostEngine::Impl& impl);
// The metadata a loaded component gave at load time and whether it is healthy.
struct ComponentInfo {
  ComponentId id;
  std::string name;
  std::string version;
  std::string health;
};
std::optional<ComponentInfo> engine_component_info(HostEngine::Impl& impl, const ComponentId& id);

}  // namespace airwasm::host
