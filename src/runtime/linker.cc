// runtime: Linker (a name -> definition map used to resolve imports) and Instance export lookup.
// Store-independent host functions are materialised into a Store the first time that Store needs them.
#include "runtime/internal.hh"

namespace airwasm {

namespace internal {

struct LinkerImpl {
  struct Definition {
    std::optional<Extern> item;  // a Store-bound definition
    FuncType type;               // or a Store-independent host function
    RawHostCallback host;
    uint64_t host_id = 0;
  };
  Engine engine;
  bool shadowing = false;
  std::unordered_map<std::string, Definition> defs;

  static std::string key(std::string_view module, std::string_view name) {
    std::string k;
    k.reserve(module.size() + name.size() + 1);
    k.append(module);
    k.push_back('\0');
    k.append(name);
    return k;
  }
  Result<void> add(std::string_view module, std::string_view name, Definition def) {
    auto [it, inserted] = defs.try_emplace(key(module, name), std::move(def));
    if (!inserted) {
      if (!shadowing)
        return make_error(ErrorKind::kUsage, "duplicate definition of \"" + std::string(module) + "\" \"" +
                                                 std::string(name) + "\"");
      it->second = std::move(def);
    }
    return {};
  }
};

namespace {
std::atomic<uint64_t> g_next_host_id{1};
}

}  // namespace internal

Linker::Linker(const Engine& engine) : impl_(std::make_unique<internal::LinkerImpl>()) {
  impl_->engine = engine;
}
Linker::~Linker() = default;
Linker::Linker(Linker&&) noexcept = default;
Linker& Linker::operator=(Linker&&) noexcept = default;

void Linker::allow_shadowing(bool allow) {
  impl_->shadowing = allow;
}

Result<void> Linker::define(std::string_view module, std::string_view name, const Extern& item) {
  internal::LinkerImpl::Definition def;
  def.item = item;
  return impl_->add(module, name, std::move(def));
}

Result<void> Linker::define_instance(const Store& store, std::string_view module, const Instance& instance) {
  for (auto& [name, item] : instance.exports(store)) AIRWASM_TRY(define(module, name, item));
  return {};
}

Result<void> Linker::define_func_raw(std::string_view module, std::string_view name, FuncType type,
                                     RawHostCallback callback) {
  internal::LinkerImpl::Definition def;
  def.type = std::move(type);
  def.host = std::move(callback);
  def.host_id = internal::g_next_host_id.fetch_add(1);
  return impl_->add(module, name, std::move(def));
}

Result<void> Linker::define_func(std::string_view module, std::string_view name, FuncType type,
                                 HostCallback callback) {
  internal::LinkerImpl::Definition def;
  def.host = internal::adapt_val_callback(type, std::move(callback));
  def.type = std::move(type);
  def.host_id = internal::g_next_host_id.fetch_add(1);
  return impl_->add(module, name, std::move(def));
}

std::optional<Extern> Linker::get(Store& store, std::string_view module, std::string_view name) const {
  auto it = impl_->defs.find(internal::LinkerImpl::key(module, name));
  if (it == impl_->defs.end()) return std::nullopt;
  const internal::LinkerImpl::Definition& def = it->second;
  if (def.item) return def.item;
  internal::StoreImpl& s = store.impl();
  auto cached = s.linker_funcs.find(def.host_id);
  if (cached != s.linker_funcs.end()) return Extern(Func(s.id, cached->second));
  const interp::FuncInst* f = s.add_host_func(def.type, def.host);
  s.linker_funcs.emplace(def.host_id, f->store_index);
  return Extern(Func(s.id, f->store_index));
}

std::optional<Extern> internal::InstanceRecord::find_export(std::string_view name) const {
  auto it = module->export_index.find(name);
  if (it == module->export_index.end()) return std::nullopt;
  return exports[it->second];
}

// ---- Instance ----

static const internal::InstanceRecord* record(const Store& store, uint64_t store_id, uint32_t index) {
  const internal::StoreImpl& s = store.impl();
  if (store_id != s.id || index >= s.instances.size()) return nullptr;
  return s.instances[index].get();
}

std::optional<Extern> Instance::get_export(const Store& store, std::string_view name) const {
  const internal::InstanceRecord* rec = record(store, store_id_, index_);
  if (!rec) return std::nullopt;
  return rec->find_export(name);
}

std::optional<Func> Instance::get_func(const Store& store, std::string_view name) const {
  auto e = get_export(store, name);
  return e ? e->func() : std::nullopt;
}
std::optional<Memory> Instance::get_memory(const Store& store, std::string_view name) const {
  auto e = get_export(store, name);
  return e ? e->memory() : std::nullopt;
}
std::optional<Table> Instance::get_table(const Store& store, std::string_view name) const {
  auto e = get_export(store, name);
  return e ? e->table() : std::nullopt;
}
std::optional<Global> Instance::get_global(const Store& store, std::string_view name) const {
  auto e = get_export(store, name);
  return e ? e->global() : std::nullopt;
}

std::vector<std::pair<std::string, Extern>> Instance::exports(const Store& store) const {
  const internal::InstanceRecord* rec = record(store, store_id_, index_);
  if (!rec) return {};
  std::vector<std::pair<std::string, Extern>> out;
  const wasm::Module& m = *rec->module->module;
  for (size_t i = 0; i < rec->exports.size(); ++i) out.emplace_back(m.exports[i].name, rec->exports[i]);
  return out;
}

}  // namespace airwasm
