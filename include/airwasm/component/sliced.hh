// airwasm public API (components): component calls run in fuel slices. A sliced component call does what
// Func::call / TypedFunc::call do (enter, lower the arguments, run, lift the results, post-return), but its
// core part runs as a core sliced call (airwasm/sliced.hh): it stops after each slice of fuel with its
// frames kept in the Store, and resumes later, on the same or another thread (one thread at a time). A host
// function may ask it to suspend when that host function returns (Store::request_yield), which is how a
// host parks a guest that sleeps or waits without holding a thread.
//
//   auto call = SlicedCall::start(store, func, args, 10'000);          // Val form
//   while (call && !call->finished()) (void)call->resume(store, 10'000);  // stop at the first trap
//   auto typed = add.start_sliced(store, 10'000, 1u, 2u);              // typed form (typed.hh)
//   ... typed->resume(store, 10'000) ... uint32_t sum = typed->take_result();
//
// Lowering the arguments (at start) and lifting the results with post-return (in the slice that finishes)
// run unsliced, as host work. The per-call deadline of CallOptions does not apply: the embedder checks its
// deadline between slices (a slice is bounded by its fuel). A call must finish, trap or be abandoned before
// its Store is used for another call, and must not outlive its Store. Requires EngineConfig::consume_fuel.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "airwasm/component/val.hh"
#include "airwasm/sliced.hh"
#include "airwasm/trap.hh"

namespace airwasm::component {

class Func;

namespace abi {
struct Marshal;
// The runtime's state of one sliced call of a lifted function (opaque; component_runtime/sliced.cc).
class SlicedLifted;
struct SlicedLiftedDeleter {
  void operator()(SlicedLifted* s) const;
};
using SlicedLiftedPtr = std::unique_ptr<SlicedLifted, SlicedLiftedDeleter>;
// Enters `func`, lowers with m.lower and runs the first slice; m.lift runs when the call finishes, so
// m.self must stay valid (and not move) until then. The status is in *status.
TrapResult<SlicedLiftedPtr> start_sliced(Store& store, const Func& func, const Marshal& m,
                                         uint64_t slice_fuel, CallStatus* status);
TrapResult<CallStatus> resume_sliced(Store& store, SlicedLifted& call, uint64_t slice_fuel);
void abandon_sliced(Store& store, SlicedLifted& call);
}  // namespace abi

// A sliced call with dynamic values.
class SlicedCall {
 public:
  // Starts func(args) and runs its first slice of at most `slice_fuel` (bounded by the Store's fuel).
  static TrapResult<SlicedCall> start(Store& store, const Func& func, std::span<const Val> args,
                                      uint64_t slice_fuel);
  // Runs the next slice. A trap ends the call (the instance stays poisoned, as after any trap).
  TrapResult<CallStatus> resume(Store& store, uint64_t slice_fuel);
  CallStatus status() const { return status_; }
  bool finished() const { return status_ == CallStatus::kFinished; }
  // The results, once finished.
  std::vector<Val> take_results();
  // Drops a suspended call: its frames are discarded and the entered instances stay poisoned (the guest
  // stopped half-way), as after a trap. The Store can run other calls again.
  void abandon(Store& store);

  SlicedCall(SlicedCall&&) noexcept;
  SlicedCall& operator=(SlicedCall&&) noexcept;
  ~SlicedCall();  // abandons a call still suspended

 private:
  struct Results;
  SlicedCall(std::unique_ptr<Results> results, abi::SlicedLiftedPtr call, CallStatus status);
  std::unique_ptr<Results> results_;  // heap: the call's lift writes into it
  abi::SlicedLiftedPtr call_;
  CallStatus status_ = CallStatus::kFinished;
};

}  // namespace airwasm::component
