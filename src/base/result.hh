// base: the Result/Error vocabulary used by every stage, plus propagation helpers.
// Errors stop at the first failure; callers propagate with AIRWASM_TRY.
#pragma once

#include "airwasm/error.hh"

namespace airwasm::base {

inline std::unexpected<Error> malformed(std::string message, size_t offset) {
  return make_error(ErrorKind::kMalformed, std::move(message), offset);
}
inline std::unexpected<Error> invalid(std::string message, size_t offset = Error::kNoOffset) {
  return make_error(ErrorKind::kInvalid, std::move(message), offset);
}

}  // namespace airwasm::base

#define AIRWASM_CONCAT_INNER(a, b) a##b
#define AIRWASM_CONCAT(a, b) AIRWASM_CONCAT_INNER(a, b)

// AIRWASM_TRY(expr): evaluate a Result<void>-like expression, return its error on failure.
#define AIRWASM_TRY(expr)                                             \
  do {                                                                \
    auto&& airwasm_try_result_ = (expr);                              \
    if (!airwasm_try_result_) [[unlikely]]                            \
      return std::unexpected(std::move(airwasm_try_result_).error()); \
  } while (0)

// AIRWASM_TRY_ASSIGN(lhs, expr): evaluate a Result<T>, assign its value to lhs or return its error.
#define AIRWASM_TRY_ASSIGN(lhs, expr) \
  AIRWASM_TRY_ASSIGN_IMPL(AIRWASM_CONCAT(airwasm_tmp_, __LINE__), lhs, expr)
#define AIRWASM_TRY_ASSIGN_IMPL(tmp, lhs, expr)     \
  auto tmp = (expr);                                \
  if (!tmp) [[unlikely]]                            \
    return std::unexpected(std::move(tmp).error()); \
  lhs = std::move(*tmp)
