// airwasm public API: Module, a decoded, validated and lowered core WebAssembly module.
// Immutable once compiled and cheap to copy (shared); instantiate it any number of times in any Store.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "airwasm/engine.hh"
#include "airwasm/error.hh"
#include "airwasm/types.hh"

namespace airwasm {

namespace internal {
struct ModuleImpl;
}

class Module {
 public:
  // Decodes, validates and lowers `binary`. Errors are kMalformed or kInvalid with the spec's wording.
  static Result<Module> compile(const Engine& engine, std::span<const uint8_t> binary);
  // Decodes and validates only.
  static Result<void> validate(const Engine& engine, std::span<const uint8_t> binary);

  std::vector<ImportType> imports() const;
  std::vector<ExportType> exports() const;
  // The module name from the name section, or empty.
  std::string name() const;

  // What the baseline compiler made of the module (EngineConfig::compiler), at the time of the query: how
  // many of its functions have compiled code and how many run in the interpreter, the size of the machine
  // code, and why the first function the compiler refused was not compiled. kBaseline compiles every
  // function it can when the module is compiled (it leaves a function it cannot translate to the
  // interpreter); kInterpreter none; kAuto starts with none and compiles each function once it is hot
  // (about 200 calls or 2,000 loop iterations in the interpreter), so its counts grow as the module
  // runs, in every Store that shares it (hot_compiled_functions counts those).
  struct CompileInfo {
    uint32_t compiled_functions = 0;
    uint32_t interpreted_functions = 0;   // not compiled: refused, or (kAuto) not hot yet
    uint32_t hot_compiled_functions = 0;  // of compiled_functions, those compiled lazily (kAuto)
    size_t code_bytes = 0;
    std::string first_refusal;
  };
  CompileInfo compile_info() const;

  const internal::ModuleImpl& impl() const { return *impl_; }
  const std::shared_ptr<const internal::ModuleImpl>& shared_impl() const { return impl_; }
  explicit Module(std::shared_ptr<const internal::ModuleImpl> impl) : impl_(std::move(impl)) {}

 private:
  std::shared_ptr<const internal::ModuleImpl> impl_;
};

}  // namespace airwasm
