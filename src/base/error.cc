// base: rendering of Error values for humans (the CLI, logs).
#include <cstdio>

#include "airwasm/error.hh"

namespace airwasm {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kMalformed:
      return "malformed";
    case ErrorKind::kInvalid:
      return "invalid";
    case ErrorKind::kUnlinkable:
      return "unlinkable";
    case ErrorKind::kUninstantiable:
      return "uninstantiable";
    case ErrorKind::kLimit:
      return "limit exceeded";
    case ErrorKind::kUsage:
      return "usage error";
    case ErrorKind::kIo:
      return "i/o error";
    case ErrorKind::kUnsupported:
      return "unsupported";
  }
  return "error";
}

std::string Error::to_string() const {
  std::string out = error_kind_name(kind);
  if (offset != kNoOffset) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " at 0x%zx", offset);
    out += buf;
  }
  out += ": ";
  out += message;
  return out;
}

}  // namespace airwasm
