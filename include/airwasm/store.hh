// airwasm public API: Store, the unit of isolation. It owns everything instantiated in it (instances,
// memories, tables, globals, host functions), its fuel, its resource limits and its host data.
// A Store is used by one thread at a time; an InterruptHandle may be used from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "airwasm/engine.hh"
#include "airwasm/error.hh"

namespace airwasm {

namespace internal {
struct StoreImpl;
struct InterruptState;
}  // namespace internal

// Static limits on what guests of one Store may allocate. Exceeding one makes memory.grow / table.grow
// return -1, or instantiation fail with a kLimit error; the host never runs out of memory because of a guest.
struct StoreLimits {
  uint64_t max_memory_bytes = ~uint64_t{0};  // total bytes of all linear memories of the Store
  // Total bytes of all tables of the Store (8 bytes per element). Unlike linear memory, whose pages cost
  // nothing until touched, table elements are initialised when created, so this is bounded by default:
  // 64 MiB, 8 million elements (a C or Rust program's function table has a few thousand).
  uint64_t max_table_bytes = uint64_t{64} << 20;
  uint64_t max_table_elements = 10'000'000;  // per table
  uint32_t max_instances = 10'000;
  uint32_t max_memories = 10'000;
  uint32_t max_tables = 10'000;
};

// Custom policy on top of StoreLimits (like wasmtime's ResourceLimiter). Return false to deny a growth;
// the guest then sees -1 from memory.grow / table.grow, or instantiation fails.
class ResourceLimiter {
 public:
  virtual ~ResourceLimiter() = default;
  // `current` and `desired` are in bytes; `maximum` is the memory's declared maximum in bytes, if any.
  virtual bool memory_growing(uint64_t current, uint64_t desired, std::optional<uint64_t> maximum) = 0;
  // In elements (each takes 8 bytes of host memory, counted against StoreLimits::max_table_bytes); called
  // with current = 0 when a table is created.
  virtual bool table_growing(uint64_t current, uint64_t desired, std::optional<uint64_t> maximum) = 0;
};

// Thread-safe handle that stops the WebAssembly code running in a Store. The running call traps with
// "interrupted" within a bounded number of instructions (checks sit on backward branches and calls).
// A request made while nothing runs applies to the next call; a trap consumes it.
class InterruptHandle {
 public:
  void interrupt() const;
  // Withdraws a request that no call has observed yet (a deadline's expiry is not withdrawn). An embedder
  // that interrupts "the call now running" clears at the start and end of each call, under the lock it
  // takes to interrupt, so that a request racing with the end of one call cannot stop the next.
  void clear() const;
  explicit InterruptHandle(std::shared_ptr<internal::InterruptState> state) : state_(std::move(state)) {}

 private:
  std::shared_ptr<internal::InterruptState> state_;
};

class Store {
 public:
  explicit Store(const Engine& engine);
  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const Engine& engine() const;
  uint64_t id() const;

  // ---- fuel (requires EngineConfig::consume_fuel) ----
  Result<void> set_fuel(uint64_t fuel);  // remaining fuel := fuel
  Result<void> add_fuel(uint64_t fuel);  // remaining fuel += fuel (saturating)
  Result<uint64_t> fuel_remaining() const;
  Result<uint64_t> fuel_consumed() const;  // total charged since the Store was created

  // ---- limits ----
  void set_limits(const StoreLimits& limits);
  const StoreLimits& limits() const;
  // Not owned; must outlive the Store or be reset with nullptr.
  void set_limiter(ResourceLimiter* limiter);

  // ---- interruption ----
  InterruptHandle interrupt_handle() const;

  // ---- suspension from host functions ----
  // Called by a host function: asks the sliced call in progress (airwasm/sliced.hh,
  // airwasm/component/sliced.hh) to suspend as soon as this host function returns, so that the host can
  // park the call (a sleep, a wait for a message) without holding a thread. Returns false, and changes
  // nothing, when the call cannot suspend there (it is not sliced, or the host function runs inside a call
  // that a host function made): the host function must then wait by itself.
  bool request_yield();
  // Called by a host function that would block (waiting for a descriptor or a time): asks the sliced call
  // in progress to suspend *before* this host call, which runs again from the start when the call resumes.
  // Returns true when granted: the host function must then return at once with any trap (it is discarded),
  // having changed nothing it would do again (or having kept what it did under host_call_id(), below, to
  // skip it when it runs again); `blocked_on()` then tells the embedder what to wait for before
  // resuming (resuming earlier is harmless: the host function finds nothing ready and asks again). Returns
  // false, changing nothing, where the call cannot suspend (as request_yield): the host function waits.
  struct BlockedOn {
    struct Fd {
      int fd;
      short events;  // POLLIN / POLLOUT
    };
    std::vector<Fd> fds;               // ready when any of these is
    std::optional<uint64_t> until_ns;  // or at this std::chrono::steady_clock time (ns since its epoch)
  };
  bool suspend_and_retry(BlockedOn what);
  // Called by a host function: a number for the host call in progress (the outermost one, if host
  // functions are nested), new for every call except the run again of a call that suspended with
  // suspend_and_retry, which keeps its number. So a host function that did part of its work before it
  // suspended (wrote some of its bytes) keeps its progress under this number, and finds it again when, and
  // only when, the same call runs again; a call abandoned meanwhile leaves a number nobody gets again.
  // 0 outside host functions.
  uint64_t host_call_id() const;
  // What the suspended sliced call waits for, if it suspended in suspend_and_retry; null otherwise (a
  // call suspended by fuel or a yield can resume at once).
  const BlockedOn* blocked_on() const;

  // ---- host data (one opaque pointer for the embedder; not owned) ----
  void set_data(void* data);
  void* data() const;

  internal::StoreImpl& impl() const { return *impl_; }

 private:
  std::unique_ptr<internal::StoreImpl> impl_;
};

}  // namespace airwasm
