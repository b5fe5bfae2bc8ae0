// airwasm public API: errors as values.
// Every fallible operation returns Result<T> (std::expected<T, Error>). No C++ exception crosses the API.
// Error messages use the wording of the WebAssembly spec tests so that they can be compared directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <string>
#include <utility>

namespace airwasm {

enum class ErrorKind : uint8_t {
  kMalformed,       // the binary does not follow the binary format ("assert_malformed")
  kInvalid,         // the module does not validate ("assert_invalid")
  kUnlinkable,      // an import could not be resolved or has the wrong type ("assert_unlinkable")
  kUninstantiable,  // instantiation trapped or exceeded a limit ("assert_uninstantiable")
  kLimit,           // a resource limit of the Store or Engine was hit
  kUsage,           // the embedder misused the API (wrong store, wrong arity, ...)
  kIo,              // reading a file or similar failed
  kUnsupported,     // a feature that airwasm does not implement (yet)
};

const char* error_kind_name(ErrorKind kind);

struct Error {
  static constexpr size_t kNoOffset = ~size_t{0};

  ErrorKind kind = ErrorKind::kInvalid;
  size_t offset = kNoOffset;  // byte offset into the binary, when the error has one
  std::string message;        // the spec's wording first, optional detail after it

  Error() = default;
  Error(ErrorKind k, std::string msg, size_t off = kNoOffset)
      : kind(k), offset(off), message(std::move(msg)) {}

  // "malformed at 0x1a: unexpected end" style rendering for humans.
  std::string to_string() const;
};

template <typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> make_error(ErrorKind kind, std::string message,
                                         size_t offset = Error::kNoOffset) {
  return std::unexpected<Error>(Error(kind, std::move(message), offset));
}

}  // namespace airwasm
