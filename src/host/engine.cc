// airwasm plugin host: HostEngine, the RuntimeEngine on airwasm's component runtime (engine.hh).
//
// Layout: a table handle id -> Loaded (shared_ptr) under a shared_mutex that is held only to find, insert
// or erase entries; each Loaded has its own CallGate that serializes the calls into its Store. A call copies
// the shared_ptr out of the table and releases the table lock before entering the guest, so guest code
// never runs under an engine-wide lock, and an unload that erases the entry meanwhile leaves the running
// call its Store until it returns. Compiled components are kept by content hash (the bytes are compared
// too, so a hash collision cannot hand out the wrong code) together with their InstancePre, so a second
// load of the same bytes does only the per-instance work.
//
// Asynchronous calls (*_async) run as sliced component calls on the SliceRunner (slice_runner.hh): a slice
// of fuel at a time, round-robin over the runner's threads, and a guest that sleeps (host-services
// sleep-millis) is parked without holding a thread; its deadline and interrupt() still end it. Blocking
// calls run on the caller's thread; both kinds wait for each other at the component's CallGate.
#include "airwasm/host/engine.hh"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "airwasm/component/component.hh"
#include "airwasm/component/instance.hh"
#include "airwasm/component/linker.hh"
#include "airwasm/component/typed.hh"
#include "airwasm/engine.hh"
#include "airwasm/store.hh"
#include "bindings.hh"
#include "engine_internal.hh"
#include "runtime/blocking.hh"
#include "slice_runner.hh"

namespace airwasm::host {

using component::Component;
using component::Instance;
using component::InstancePre;
using component::Linker;

namespace {

constexpr std::string_view kLifecycle = "airssys:core/component-lifecycle";

WasmError werr(WasmError::Case c, std::string msg = {}) {
  return WasmError{c, std::move(msg)};
}

uint64_t content_hash(std::span<const uint8_t> bytes) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a, 8 bytes at a time
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 29;
  }
  for (; i < bytes.size(); ++i) h = (h ^ bytes[i]) * 0x100000001b3ull;
  return h ^ bytes.size();
}

// Records whether the memory limit refused a growth during a call, so that the trap that usually follows
// (an allocator giving up) is reported as resource-limit-exceeded.
class MemoryLimiter final : public ResourceLimiter {
 public:
  explicit MemoryLimiter(uint64_t limit) : limit_(limit) {}
  bool memory_growing(uint64_t current, uint64_t desired, std::optional<uint64_t>) override {
    if (limit_ != 0 && desired - current + used_ > limit_) {
      denied_ = true;
      return false;
    }
    used_ += desired - current;
    return true;
  }
  bool table_growing(uint64_t, uint64_t, std::optional<uint64_t>) override { return true; }
  bool take_denied() { return std::exchange(denied_, false); }
  uint64_t used() const { return used_; }

 private:
  uint64_t limit_;
  uint64_t used_ = 0;
  bool denied_ = false;
};

}  // namespace

// ---------------------------------------------------------------- per-component state

struct Compiled {
  std::vector<uint8_t> bytes;
  Component component;
  InstancePre pre;
};

// The lifecycle exports, typed with the generated airssys types (bindings.hh).
using bindings::HandleCallbackFn;
using bindings::HandleMessageFn;
using bindings::HealthFn;
using bindings::InitializeFn;
using bindings::MetadataFn;
using bindings::ShutdownFn;

struct Loaded {
  ComponentHandle handle;
  HostContext context;  // what the host interfaces see of the caller
  ComponentConfig config;
  LoadOptions load;
  std::shared_ptr<const Compiled> compiled;
  HostEngine::Impl* engine = nullptr;

  CallGate call_gate;  // serializes the calls into `store`, blocking and asynchronous
  std::unique_ptr<MemoryLimiter> limiter;
  std::unique_ptr<Store> store;
  std::optional<Instance> instance;
  std::optional<HandleMessageFn> handle_message;
  std::optional<HandleCallbackFn> handle_callback;
  std::optional<InitializeFn> initialize;
  std::optional<ShutdownFn> shutdown;
  std::optional<MetadataFn> metadata;
  std::optional<HealthFn> health;
  ComponentMetadata load_metadata;  // what `metadata` answered at load (for get-component-metadata)
  std::string missing;              // "name: why" of lifecycle exports that are absent or mistyped

  std::atomic<bool> trapped{false};
  std::string trap_text;  // the trap that made it unhealthy (under call_gate)
  bool unloaded = false;  // under call_gate: calls that were waiting behind the unload find it gone

  // interrupt() stops only the call running now: `running` and the Store's pending interrupt request are
  // set and cleared under run_mutex, so a request racing with the end of one call cannot stop the next.
  std::mutex run_mutex;
  bool running = false;
  std::shared_ptr<SliceTask> task;  // the asynchronous call running (maybe parked), woken by interrupt()
  std::atomic<bool> interrupt_requested{false};
  // Set by sleep-millis in a sliced call (which then suspends): when to resume it. Only the thread
  // running the call touches it.
  std::optional<SliceTask::Clock::time_point> sleep_until;

  void begin_run(std::shared_ptr<SliceTask> t = nullptr) {
    std::lock_guard lock(run_mutex);
    running = true;
    task = std::move(t);
    interrupt_requested.store(false);
    store->interrupt_handle().clear();
  }
  void end_run() {
    std::lock_guard lock(run_mutex);
    running = false;
    task.reset();
    store->interrupt_handle().clear();
  }
};

// ---------------------------------------------------------------- the engine

struct HostEngine::Impl {
  EngineOptions options;
  Engine engine;
  Linker linker;
  std::atomic<uint64_t> next_handle{1};

  std::shared_mutex table_mutex;
  std::unordered_map<uint64_t, std::shared_ptr<Loaded>> by_handle;
  std::map<ComponentId, uint64_t> by_id;

  std::mutex cache_mutex;
  std::unordered_multimap<uint64_t, std::shared_ptr<const Compiled>> cache;
  std::atomic<uint64_t> compilations{0};
  std::atomic<uint64_t> cache_hits{0};

  std::shared_ptr<LogSink> log;
  std::shared_ptr<KeyValueStore> storage;
  std::unique_ptr<CapabilityRegistry> capabilities;
  std::unique_ptr<MessageRouter> router;  // set by create(), once the endpoint (the HostEngine) exists
  std::atomic<bool> stopping{false};      // set first by ~HostEngine
  std::unique_ptr<SliceRunner> runner;    // last member: joined first, while everything else is alive

  static EngineConfig engine_config(const EngineOptions& o) {
    EngineConfig c;
    c.consume_fuel = o.consume_fuel;
    c.value_stack_bytes = o.value_stack_bytes;
    c.compiler = o.compiler;
    c.compile_threads = 1;  // components are small; loads run in parallel on the callers' threads instead
    return c;
  }

  explicit Impl(EngineOptions o) : options(std::move(o)), engine(engine_config(options)), linker(engine) {
    log = options.log ? options.log : std::make_shared<StderrLogSink>();
    CapabilityOptions cap;
    cap.audit = options.audit;
    cap.audit_allowed = options.audit_allowed;
    capabilities = std::make_unique<CapabilityRegistry>(std::move(cap));
  }

  std::shared_ptr<Loaded> find(uint64_t handle_id) {
    std::shared_lock lock(table_mutex);
    auto it = by_handle.find(handle_id);
    return it == by_handle.end() ? nullptr : it->second;
  }
  std::shared_ptr<Loaded> find(const ComponentId& id) {
    std::shared_lock lock(table_mutex);
    auto it = by_id.find(id);
    if (it == by_id.end()) return nullptr;
    auto h = by_handle.find(it->second);
    return h == by_handle.end() ? nullptr : h->second;
  }

  std::expected<std::shared_ptr<const Compiled>, WasmError> compile(std::span<const uint8_t> bytes);
  std::expected<ComponentHandle, WasmError> load(const ComponentId& id, std::span<const uint8_t> bytes,
                                                 const ComponentConfig& config, const LoadOptions& load,
                                                 std::shared_ptr<const Compiled> compiled = nullptr);
  std::expected<void, WasmError> unload(const std::shared_ptr<Loaded>& c);
};

namespace {

// Stops the call running in `c`, if any (and only that one: see Loaded::run_mutex); a parked asynchronous
// call is woken to end now.
void interrupt_running(HostEngine::Impl& impl, Loaded& c) {
  std::shared_ptr<SliceTask> parked;
  {
    std::lock_guard run(c.run_mutex);
    if (!c.running) return;  // nothing runs: the next call must not be stopped
    c.interrupt_requested.store(true);
    c.store->interrupt_handle().interrupt();
    parked = c.task;
  }
  if (parked && impl.runner) impl.runner->wake(parked);
}

}  // namespace

std::expected<std::shared_ptr<const Compiled>, WasmError> HostEngine::Impl::compile(
    std::span<const uint8_t> bytes) {
  const uint64_t key = content_hash(bytes);
  if (options.cache_compiled) {
    std::lock_guard lock(cache_mutex);
    auto [lo, hi] = cache.equal_range(key);
    for (auto it = lo; it != hi; ++it) {
      const auto& b = it->second->bytes;
      if (b.size() == bytes.size() && std::equal(b.begin(), b.end(), bytes.begin())) {
        cache_hits.fetch_add(1, std::memory_order_relaxed);
        return it->second;
      }
    }
  }
  // Compiled outside the cache lock: two first loads of the same bytes may both compile; one is kept.
  auto comp = Component::compile(engine, bytes);
  if (!comp) return std::unexpected(werr(WasmError::Case::kInstantiationFailed, comp.error().to_string()));
  compilations.fetch_add(1, std::memory_order_relaxed);
  bool lifecycle = false;
  for (const auto& e : comp->exports())
    if (e.kind == "instance" && e.name.starts_with(kLifecycle)) lifecycle = true;
  if (!lifecycle)
    return std::unexpected(werr(WasmError::Case::kInvalidComponent,
                                "the component does not export " + std::string(kLifecycle) + "@1.0.0"));
  auto pre = linker.instantiate_pre(*comp);
  if (!pre) return std::unexpected(werr(WasmError::Case::kInstantiationFailed, pre.error().to_string()));
  auto c = std::make_shared<const Compiled>(
      Compiled{std::vector<uint8_t>(bytes.begin(), bytes.end()), std::move(*comp), std::move(*pre)});
  if (options.cache_compiled) {
    std::lock_guard lock(cache_mutex);
    cache.emplace(key, c);
  }
  return c;
}

namespace {

// Finds lifecycle export `name` (in the airssys:core/component-lifecycle instance, whatever its version)
// and checks its type; a problem is noted in `missing` and reported by the call as export-not-found.
template <typename Fn>
void bind_export(Loaded& c, const std::string& iface, std::string_view name, std::optional<Fn>& out) {
  auto f = c.instance->get_func(*c.store, iface, name);
  if (!f) {
    c.missing += std::string(name) + ": not exported; ";
    return;
  }
  auto typed = Fn::from(*c.store, *f);
  if (!typed) {
    c.missing += std::string(name) + ": " + typed.error().message + "; ";
    return;
  }
  out.emplace(std::move(*typed));
}

// Maps a trap of a guest call to the engine's error; `memory_denied` says the memory limit refused a growth
// during the call.
WasmError trap_error(const Trap& t, bool memory_denied, const Loaded& c) {
  switch (t.code()) {
    case TrapCode::kOutOfFuel:
      return werr(WasmError::Case::kResourceLimitExceeded,
                  "fuel exhausted (max-fuel " +
                      std::to_string(c.config.resource_limits.max_fuel.value_or(0)) + " per call)");
    case TrapCode::kDeadlineExceeded:
      return werr(WasmError::Case::kTimeout);
    case TrapCode::kInterrupted:
      return werr(WasmError::Case::kRuntimeError, "call interrupted");
    default:
      break;
  }
  if (memory_denied)
    return werr(WasmError::Case::kResourceLimitExceeded,
                "memory limit of " + std::to_string(c.config.resource_limits.max_memory_bytes) +
                    " bytes reached (then trap: " + t.message() + ")");
  return werr(WasmError::Case::kRuntimeError, "trap: " + t.message());
}

WasmError unhealthy(const Loaded& c) {
  return werr(WasmError::Case::kRuntimeError, "component " + c.handle.id.to_string() +
                                                  " is unhealthy after `" + c.trap_text + "`; reload it");
}

// The component's per-call budget: max-fuel (or practically unlimited) for this call.
void refill_fuel(Loaded& c) {
  if (c.store->engine().config().consume_fuel)
    (void)c.store->set_fuel(c.config.resource_limits.max_fuel.value_or(~uint64_t{0} >> 2));
}

// A call that failed: the component is unhealthy from now on (it stopped half-way, or trapped).
WasmError mark_failed(Loaded& c, WasmError e) {
  c.trap_text = e.to_string();
  c.trapped.store(true);
  return e;
}

// Runs one guest call with the component's per-call limits, under its call gate (held by the caller).
template <typename Fn, typename... A>
auto guarded_call(Loaded& c, const Fn& fn, const A&... args)
    -> std::expected<std::remove_cvref_t<decltype(fn.call(*c.store, args...).value())>, WasmError> {
  if (c.trapped.load()) return std::unexpected(unhealthy(c));
  const auto& limits = c.config.resource_limits;
  refill_fuel(c);
  CallOptions opts;
  if (limits.max_execution_time_ms != 0)
    opts.timeout = std::chrono::milliseconds(limits.max_execution_time_ms);
  c.begin_run();
  auto r = fn.call(*c.store, opts, args...);
  c.end_run();
  const bool denied = c.limiter->take_denied();
  if (!r) return std::unexpected(mark_failed(c, trap_error(r.error(), denied, c)));
  return std::move(*r);
}

// One asynchronous call of lifecycle export `fn` with `arg`, run sliced on the engine's SliceRunner.
// `done` receives the guest's result or the engine error, exactly as guarded_call would give them.
template <typename Fn, typename Arg>
class CallTask final : public SliceTask, public std::enable_shared_from_this<CallTask<Fn, Arg>> {
 public:
  using Value = std::remove_cvref_t<
      decltype(std::declval<Fn>().call(std::declval<Store&>(), std::declval<const Arg&>()).value())>;
  using Done = std::function<void(std::expected<Value, WasmError>)>;

  CallTask(std::shared_ptr<Loaded> c, const Fn& fn, Arg arg, uint64_t slice_fuel, Done done)
      : c_(std::move(c)), fn_(fn), arg_(std::move(arg)), slice_fuel_(slice_fuel), done_(std::move(done)) {}

  Next run_slice(Clock::time_point* wake, bool stopping) override {
    Loaded& c = *c_;
    stopping = stopping || c.engine->stopping.load();
    if (!call_) {  // the first slice: the gate is ours
      if (stopping) return finish(std::unexpected(werr(WasmError::Case::kRuntimeError, "call interrupted")));
      if (c.unloaded)
        return finish(std::unexpected(werr(WasmError::Case::kComponentNotFound, c.handle.id.to_string())));
      if (c.trapped.load()) return finish(std::unexpected(unhealthy(c)));
      if (!c.store->engine().config().consume_fuel)  // no fuel, no slices: the call runs whole
        return finish(guarded_call(c, fn_, arg_));
      refill_fuel(c);
      const uint64_t ms = c.config.resource_limits.max_execution_time_ms;
      deadline_ = ms ? Clock::now() + std::chrono::milliseconds(ms) : Clock::time_point::max();
      c.begin_run(this->shared_from_this());
      auto started = fn_.start_sliced(*c.store, slice_fuel_, arg_);
      if (!started) return failed(started.error());
      call_.emplace(std::move(*started));
    } else {
      // Checked between slices: a slice is bounded by its fuel, a parked call by its wake time.
      std::optional<WasmError> stop;
      if (stopping || c.interrupt_requested.load())
        stop = werr(WasmError::Case::kRuntimeError, "call interrupted");
      else if (Clock::now() >= deadline_)
        stop = werr(WasmError::Case::kTimeout);
      if (stop) {
        call_->abandon(*c.store);
        c.end_run();
        (void)c.limiter->take_denied();
        return finish(std::unexpected(mark_failed(c, std::move(*stop))));
      }
      auto r = call_->resume(*c.store, slice_fuel_);
      if (!r) return failed(r.error());
    }
    if (!call_->finished()) {
      if (!c.sleep_until) return Next::kAgain;
      *wake = std::min(*c.sleep_until, deadline_);
      c.sleep_until.reset();
      return Next::kPark;
    }
    c.end_run();
    (void)c.limiter->take_denied();
    if constexpr (std::is_void_v<Value>)
      return finish({});
    else
      return finish(call_->take_result());
  }

 private:
  Next failed(const Trap& trap) {
    Loaded& c = *c_;
    c.end_run();
    c.sleep_until.reset();
    const bool denied = c.limiter->take_denied();
    return finish(std::unexpected(mark_failed(c, trap_error(trap, denied, c))));
  }
  Next finish(std::expected<Value, WasmError> result) {
    call_.reset();
    c_->call_gate.unlock();  // the next call may start on another thread while we report
    done_(std::move(result));
    return Next::kDone;
  }

  std::shared_ptr<Loaded> c_;
  Fn fn_;
  Arg arg_;
  uint64_t slice_fuel_;
  Done done_;
  Clock::time_point deadline_{};
  std::optional<component::TypedSlicedCall<Value>> call_;
};

}  // namespace

std::expected<ComponentHandle, WasmError> HostEngine::Impl::load(const ComponentId& id,
                                                                 std::span<const uint8_t> bytes,
                                                                 const ComponentConfig& config,
                                                                 const LoadOptions& load,
                                                                 std::shared_ptr<const Compiled> compiled) {
  if (!compiled) {
    auto comp = compile(bytes);
    if (!comp) return std::unexpected(std::move(comp.error()));
    compiled = std::move(*comp);
  }
  auto c = std::make_shared<Loaded>();
  c->handle = ComponentHandle{id, 0};
  c->context.id = id;
  c->context.storage_namespace = load.storage_namespace.value_or(id.to_string());
  c->load = load;
  c->config = config;
  c->compiled = compiled;
  c->engine = this;
  c->limiter = std::make_unique<MemoryLimiter>(config.resource_limits.max_memory_bytes);
  c->store = std::make_unique<Store>(engine);
  c->store->set_limiter(c->limiter.get());
  c->store->set_data(c.get());
  if (engine.config().consume_fuel)
    (void)c->store->set_fuel(config.resource_limits.max_fuel.value_or(~uint64_t{0} >> 2));

  auto inst = compiled->pre.instantiate(*c->store);
  if (!inst) {
    if (c->limiter->take_denied() || inst.error().kind == ErrorKind::kLimit)
      return std::unexpected(werr(WasmError::Case::kResourceLimitExceeded, inst.error().to_string()));
    return std::unexpected(werr(WasmError::Case::kInstantiationFailed, inst.error().to_string()));
  }
  c->instance = *inst;
  std::string iface;
  for (const auto& n : c->instance->export_names(*c->store))
    if (n.starts_with(kLifecycle) && n.find('#') == std::string::npos) iface = n;
  bind_export(*c, iface, "handle-message", c->handle_message);
  bind_export(*c, iface, "handle-callback", c->handle_callback);
  bind_export(*c, iface, "initialize", c->initialize);
  bind_export(*c, iface, "shutdown", c->shutdown);
  bind_export(*c, iface, "metadata", c->metadata);
  bind_export(*c, iface, "health", c->health);

  {  // the id must be unique: it is what messages are addressed to
    std::shared_lock lock(table_mutex);
    if (by_id.count(id))
      return std::unexpected(werr(WasmError::Case::kInstantiationFailed,
                                  "a component " + id.to_string() + " is already loaded"));
  }
  // The grant and quota are in place before initialize, which may use storage and messaging.
  capabilities->set_grant(id, load.grant.value_or(Grant::default_for(c->context.storage_namespace)));
  storage->set_quota(c->context.storage_namespace,
                     load.storage_quota_bytes.value_or(options.storage_options.default_quota_bytes));
  auto fail = [&](WasmError e) -> std::expected<ComponentHandle, WasmError> {
    capabilities->remove_grant(id);
    return std::unexpected(std::move(e));
  };
  if (c->initialize) {
    std::lock_guard call(c->call_gate);
    auto r = guarded_call(*c, *c->initialize, bindings::to_generated(config));
    if (!r) return fail(std::move(r.error()));
    if (!r->is_ok())
      return fail(werr(WasmError::Case::kInstantiationFailed,
                       "initialize: " + bindings::from_generated(r->error()).to_string()));
  }
  if (c->metadata) {  // kept for host-services get-component-metadata, which must not enter the target
    std::lock_guard call(c->call_gate);
    auto md = guarded_call(*c, *c->metadata);
    if (!md) return fail(std::move(md.error()));
    c->load_metadata = bindings::from_generated(std::move(*md));
  }
  {
    std::unique_lock lock(table_mutex);
    if (by_id.count(id))
      // A concurrent load of the same id won: its grant stays.
      return std::unexpected(werr(WasmError::Case::kInstantiationFailed,
                                  "a component " + id.to_string() + " is already loaded"));
    c->handle.handle_id = next_handle.fetch_add(1);
    by_handle.emplace(c->handle.handle_id, c);
    by_id.emplace(id, c->handle.handle_id);
  }
  if (router) router->component_added(id);
  return c->handle;
}

std::expected<void, WasmError> HostEngine::Impl::unload(const std::shared_ptr<Loaded>& c) {
  {
    std::unique_lock lock(table_mutex);
    if (by_handle.erase(c->handle.handle_id) == 0) return {};  // another unload won
    auto it = by_id.find(c->handle.id);
    if (it != by_id.end() && it->second == c->handle.handle_id) by_id.erase(it);
  }
  // Its mailbox goes (queued requests to it get error callbacks, its own pending requests are forgotten).
  if (router) router->component_removed(c->handle.id);
  // Waits for a call in progress; its caller keeps its result. Then shutdown, unless the instance trapped.
  std::lock_guard call(c->call_gate);
  std::expected<void, WasmError> result;
  if (c->shutdown && !c->trapped.load()) {
    auto r = guarded_call(*c, *c->shutdown);
    if (!r)
      result = std::unexpected(std::move(r.error()));
    else if (!r->is_ok())
      result = std::unexpected(werr(WasmError::Case::kRuntimeError,
                                    "shutdown: " + bindings::from_generated(r->error()).to_string()));
  }
  c->unloaded = true;  // calls that found it before the unload and waited at the gate get not-found
  // The grant goes unless the id was loaded again meanwhile (its new grant stays).
  if (!find(c->handle.id)) capabilities->remove_grant(c->handle.id);
  return result;
}

// ---------------------------------------------------------------- HostEngine

HostEngine::HostEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HostEngine::~HostEngine() {
  if (!impl_) return;
  impl_->stopping.store(true);  // asynchronous calls that have not started fail at once
  {  // guest code still running is stopped, parked calls are woken (their callers get "call interrupted")
    std::shared_lock lock(impl_->table_mutex);
    for (auto& [h, c] : impl_->by_handle) interrupt_running(*impl_, *c);
  }
  if (impl_->router) impl_->router->shutdown();  // no delivery starts any more; running ones complete
  impl_->runner.reset();                         // then the remaining asynchronous calls
  std::vector<std::shared_ptr<Loaded>> all;
  {
    std::shared_lock lock(impl_->table_mutex);
    for (auto& [h, c] : impl_->by_handle) all.push_back(c);
  }
  for (auto& c : all) (void)impl_->unload(c);
}

std::expected<std::unique_ptr<HostEngine>, airwasm::Error> HostEngine::create(EngineOptions options) {
  if (auto supported = Engine::check_compiler_mode(options.compiler); !supported)
    return std::unexpected(std::move(supported.error()));
  auto impl = std::make_unique<Impl>(std::move(options));
  if (impl->options.storage) {
    impl->storage = impl->options.storage;
  } else {
    const std::string path = impl->options.storage_path.empty() ? ":memory:" : impl->options.storage_path;
    auto store = open_sqlite_store(path, impl->options.storage_options);
    if (!store) return std::unexpected(std::move(store.error()));
    impl->storage = std::move(*store);
  }
  if (auto linked = link_host_interfaces(*impl); !linked) return std::unexpected(std::move(linked.error()));
  impl->runner = std::make_unique<SliceRunner>(impl->options.worker_threads);
  auto engine = std::unique_ptr<HostEngine>(new HostEngine(std::move(impl)));
  engine->impl_->router = make_in_process_router(*engine, engine->impl_->options.router);
  return engine;
}

std::expected<ComponentHandle, WasmError> HostEngine::load_component(const ComponentId& id,
                                                                     std::span<const uint8_t> bytes) {
  return impl_->load(id, bytes, impl_->options.default_config, {});
}

std::expected<ComponentHandle, WasmError> HostEngine::load_component(const ComponentId& id,
                                                                     std::span<const uint8_t> bytes,
                                                                     const ComponentConfig& config) {
  return impl_->load(id, bytes, config, {});
}

std::expected<ComponentHandle, WasmError> HostEngine::load_component(const ComponentId& id,
                                                                     std::span<const uint8_t> bytes,
                                                                     const ComponentConfig& config,
                                                                     const LoadOptions& load) {
  return impl_->load(id, bytes, config, load);
}

std::expected<void, WasmError> HostEngine::unload_component(const ComponentHandle& handle) {
  auto c = impl_->find(handle.handle_id);
  if (!c) return {};
  return impl_->unload(c);
}

std::expected<ComponentHandle, WasmError> HostEngine::reload_component(const ComponentHandle& handle) {
  auto c = impl_->find(handle.handle_id);
  if (!c) return std::unexpected(werr(WasmError::Case::kComponentNotFound, handle.id.to_string()));
  (void)impl_->unload(c);  // a failing shutdown does not prevent the reload
  return impl_->load(c->handle.id, c->compiled->bytes, c->config, c->load, c->compiled);
}

namespace {
WasmError not_found(const ComponentHandle& h) {
  return werr(WasmError::Case::kComponentNotFound,
              h.id.to_string() + " (handle " + std::to_string(h.handle_id) + ")");
}
WasmError no_export(const Loaded& c, std::string_view name) {
  // `missing` says why, per export: absent, or a type that differs from the interface's.
  std::string why;
  for (size_t at = c.missing.find(std::string(name) + ": "); at != std::string::npos;) {
    const size_t end = c.missing.find("; ", at);
    why = " (" + c.missing.substr(at + name.size() + 2, end - at - name.size() - 2) + ")";
    break;
  }
  return werr(WasmError::Case::kExportNotFound, std::string(kLifecycle) + "@1.0.0#" + std::string(name) +
                                                    " of " + c.handle.id.to_string() + why);
}
}  // namespace

std::expected<GuestResult<std::optional<MessagePayload>>, WasmError> HostEngine::call_handle_message_ex(
    const ComponentHandle& handle, const ComponentMessage& msg) {
  auto c = impl_->find(handle.handle_id);
  if (!c) return std::unexpected(not_found(handle));
  if (!c->handle_message) return std::unexpected(no_export(*c, "handle-message"));
  const auto message = bindings::to_generated(msg);  // copied before the gate: not on the component's time
  std::lock_guard call(c->call_gate);
  if (c->unloaded) return std::unexpected(not_found(handle));
  auto r = guarded_call(*c, *c->handle_message, message);
  if (!r) return std::unexpected(std::move(r.error()));
  if (!r->is_ok())
    return GuestResult<std::optional<MessagePayload>>(std::unexpected(bindings::from_generated(r->error())));
  return GuestResult<std::optional<MessagePayload>>(std::move(r->value()));
}

std::expected<GuestResult<void>, WasmError> HostEngine::call_handle_callback_ex(const ComponentHandle& handle,
                                                                                const ComponentMessage& msg) {
  auto c = impl_->find(handle.handle_id);
  if (!c) return std::unexpected(not_found(handle));
  if (!c->handle_callback) return std::unexpected(no_export(*c, "handle-callback"));
  const auto message = bindings::to_generated(msg);  // copied before the gate: not on the component's time
  std::lock_guard call(c->call_gate);
  if (c->unloaded) return std::unexpected(not_found(handle));
  auto r = guarded_call(*c, *c->handle_callback, message);
  if (!r) return std::unexpected(std::move(r.error()));
  if (!r->is_ok()) return GuestResult<void>(std::unexpected(bindings::from_generated(r->error())));
  return GuestResult<void>();
}

std::expected<ComponentMetadata, WasmError> HostEngine::metadata(const ComponentHandle& handle) {
  auto c = impl_->find(handle.handle_id);
  if (!c) return std::unexpected(not_found(handle));
  if (!c->metadata) return std::unexpected(no_export(*c, "metadata"));
  std::lock_guard call(c->call_gate);
  if (c->unloaded) return std::unexpected(not_found(handle));
  auto md = guarded_call(*c, *c->metadata);
  if (!md) return std::unexpected(std::move(md.error()));
  return bindings::from_generated(std::move(*md));
}

std::expected<HealthStatus, WasmError> HostEngine::health(const ComponentHandle& handle) {
  auto c = impl_->find(handle.handle_id);
  if (!c) return std::unexpected(not_found(handle));
  if (c->trapped.load()) return HealthStatus::kUnhealthy;
  if (!c->health) return std::unexpected(no_export(*c, "health"));
  std::lock_guard call(c->call_gate);
  if (c->unloaded) return std::unexpected(not_found(handle));
  if (c->trapped.load()) return HealthStatus::kUnhealthy;
  auto h = guarded_call(*c, *c->health);
  if (!h) return std::unexpected(std::move(h.error()));
  return bindings::from_generated(*h);
}

namespace {

using MessageOutcome = std::expected<std::optional<MessagePayload>, WasmError>;
using CallbackOutcome = std::expected<void, WasmError>;

// Runs lifecycle export `fn` with `msg` as an asynchronous call: at once if the component is idle, else when
// the calls before it at the component's gate are done. `done` gets the outcome, with the guest's own
// err(...) folded into the error as call_handle_message / call_handle_callback do.
template <typename Fn, typename Done>
void submit_call(HostEngine::Impl& impl, const std::shared_ptr<Loaded>& c, const Fn& fn, ComponentMessage msg,
                 Done done) {
  using Task = CallTask<Fn, bindings::lifecycle::ComponentMessage>;
  auto task =
      std::make_shared<Task>(c, fn, bindings::to_generated(std::move(msg)), impl.options.async_slice_fuel,
                             [done = std::move(done)](std::expected<typename Task::Value, WasmError> r) {
                               if (!r) return done(std::unexpected(std::move(r.error())));
                               if (!r->is_ok())
                                 return done(std::unexpected(bindings::from_generated(r->error())));
                               if constexpr (std::is_same_v<Fn, HandleMessageFn>)
                                 done(MessageOutcome(std::move(r->value())));
                               else
                                 done(CallbackOutcome());
                             });
  impl.runner->admit();
  if (c->call_gate.enter_or_queue(task, *impl.runner)) impl.runner->post(std::move(task));
}

void submit_message(HostEngine::Impl& impl, const std::shared_ptr<Loaded>& c, const ComponentHandle& handle,
                    ComponentMessage msg, std::function<void(MessageOutcome)> done) {
  if (!c) return done(std::unexpected(not_found(handle)));
  if (!c->handle_message) return done(std::unexpected(no_export(*c, "handle-message")));
  submit_call(impl, c, *c->handle_message, std::move(msg), std::move(done));
}

void submit_callback(HostEngine::Impl& impl, const std::shared_ptr<Loaded>& c, const ComponentHandle& handle,
                     ComponentMessage msg, std::function<void(CallbackOutcome)> done) {
  if (!c) return done(std::unexpected(not_found(handle)));
  if (!c->handle_callback) return done(std::unexpected(no_export(*c, "handle-callback")));
  submit_call(impl, c, *c->handle_callback, std::move(msg), std::move(done));
}

}  // namespace

std::future<MessageOutcome> HostEngine::call_handle_message_async(const ComponentHandle& handle,
                                                                  ComponentMessage msg) {
  auto promise = std::make_shared<std::promise<MessageOutcome>>();
  auto future = promise->get_future();
  submit_message(*impl_, impl_->find(handle.handle_id), handle, std::move(msg),
                 [promise](MessageOutcome r) { promise->set_value(std::move(r)); });
  return future;
}

std::future<CallbackOutcome> HostEngine::call_handle_callback_async(const ComponentHandle& handle,
                                                                    ComponentMessage msg) {
  auto promise = std::make_shared<std::promise<CallbackOutcome>>();
  auto future = promise->get_future();
  submit_callback(*impl_, impl_->find(handle.handle_id), handle, std::move(msg),
                  [promise](CallbackOutcome r) { promise->set_value(std::move(r)); });
  return future;
}

void HostEngine::deliver_message_async(const ComponentId& target, ComponentMessage msg, MessageDone done) {
  auto c = impl_->find(target);
  if (!c) return done(std::unexpected(werr(WasmError::Case::kComponentNotFound, target.to_string())));
  submit_message(*impl_, c, c->handle, std::move(msg), std::move(done));
}

void HostEngine::deliver_callback_async(const ComponentId& target, ComponentMessage msg, CallbackDone done) {
  auto c = impl_->find(target);
  if (!c) return done(std::unexpected(werr(WasmError::Case::kComponentNotFound, target.to_string())));
  submit_callback(*impl_, c, c->handle, std::move(msg), std::move(done));
}

std::expected<void, WasmError> HostEngine::interrupt(const ComponentHandle& handle) {
  auto c = impl_->find(handle.handle_id);
  if (!c) return std::unexpected(not_found(handle));
  interrupt_running(*impl_, *c);
  return {};
}

bool HostEngine::has_component(const ComponentId& id) {
  return impl_->find(id) != nullptr;
}

std::optional<ComponentHandle> HostEngine::find(const ComponentId& id) {
  auto c = impl_->find(id);
  if (!c) return std::nullopt;
  return c->handle;
}

std::vector<ComponentId> HostEngine::list_components() {
  std::shared_lock lock(impl_->table_mutex);
  std::vector<ComponentId> ids;
  for (const auto& [id, h] : impl_->by_id) ids.push_back(id);
  return ids;
}

std::expected<std::optional<MessagePayload>, WasmError> HostEngine::deliver_message(
    const ComponentId& target, const ComponentMessage& msg) {
  auto h = find(target);
  if (!h) return std::unexpected(werr(WasmError::Case::kComponentNotFound, target.to_string()));
  return call_handle_message(*h, msg);
}

std::expected<void, WasmError> HostEngine::deliver_callback(const ComponentId& target,
                                                            const ComponentMessage& msg) {
  auto h = find(target);
  if (!h) return std::unexpected(werr(WasmError::Case::kComponentNotFound, target.to_string()));
  return call_handle_callback(*h, msg);
}

MessageRouter& HostEngine::router() {
  return *impl_->router;
}
KeyValueStore& HostEngine::storage() {
  return *impl_->storage;
}
CapabilityRegistry& HostEngine::capabilities() {
  return *impl_->capabilities;
}

EngineStats HostEngine::stats() {
  EngineStats s;
  s.compilations = impl_->compilations.load();
  s.cache_hits = impl_->cache_hits.load();
  std::shared_lock lock(impl_->table_mutex);
  s.loaded = impl_->by_handle.size();
  return s;
}

std::expected<Module::CompileInfo, WasmError> HostEngine::compile_info(const ComponentHandle& handle) {
  auto c = impl_->find(handle.handle_id);
  if (!c) return std::unexpected(not_found(handle));
  return c->compiled->component.compile_info();
}

// ---------------------------------------------------------------- accessors for the host interfaces

TrapResult<void> host_sleep_millis(Store& store, uint64_t ms) {
  const uint64_t capped = std::min<uint64_t>(ms, uint64_t{24} * 3600 * 1000);
  // In an asynchronous (sliced) call the guest suspends when sleep-millis returns and its task parks
  // until the wake time (CallTask::run_slice): no thread waits for it.
  auto* c = static_cast<Loaded*>(store.data());
  if (c && store.request_yield()) {
    c->sleep_until = SliceTask::Clock::now() + std::chrono::milliseconds(capped);
    return {};
  }
  // Elsewhere the calling thread waits, in the runtime's interruptible wait, so the call's deadline and
  // interrupt() stop a sleeping guest as they stop a spinning one (the same trap).
  auto r = airwasm::internal::wait_interruptible(store, {}, capped * 1'000'000);
  if (!r) return std::unexpected(std::move(r.error()));
  return {};
}

const HostContext* current_context(Store& store) {
  auto* c = static_cast<Loaded*>(store.data());
  return c ? &c->context : nullptr;
}
HostEngine::Impl* current_engine(Store& store) {
  auto* c = static_cast<Loaded*>(store.data());
  return c ? c->engine : nullptr;
}
Linker& engine_linker(HostEngine::Impl& impl) {
  return impl.linker;
}
const EngineOptions& engine_options(HostEngine::Impl& impl) {
  return impl.options;
}
LogSink& engine_log(HostEngine::Impl& impl) {
  return *impl.log;
}
KeyValueStore& engine_storage(HostEngine::Impl& impl) {
  return *impl.storage;
}
CapabilityRegistry& engine_capabilities(HostEngine::Impl& impl) {
  return *impl.capabilities;
}
MessageRouter* engine_router(HostEngine::Impl& impl) {
  return impl.router.get();
}
std::vector<ComponentId> engine_list_components(HostEngine::Impl& impl) {
  std::shared_lock lock(impl.table_mutex);
  std::vector<ComponentId> ids;
  for (const auto& [id, h] : impl.by_id) ids.push_back(id);
  return ids;
}
std::optional<ComponentInfo> engine_component_info(HostEngine::Impl& impl, const ComponentId& id) {
  auto c = impl.find(id);
  if (!c) return std::nullopt;
  ComponentInfo info{c->handle.id, c->load_metadata.name, c->load_metadata.version,
                     c->trapped.load() ? "unhealthy" : "healthy"};
  return info;
}

}  // namespace airwasm::host
