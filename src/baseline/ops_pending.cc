// baseline: placeholders for the op families still being written (each moves to its own file,
// ops_memory.cc; delete its placeholder here when it lands). A placeholder translates nothing, so every
// function using such an op stays interpreted.
#include "baseline/emitter.hh"

namespace airwasm::baseline {

using interp::IOp;

Result<uint32_t> emit_memory_op(OpEmitter&, IOp) {
  return 0u;
}

}  // namespace airwasm::baseline
