// interp: selects the fast path of the SIMD lane operations for the host: SSE2 code on x86-64
// (simd_x86.hh), the scalar reference elsewhere. The dispatch loop and the tests use simd::fast only.
#pragma once

#if defined(__x86_64__) && defined(__SSE2__)
#include "interp/simd_x86.hh"
#else
#include "interp/simd_ref.hh"
namespace airwasm::interp::simd {
namespace fast = ref;
}  // namespace airwasm::interp::simd
#endif
