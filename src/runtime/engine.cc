// runtime: Engine (shared configuration, engine-wide interned function types) and Module compilation
// (decode -> validate -> lower).
#include <algorithm>
#include <new>
#include <thread>

#include "decode/decoder.hh"
#include "interp/lower.hh"
#include "runtime/internal.hh"
#include "validate/module_check.hh"
#include "validate/module_validator.hh"

namespace airwasm {

namespace internal {

uint32_t EngineImpl::intern(const FuncType& type) {
  std::string key;
  key.reserve(type.params.size() + type.results.size() + 1);
  for (ValType t : type.params) key.push_back(char(t));
  key.push_back(':');
  for (ValType t : type.results) key.push_back(char(t));
  std::lock_guard lock(types_mutex);
  auto [it, inserted] = type_ids.emplace(std::move(key), uint32_t(types.size()));
  if (inserted) types.push_back(type);
  return it->second;
}

const FuncType* EngineImpl::type(uint32_t id) {
  std::lock_guard lock(types_mutex);
  return &types[id];
}

}  // namespace internal

Engine::Engine(EngineConfig config) : impl_(std::make_shared<internal::EngineImpl>()) {
  impl_->config = config;
}

bool Engine::compiler_available() {
  return baseline::available();
}

Result<void> Engine::check_compiler_mode(CompilerMode mode) {
  if (mode == CompilerMode::kBaseline && !baseline::available())
    return make_error(
        ErrorKind::kUnsupported,
        "the baseline compiler needs x86-64 with SSE4.1, POPCNT, LZCNT and BMI1; this machine has not");
  return {};
}

const EngineConfig& Engine::config() const {
  return impl_->config;
}

namespace {

struct Checked {
  std::unique_ptr<wasm::Module> module;
  validate::BodyContext ctx;
};

Result<Checked> decode_and_check(const Engine& engine, std::span<const uint8_t> binary) {
  decode::DecodeOptions options;
  options.features = engine.config().features;
  options.limits = engine.config().limits;
  AIRWASM_TRY_ASSIGN(std::unique_ptr<wasm::Module> module, decode::decode_module(binary, options));
  AIRWASM_TRY(validate::validate_module(*module, options.features));
  auto refs = validate::declared_func_refs(*module);
  validate::BodyContext ctx =
      validate::BodyContext::build(*module, options.features, std::move(refs), options.limits);
  return Checked{std::move(module), std::move(ctx)};
}

}  // namespace

namespace {

// Allocation failure inside the library is an error value, never an abort: the implementation limits keep
// the memory a module needs proportional to its size, and this catches what the host still cannot give.
template <typename F>
auto catching_bad_alloc(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return make_error(ErrorKind::kLimit, "out of host memory");
  }
}

Result<Module> compile_module(const Engine& engine, std::span<const uint8_t> binary) {
  AIRWASM_TRY_ASSIGN(Checked checked, decode_and_check(engine, binary));
  auto impl = std::make_shared<internal::ModuleImpl>(internal::ModuleImpl{engine, nullptr, {}});
  // The checked context points at the module; keep the module where it is (heap) and move ownership.
  impl->module = std::move(checked.module);
  for (const FuncType& t : impl->module->types) impl->compiled.type_ids.push_back(engine.impl().intern(t));
  interp::LowerOptions options;
  options.fuel = engine.config().consume_fuel;
  options.simd = engine.config().features.simd;
  options.threads = engine.config().compile_threads ? engine.config().compile_threads
                                                    : std::max(1u, std::thread::hardware_concurrency());
  AIRWASM_TRY(interp::lower_module(*impl->module, checked.ctx, options, impl->compiled));
  const CompilerMode mode = engine.config().compiler;
  AIRWASM_TRY(Engine::check_compiler_mode(mode));
  if (mode == CompilerMode::kBaseline) {
    AIRWASM_TRY_ASSIGN(impl->native, baseline::compile_module(impl->compiled));
  } else if (mode == CompilerMode::kAuto && baseline::available()) {
    // Interpret first; a function is compiled once it is hot (docs/compiler.md, "Code cache and tiering").
    impl->native = baseline::lazy_native_module(impl->compiled);
  }
  // The interpreter reaches the compiler through the lowered module (hotness, loop-header switches).
  if (impl->native) impl->compiled.tier_up = impl->native.get();
  impl->memory_image = internal::build_memory_image(*impl->module);
  for (size_t i = 0; i < impl->module->exports.size(); ++i)
    impl->export_index.emplace(impl->module->exports[i].name, i);
  for (uint32_t id : impl->compiled.type_ids) {
    const FuncType* t = engine.impl().type(id);
    impl->type_ptrs.push_back(t);
    impl->type_slots.emplace_back(internal::slot_count(t->params), internal::slot_count(t->results));
  }
  return Module(std::move(impl));
}

}  // namespace

Result<Module> Module::compile(const Engine& engine, std::span<const uint8_t> binary) {
  return catching_bad_alloc([&] { return compile_module(engine, binary); });
}

Module::CompileInfo Module::compile_info() const {
  CompileInfo info;
  if (!impl_->native) {
    info.interpreted_functions = uint32_t(impl_->compiled.funcs.size());
    return info;
  }
  const baseline::CompileStats stats = impl_->native->stats();
  info.compiled_functions = stats.compiled;
  info.interpreted_functions = uint32_t(impl_->compiled.funcs.size()) - stats.compiled;
  info.hot_compiled_functions = stats.compiled_hot;
  info.code_bytes = impl_->native->code_bytes();
  info.first_refusal = stats.first_refusal;
  return info;
}

Result<void> Module::validate(const Engine& engine, std::span<const uint8_t> binary) {
  return catching_bad_alloc([&] {
    return validate::check_module_binary(binary, engine.config().features, engine.config().limits);
  });
}

namespace {

ExternType extern_type_of_import(const wasm::Module& m, const wasm::Import& imp) {
  ExternType t;
  t.kind = imp.kind;
  switch (imp.kind) {
    case ExternKind::kFunc:
      t.func = m.types[imp.func_type];
      break;
    case ExternKind::kTable:
      t.table = imp.table;
      break;
    case ExternKind::kMemory:
      t.memory = imp.memory;
      break;
    case ExternKind::kGlobal:
      t.global = imp.global;
      break;
    case ExternKind::kTag:
      t.tag = m.types[imp.func_type];
      break;
  }
  return t;
}

}  // namespace

std::vector<ImportType> Module::imports() const {
  std::vector<ImportType> out;
  const wasm::Module& m = *impl_->module;
  for (const wasm::Import& imp : m.imports)
    out.push_back(ImportType{imp.module, imp.name, extern_type_of_import(m, imp)});
  return out;
}

std::vector<ExportType> Module::exports() const {
  std::vector<ExportType> out;
  const wasm::Module& m = *impl_->module;
  for (const wasm::Export& e : m.exports) {
    ExternType t;
    t.kind = e.kind;
    switch (e.kind) {
      case ExternKind::kFunc:
        t.func = m.func_type(e.index);
        break;
      case ExternKind::kTable:
        t.table = m.table_type(e.index);
        break;
      case ExternKind::kMemory:
        t.memory = m.memory_type(e.index);
        break;
      case ExternKind::kGlobal:
        t.global = m.global_type(e.index);
        break;
      case ExternKind::kTag:
        t.tag = m.types[m.tag_type_index(e.index)];
        break;
    }
    out.push_back(ExportType{e.name, t});
  }
  return out;
}

std::string Module::name() const {
  return impl_->module->names.module_name.value_or("");
}

}  // namespace airwasm
