// wasi/p2: the descriptor object, shared by wasi:filesystem/types and wasi:filesystem/preopens.
#pragma once

#include "wasi/p2/state.hh"

namespace airwasm::wasi::p2::internal {

struct DescriptorObj : Object {
  static constexpr Kind kKind = Kind::kDescriptor;
  DescriptorObj() : Object(kKind) {}
  SharedFd fd;
  bool is_dir = false;
  bool readable = false, writable = false;
  bool file_sync = false, data_sync = false, read_sync = false;  // the *-sync flags it was opened with
  bool mutate_dir = false;  // may create, remove and rename entries beneath it
};

}  // namespace airwasm::wasi::p2::internal
