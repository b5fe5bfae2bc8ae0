// component: AIRWASM_SET(lhs, expr): like AIRWASM_TRY_ASSIGN for an existing lvalue, but scoped in a
// block so it may appear directly under a case label.
#pragma once

#include "base/result.hh"

#define AIRWASM_SET(lhs, expr)                                     \
  do {                                                             \
    auto airwasm_set_tmp_ = (expr);                                \
    if (!airwasm_set_tmp_) [[unlikely]]                            \
      return std::unexpected(std::move(airwasm_set_tmp_).error()); \
    lhs = std::move(*airwasm_set_tmp_);                            \
  } while (0)
