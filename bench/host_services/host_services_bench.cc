// Throughput of the plugin host's services on their own (no WebAssembly): what storage and messaging
// cost before any guest code runs. Storage: set/get of a 64-byte value in ":memory:" and in a WAL file
// with synchronous=FULL (one fsync per write: the price of durability). Router: 64-byte messages from
// send() to a no-op endpoint's deliver_message, and request -> answer -> callback round trips.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>

#include "airwasm/host/messaging.hh"
#include "airwasm/host/storage.hh"

namespace airwasm::host {
namespace {

const StorageValue kValue(64, 0x5a);

std::string temp_db() {
  return (std::filesystem::temp_directory_path() / ("airwasm-bench-" + std::to_string(getpid()) + ".db"))
      .string();
}

void remove_db(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

void BM_StorageSet(benchmark::State& state) {
  bool file = state.range(0) == 1;
  std::string path = file ? temp_db() : ":memory:";
  {
    auto store = open_sqlite_store(path, StorageOptions{.default_quota_bytes = uint64_t{1} << 40});
    if (!store) {
      state.SkipWithError(store.error().message.c_str());
      return;
    }
    uint64_t i = 0;
    for (auto _ : state) {
      auto ok = (*store)->set("bench/ns/1", "key" + std::to_string(i++ % 1000), kValue);
      if (!ok) state.SkipWithError("set failed");
    }
    state.SetItemsProcessed(state.iterations());
  }
  if (file) remove_db(path);
}
BENCHMARK(BM_StorageSet)->Arg(0)->Arg(1)->ArgNames({"file"})->UseRealTime();

void BM_StorageGet(benchmark::State& state) {
  bool file = state.range(0) == 1;
  std::string path = file ? temp_db() : ":memory:";
  {
    auto store = open_sqlite_store(path);
    if (!store) {
      state.SkipWithError(store.error().message.c_str());
      return;
    }
    for (int i = 0; i < 1000; ++i) (void)(*store)->set("bench/ns/1", "key" + std::to_string(i), kValue);
    uint64_t i = 0;
    for (auto _ : state) {
      auto value = (*store)->get("bench/ns/1", "key" + std::to_string(i++ % 1000));
      benchmark::DoNotOptimize(value);
    }
    state.SetItemsProcessed(state.iterations());
  }
  if (file) remove_db(path);
}
BENCHMARK(BM_StorageGet)->Arg(0)->Arg(1)->ArgNames({"file"})->UseRealTime();

// Counts deliveries; answers every message with its payload.
class CountingEndpoint : public MessageEndpoint {
 public:
  bool has_component(const ComponentId&) override { return true; }
  std::expected<std::optional<MessagePayload>, WasmError> deliver_message(
      const ComponentId&, const ComponentMessage& message) override {
    bump();
    return std::optional<MessagePayload>(message.payload);
  }
  std::expected<void, WasmError> deliver_callback(const ComponentId&, const ComponentMessage&) override {
    bump();
    return {};
  }
  void wait_for(uint64_t count) {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return delivered_ >= count; });
  }

 private:
  void bump() {
    std::lock_guard lock(mutex_);
    ++delivered_;
    done_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable done_;
  uint64_t delivered_ = 0;
};

const ComponentId kSender{"bench", "sender", "1"};

// Messages sent round-robin to `targets` components, in batches that fit the mailboxes; the time covers
// delivery of every message.
void BM_RouterSend(benchmark::State& state) {
  size_t workers = size_t(state.range(0));
  size_t targets = size_t(state.range(1));
  CountingEndpoint endpoint;
  auto router =
      make_in_process_router(endpoint, RouterOptions{.mailbox_capacity = 4096, .worker_threads = workers});
  std::vector<ComponentId> ids;
  for (size_t t = 0; t < targets; ++t) ids.push_back({"bench", "target", std::to_string(t)});
  for (const auto& id : ids) router->component_added(id);
  MessagePayload payload(64, 0x5a);
  constexpr uint64_t kBatch = 1024;
  uint64_t sent = 0;
  for (auto _ : state) {
    for (uint64_t i = 0; i < kBatch; ++i) {
      if (!router->send(kSender, ids[i % targets], payload)) state.SkipWithError("send failed");
    }
    sent += kBatch;
    endpoint.wait_for(sent);
  }
  state.SetItemsProcessed(int64_t(sent));
}
BENCHMARK(BM_RouterSend)
    ->Args({1, 1})
    ->Args({2, 1})
    ->Args({2, 4})
    ->ArgNames({"workers", "targets"})
    ->UseRealTime();

// One request at a time: request -> target's handle-message -> requester's handle-callback.
void BM_RouterRequestRoundTrip(benchmark::State& state) {
  CountingEndpoint endpoint;
  auto router = make_in_process_router(endpoint, RouterOptions{.worker_threads = 2});
  const ComponentId target{"bench", "target", "1"};
  router->component_added(kSender);
  router->component_added(target);
  MessagePayload payload(64, 0x5a);
  uint64_t delivered = 0;
  for (auto _ : state) {
    if (!router->request(kSender, target, payload, 5000)) state.SkipWithError("request failed");
    delivered += 2;
    endpoint.wait_for(delivered);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouterRequestRoundTrip)->UseRealTime();

}  // namespace
}  // namespace airwasm::host

BENCHMARK_MAIN();
