// airwasm plugin host: the RuntimeEngine, which hosts airssys components (world airssys:core/runtime-host)
// as isolated, metered plugins. A component is loaded from its bytes under a ComponentId: it gets its own
// Store (memory limit), is instantiated against the host interfaces and its `initialize` export runs; the
// engine then delivers messages to its `handle-message` export and callbacks to `handle-callback`, each
// call with its own fuel and wall-clock budget; unloading runs `shutdown`.
//
// Errors are WasmError values (types.hh), mapped as follows:
//   bytes that are not a valid component            instantiation-failed (as the reference engine does)
//   a valid component that does not export the      invalid-component
//   airssys:core/component-lifecycle interface
//   unresolved imports / instantiation failure      instantiation-failed
//   the memory limit refused instantiation          resource-limit-exceeded
//   `initialize` returned err(e)                    instantiation-failed("initialize: " + e)
//   an unknown handle                               component-not-found
//   the export is missing                           export-not-found
//   a trap in the guest                             runtime-error("trap: <text>")
//   fuel exhausted / memory limit refused a growth  resource-limit-exceeded
//   the per-call deadline passed                    timeout
//   the guest returned err(e)                       e itself (call_handle_message); call_handle_message_ex
//                                                   keeps the guest's answer apart from host failures.
// A component that trapped is unhealthy: its instance may be inconsistent, so further calls fail with
// runtime-error until it is reloaded (reload_component), and health() says kUnhealthy without entering it.
//
// Concurrency: every method is thread-safe. Calls to one component are serialized, in arrival order;
// calls to different components run in parallel on the callers' threads, or on the engine's worker threads
// through the *_async methods, which return futures. Asynchronous calls run in fuel slices, round-robin
// (EngineOptions::async_slice_fuel), and one that sleeps in sleep-millis is parked without holding a thread
// (its deadline and interrupt() still end it). No engine-wide lock is held while guest code runs. Unloading
// a component while a call to it runs waits for that call (whose result is returned to its caller), then
// runs `shutdown`; calls that start or were waiting after the unload fail with component-not-found.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "airwasm/engine.hh"
#include "airwasm/error.hh"
#include "airwasm/host/capabilities.hh"
#include "airwasm/host/log.hh"
#include "airwasm/host/messaging.hh"
#include "airwasm/host/storage.hh"
#include "airwasm/host/types.hh"
#include "airwasm/module.hh"

namespace airwasm::host {

// record component-metadata (interface component-lifecycle): what a component says about itself.
struct ComponentMetadata {
  std::string name;
  std::string version;
  std::string description;
  std::string author;
  std::string license;
  std::vector<std::string> supported_operations;
  bool stateful = false;
  friend bool operator==(const ComponentMetadata&, const ComponentMetadata&) = default;
};

// The result of a guest export kept apart from host failures: the outer error is the host's (trap, limit,
// unknown handle...), the inner one is the err(wasm-error) the component answered.
template <typename T>
using GuestResult = std::expected<T, WasmError>;

class RuntimeEngine {
 public:
  virtual ~RuntimeEngine() = default;

  // Compiles (or takes from the compiled-code cache), instantiates in a new Store, runs `initialize`.
  // The first overload uses the engine's default configuration (EngineOptions::default_config).
  virtual std::expected<ComponentHandle, WasmError> load_component(const ComponentId& id,
                                                                   std::span<const uint8_t> bytes) = 0;
  virtual std::expected<ComponentHandle, WasmError> load_component(const ComponentId& id,
                                                                   std::span<const uint8_t> bytes,
                                                                   const ComponentConfig& config) = 0;
  // Runs `shutdown` (its error is returned, the component is unloaded anyway) and drops the Store.
  // Unloading an unknown handle succeeds (idempotent, as in the reference).
  virtual std::expected<void, WasmError> unload_component(const ComponentHandle& handle) = 0;
  // Unloads and loads the same bytes and configuration again under the same id: a new handle.
  virtual std::expected<ComponentHandle, WasmError> reload_component(const ComponentHandle& handle) = 0;

  virtual std::expected<GuestResult<std::optional<MessagePayload>>, WasmError> call_handle_message_ex(
      const ComponentHandle& handle, const ComponentMessage& msg) = 0;
  virtual std::expected<GuestResult<void>, WasmError> call_handle_callback_ex(
      const ComponentHandle& handle, const ComponentMessage& msg) = 0;
  virtual std::expected<ComponentMetadata, WasmError> metadata(const ComponentHandle& handle) = 0;
  // kUnhealthy after a trap (without entering the component), otherwise the component's `health` export.
  virtual std::expected<HealthStatus, WasmError> health(const ComponentHandle& handle) = 0;

  // The same calls on the engine's worker threads.
  virtual std::future<std::expected<std::optional<MessagePayload>, WasmError>> call_handle_message_async(
      const ComponentHandle& handle, ComponentMessage msg) = 0;
  virtual std::future<std::expected<void, WasmError>> call_handle_callback_async(
      const ComponentHandle& handle, ComponentMessage msg) = 0;
  // Stops the call running in the component, if any: it fails with runtime-error("call interrupted"), and the
  // component is then unhealthy (stopped mid-way). A sleeping asynchronous call ends at once. An interrupt
  // that races with the end of the call either stops it or does nothing: never the component's next call.
  virtual std::expected<void, WasmError> interrupt(const ComponentHandle& handle) = 0;

  // The calls with the guest's err(...) folded into the error (the reference engine's signatures).
  std::expected<std::optional<MessagePayload>, WasmError> call_handle_message(const ComponentHandle& handle,
                                                                              const ComponentMessage& msg) {
    auto r = call_handle_message_ex(handle, msg);
    if (!r) return std::unexpected(std::move(r.error()));
    return std::move(*r);
  }
  std::expected<void, WasmError> call_handle_callback(const ComponentHandle& handle,
                                                      const ComponentMessage& msg) {
    auto r = call_handle_callback_ex(handle, msg);
    if (!r) return std::unexpected(std::move(r.error()));
    return std::move(*r);
  }
};

struct EngineOptions {
  // Used by load_component(id, bytes); its resource_limits are each component's limits.
  ComponentConfig default_config;
  // Fuel metering (needed for max_fuel). Off saves the metering cost; max_fuel is then ignored.
  bool consume_fuel = true;
  // Operand/locals stack of each component's Store. Small by default so that thousands of components fit.
  size_t value_stack_bytes = size_t{256} << 10;
  // Threads of the *_async calls. Those run as sliced calls: `async_slice_fuel` units of fuel at a time,
  // round-robin, so a guest that spins cannot starve the others, and a guest that sleeps (sleep-millis)
  // holds no thread. (Without consume_fuel, an asynchronous call holds its thread until it ends.)
  unsigned worker_threads = 2;
  uint64_t async_slice_fuel = 100'000;
  // Which tier runs the components' code (airwasm::CompilerMode). kAuto, the default: each function is
  // interpreted until it is hot, then compiled to x86-64 (where the compiler is available), so a
  // component's load costs no compile time and its busy code runs compiled. kBaseline compiles every
  // function at the first load (slower loads: about 1 s for a 12 MB JavaScript component; create()
  // fails on a machine without the compiler); kInterpreter never compiles. Fuel, limits, deadlines and
  // interrupt() work the same in all three.
  CompilerMode compiler = CompilerMode::kAuto;
  // Keep compiled components by content hash, so a second load of the same bytes skips compilation.
  bool cache_compiled = true;
  // The storage interface's backend. None: an SQLite database at storage_path ("" or ":memory:": a
  // private in-memory one), opened by create().
  std::shared_ptr<KeyValueStore> storage;
  std::string storage_path;
  StorageOptions storage_options;  // default quota per component namespace, key length
  // Where host-services `log` goes. None: StderrLogSink (info and above).
  std::shared_ptr<LogSink> log;
  // The in-process router of host-messaging (mailbox capacity, worker threads, clock).
  RouterOptions router;
  // Capability checks of storage and messaging; denials (and optionally allowed operations) go to `audit`.
  AuditLog* audit = nullptr;  // not owned; must outlive the engine
  bool audit_allowed = false;
};

// What a component is loaded with besides its configuration.
struct LoadOptions {
  std::optional<Grant> grant;                    // default: Grant::default_for(storage namespace)
  std::optional<std::string> storage_namespace;  // default: id.to_string()
  std::optional<uint64_t> storage_quota_bytes;   // default: storage_options.default_quota_bytes
};

struct EngineStats {
  uint64_t compilations = 0;  // components compiled
  uint64_t cache_hits = 0;    // loads served by the compiled-code cache
  size_t loaded = 0;          // components loaded now
};

// The RuntimeEngine on airwasm's component runtime. Also what a message router delivers through
// (has_component / deliver_message / deliver_callback: by component id rather than handle).
class HostEngine final : public RuntimeEngine, public MessageEndpoint {
 public:
  static std::expected<std::unique_ptr<HostEngine>, airwasm::Error> create(EngineOptions options = {});
  ~HostEngine() override;

  std::expected<ComponentHandle, WasmError> load_component(const ComponentId& id,
                                                           std::span<const uint8_t> bytes) override;
  std::expected<ComponentHandle, WasmError> load_component(const ComponentId& id,
                                                           std::span<const uint8_t> bytes,
                                                           const ComponentConfig& config) override;
  // With a capability grant, storage namespace and quota of its own.
  std::expected<ComponentHandle, WasmError> load_component(const ComponentId& id,
                                                           std::span<const uint8_t> bytes,
                                                           const ComponentConfig& config,
                                                           const LoadOptions& load);
  std::expected<void, WasmError> unload_component(const ComponentHandle& handle) override;
  std::expected<ComponentHandle, WasmError> reload_component(const ComponentHandle& handle) override;
  std::expected<GuestResult<std::optional<MessagePayload>>, WasmError> call_handle_message_ex(
      const ComponentHandle& handle, const ComponentMessage& msg) override;
  std::expected<GuestResult<void>, WasmError> call_handle_callback_ex(const ComponentHandle& handle,
                                                                      const ComponentMessage& msg) override;
  std::expected<ComponentMetadata, WasmError> metadata(const ComponentHandle& handle) override;
  std::expected<HealthStatus, WasmError> health(const ComponentHandle& handle) override;
  std::future<std::expected<std::optional<MessagePayload>, WasmError>> call_handle_message_async(
      const ComponentHandle& handle, ComponentMessage msg) override;
  std::future<std::expected<void, WasmError>> call_handle_callback_async(const ComponentHandle& handle,
                                                                         ComponentMessage msg) override;
  std::expected<void, WasmError> interrupt(const ComponentHandle& handle) override;

  // MessageEndpoint: by component id (the router's view).
  bool has_component(const ComponentId& id) override;
  std::expected<std::optional<MessagePayload>, WasmError> deliver_message(
      const ComponentId& target, const ComponentMessage& msg) override;
  std::expected<void, WasmError> deliver_callback(const ComponentId& target,
                                                  const ComponentMessage& msg) override;
  // Asynchronous deliveries: sliced calls on the engine's workers (no router thread waits for them).
  void deliver_message_async(const ComponentId& target, ComponentMessage msg, MessageDone done) override;
  void deliver_callback_async(const ComponentId& target, ComponentMessage msg, CallbackDone done) override;

  std::optional<ComponentHandle> find(const ComponentId& id);
  std::vector<ComponentId> list_components();
  // The services the components use, for the host's own use (tests, tools).
  MessageRouter& router();
  KeyValueStore& storage();
  CapabilityRegistry& capabilities();

  EngineStats stats();
  // What the compiler made of a loaded component's code so far (Component::compile_info): under kAuto,
  // hot_compiled_functions grows as its functions become hot. Shared by every component loaded from the
  // same bytes (the compiled-code cache) and kept across reloads.
  std::expected<Module::CompileInfo, WasmError> compile_info(const ComponentHandle& handle);

  struct Impl;

 private:
  explicit HostEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace airwasm::host
