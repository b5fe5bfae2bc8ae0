// airwasm public API: sliced (suspendable) calls. A sliced call runs for a fuel slice at a time and is
// then suspended with its frames kept in the Store (no fiber, no native stack); it can be resumed later,
// on the same or another thread (one thread at a time). A host function may also ask to yield
// (Caller::request_yield), which suspends the call when that host function returns.
//
// Limits: only the outermost activation can suspend. While a host function has re-entered WebAssembly,
// the nested call runs on the host's native stack: if the slice runs out there, the nested call keeps
// running on the Store's remaining fuel and the outer call suspends as soon as the host function returns.
// Requires EngineConfig::consume_fuel. A Store has at most one sliced call in progress.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "airwasm/extern.hh"

namespace airwasm {

enum class CallStatus : uint8_t { kFinished, kSuspended };

class SlicedCall {
 public:
  // Starts `func` and runs its first slice of at most `slice_fuel` units (bounded by the Store's fuel).
  static TrapResult<SlicedCall> start(Store& store, const Func& func, std::span<const Val> args,
                                      uint64_t slice_fuel);
  // Runs the next slice. A trap ends the call.
  TrapResult<CallStatus> resume(Store& store, uint64_t slice_fuel);
  CallStatus status() const { return status_; }
  bool finished() const { return status_ == CallStatus::kFinished; }
  // The results, once finished.
  const std::vector<Val>& results() const { return results_; }
  // Drops a suspended call (its frames are discarded); the Store can run other calls again.
  void abandon(Store& store);

 private:
  SlicedCall(uint64_t store_id, uint64_t generation) : store_id_(store_id), generation_(generation) {}
  TrapResult<CallStatus> check(const Store& store) const;
  uint64_t store_id_;
  uint64_t generation_;
  CallStatus status_ = CallStatus::kSuspended;
  std::vector<Val> results_;
};

}  // namespace airwasm
