// wast: the `spectest` host module every spec script may import (the spec interpreter's host/spectest.ml):
// print functions that do nothing, immutable globals global_{i32,i64,f32,f64} = 666 / 666.6,
// table = (table 10 20 funcref), memory = (memory 1 2). The table, memory and globals are Store-bound, so
// they are made fresh for each script's Store.
#pragma once

#include "airwasm/error.hh"

namespace airwasm {
class Linker;
class Store;
}  // namespace airwasm

namespace airwasm::wast {

inline constexpr char kSpectestModule[] = "spectest";

// Defines every spectest item in `linker`, creating the Store-bound ones in `store`.
Result<void> define_spectest(Store& store, Linker& linker);

}  // namespace airwasm::wast
