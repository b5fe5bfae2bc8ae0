// runtime: Store, its execution context, fuel, limits, and the creation and growth of memories, tables and
// globals. Linear memories are reserved up front (their maximum, at most 4 GiB of address space) and
// committed as they grow, so growth never moves them and the interpreter can cache the base pointer.
#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>
#include <string>

#include "runtime/internal.hh"

namespace airwasm {

namespace internal {

namespace {

std::atomic<uint64_t> g_next_store_id{1};
constexpr uint64_t kTableElemBytes = sizeof(uint64_t);

int64_t exec_memory_grow(interp::ExecContext& ctx, interp::MemoryInst* mem, uint64_t delta) {
  return static_cast<Store*>(ctx.store)->impl().grow_memory(mem, delta);
}
int64_t exec_table_grow(interp::ExecContext& ctx, interp::TableInst* table, uint64_t delta, uint64_t init) {
  return static_cast<Store*>(ctx.store)->impl().grow_table(table, delta, init);
}

}  // namespace

StoreImpl::StoreImpl(const Engine& e) : engine(e), id(g_next_store_id.fetch_add(1)) {
  const EngineConfig& cfg = engine.config();
  const size_t slots = std::max<size_t>(cfg.value_stack_bytes / 8, 1024);
  exec.stack = std::make_unique_for_overwrite<uint64_t[]>(slots);
  exec.stack_begin = exec.stack.get();
  exec.stack_end = exec.stack_begin + slots;
  const size_t depth = std::max<uint32_t>(cfg.max_call_depth, 1) + 1;  // + the host entry frame
  exec.frames = std::make_unique_for_overwrite<interp::Frame[]>(depth);
  exec.frames_begin = exec.frames.get();
  exec.frames_end = exec.frames_begin + depth;
  exec.frame_top = exec.frames_begin;
  exec.fuel_enabled = cfg.consume_fuel;
  exec.interrupt = &interrupt->flag;
  exec.memory_grow = exec_memory_grow;
  exec.table_grow = exec_table_grow;
}

StoreImpl::~StoreImpl() {
  extensions.clear();  // before the memories go: extension destructors may still look at guest state
  for (auto& m : memories)
    if (m->base) munmap(m->base, m->reserved_bytes);
}

interp::FuncInst* StoreImpl::add_host_func(const FuncType& type, RawHostCallback callback) {
  const uint32_t id = engine.impl().intern(type);
  return add_host_func(id, engine.impl().type(id), std::move(callback));
}

interp::FuncInst* StoreImpl::add_host_func(uint32_t type_id, const FuncType* type, RawHostCallback callback) {
  auto h = std::make_unique<interp::HostFuncInst>();
  h->callback = std::move(callback);
  interp::FuncInst* f = &h->func;
  f->type_id = type_id;
  f->type = type;
  f->host = &h->callback;
  f->param_slots = slot_count(type->params);
  f->result_slots = slot_count(type->results);
  f->store_index = uint32_t(funcs.size());
  host_funcs.push_back(std::move(h));
  funcs.push_back({f});
  return f;
}

Result<interp::MemoryInst*> StoreImpl::add_memory(const MemoryType& type) {
  if (memories.size() >= limits.max_memories)
    return make_error(ErrorKind::kLimit, "memory count limit of the store exceeded");
  const uint64_t max_pages =
      std::min<uint64_t>(type.limits.max.value_or(wasm::kMaxPages32), wasm::kMaxPages32);
  const uint64_t initial = type.limits.min * wasm::kPageSize;
  if (type.limits.min > max_pages || total_memory_bytes + initial > limits.max_memory_bytes ||
      (limiter &&
       !limiter->memory_growing(
           0, initial, type.limits.max ? std::optional(*type.limits.max * wasm::kPageSize) : std::nullopt)))
    return make_error(ErrorKind::kLimit, "memory limit of the store exceeded");
  auto m = std::make_unique<interp::MemoryInst>();
  // Reserve at least one page of address space so that base is never null.
  m->reserved_bytes = std::max<uint64_t>(max_pages, 1) * wasm::kPageSize;
  void* p = mmap(nullptr, m->reserved_bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    return make_error(ErrorKind::kLimit, "cannot reserve address space for a linear memory");
  m->base = static_cast<uint8_t*>(p);
  if (initial && mprotect(m->base, initial, PROT_READ | PROT_WRITE) != 0) {
    munmap(p, m->reserved_bytes);
    return make_error(ErrorKind::kLimit, "cannot commit linear memory");
  }
  m->size_bytes = initial;
  m->max_pages = max_pages;
  m->declared_max = type.limits.max;
  m->store_index = uint32_t(memories.size());
  total_memory_bytes += initial;
  memories.push_back(std::move(m));
  return memories.back().get();
}

int64_t StoreImpl::grow_memory(interp::MemoryInst* mem, uint64_t delta) {
  const uint64_t old_pages = mem->size_bytes / wasm::kPageSize;
  if (delta == 0) return int64_t(old_pages);
  if (delta > mem->max_pages - old_pages) return -1;
  const uint64_t new_bytes = (old_pages + delta) * wasm::kPageSize;
  const uint64_t added = new_bytes - mem->size_bytes;
  if (total_memory_bytes + added > limits.max_memory_bytes) return -1;
  if (limiter && !limiter->memory_growing(
                     mem->size_bytes, new_bytes,
                     mem->declared_max ? std::optional(*mem->declared_max * wasm::kPageSize) : std::nullopt))
    return -1;
  if (mprotect(mem->base + mem->size_bytes, added, PROT_READ | PROT_WRITE) != 0) return -1;
  mem->size_bytes = new_bytes;
  total_memory_bytes += added;
  return int64_t(old_pages);
}

Result<interp::TableInst*> StoreImpl::add_table(const TableType& type, uint64_t init) {
  if (tables.size() >= limits.max_tables)
    return make_error(ErrorKind::kLimit, "table count limit of the store exceeded");
  const uint64_t bytes = type.limits.min * kTableElemBytes;
  if (type.limits.min > limits.max_table_elements)
    return make_error(ErrorKind::kLimit, "table of " + std::to_string(type.limits.min) +
                                             " elements exceeds the store's limit of " +
                                             std::to_string(limits.max_table_elements) +
                                             " elements per table");
  if (bytes > limits.max_table_bytes - std::min(total_table_bytes, limits.max_table_bytes))
    return make_error(ErrorKind::kLimit, "table of " + std::to_string(type.limits.min) +
                                             " elements exceeds the store's table memory limit of " +
                                             std::to_string(limits.max_table_bytes) + " bytes");
  if (limiter && !limiter->table_growing(0, type.limits.min, type.limits.max))
    return make_error(ErrorKind::kLimit, "table creation denied by the store's resource limiter");
  auto t = std::make_unique<interp::TableInst>();
  t->type = type;
  try {
    t->elems.assign(type.limits.min, init);
    tables.reserve(tables.size() + 1);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorKind::kLimit, "out of host memory creating a table");
  }
  t->store_index = uint32_t(tables.size());
  total_table_bytes += bytes;
  tables.push_back(std::move(t));
  return tables.back().get();
}

int64_t StoreImpl::grow_table(interp::TableInst* table, uint64_t delta, uint64_t init) {
  const uint64_t old = table->elems.size();
  if (delta == 0) return int64_t(old);
  const uint64_t max =
      std::min<uint64_t>(table->type.limits.max.value_or(wasm::kMaxTableSize), wasm::kMaxTableSize);
  if (delta > max - old) return -1;
  if (old + delta > limits.max_table_elements) return -1;
  const uint64_t added = delta * kTableElemBytes;
  if (added > limits.max_table_bytes - std::min(total_table_bytes, limits.max_table_bytes)) return -1;
  if (limiter && !limiter->table_growing(old, old + delta, table->type.limits.max)) return -1;
  try {
    table->elems.resize(old + delta, init);
  } catch (const std::bad_alloc&) {
    return -1;  // the guest sees a failed table.grow, as for any other limit
  }
  total_table_bytes += added;
  return int64_t(old);
}

interp::GlobalInst* StoreImpl::add_global(const GlobalType& type) {
  auto g = std::make_unique<interp::GlobalInst>();
  g->type = type;
  g->store_index = uint32_t(globals.size());
  globals.push_back(std::move(g));
  return globals.back().get();
}

interp::TagInst* StoreImpl::add_tag(const FuncType& type) {
  auto t = std::make_unique<interp::TagInst>();
  t->type = type;
  t->type_id = engine.impl().intern(type);
  t->store_index = uint32_t(tags.size());
  tags.push_back(std::move(t));
  return tags.back().get();
}

uint32_t slot_count(std::span<const ValType> types) {
  uint32_t n = 0;
  for (ValType t : types) n += t == ValType::kV128 ? 2 : 1;
  return n;
}

Trap usage_trap(std::string message) {
  return Trap(TrapCode::kUsage, "usage error: " + std::move(message));
}

size_t register_store_extension() {
  static std::atomic<size_t> next{0};
  return next.fetch_add(1);
}

}  // namespace internal

// ---- Store ----

Store::Store(const Engine& engine) : impl_(std::make_unique<internal::StoreImpl>(engine)) {
  impl_->public_store = this;
  impl_->exec.store = this;
}
Store::~Store() = default;
Store::Store(Store&& other) noexcept : impl_(std::move(other.impl_)) {
  impl_->public_store = this;
  impl_->exec.store = this;
}
Store& Store::operator=(Store&& other) noexcept {
  impl_ = std::move(other.impl_);
  impl_->public_store = this;
  impl_->exec.store = this;
  return *this;
}

const Engine& Store::engine() const {
  return impl_->engine;
}
uint64_t Store::id() const {
  return impl_->id;
}

static Result<void> require_fuel(const internal::StoreImpl& s) {
  if (!s.fuel_enabled())
    return make_error(ErrorKind::kUsage, "fuel is not enabled in this engine's configuration");
  return {};
}

Result<void> Store::set_fuel(uint64_t fuel) {
  AIRWASM_TRY(require_fuel(*impl_));
  impl_->adjust_live_fuel(fuel);
  return {};
}

Result<void> Store::add_fuel(uint64_t fuel) {
  AIRWASM_TRY(require_fuel(*impl_));
  const uint64_t live = impl_->live_fuel();
  const uint64_t sum = live + fuel;
  impl_->adjust_live_fuel(sum < live ? std::numeric_limits<uint64_t>::max() : sum);
  return {};
}

Result<uint64_t> Store::fuel_remaining() const {
  AIRWASM_TRY(require_fuel(*impl_));
  return impl_->live_fuel();
}

Result<uint64_t> Store::fuel_consumed() const {
  AIRWASM_TRY(require_fuel(*impl_));
  const internal::StoreImpl& s = *impl_;
  if (s.call_active && !s.sliced_suspended)
    return s.fuel_consumed + (s.fuel_snapshot - std::min(s.fuel_snapshot, s.live_fuel()));
  return s.fuel_consumed;
}

void Store::set_limits(const StoreLimits& limits) {
  impl_->limits = limits;
}
const StoreLimits& Store::limits() const {
  return impl_->limits;
}
void Store::set_limiter(ResourceLimiter* limiter) {
  impl_->limiter = limiter;
}
InterruptHandle Store::interrupt_handle() const {
  return InterruptHandle(impl_->interrupt);
}
void Store::set_data(void* data) {
  impl_->data = data;
}
void* Store::data() const {
  return impl_->data;
}

void InterruptHandle::interrupt() const {
  state_->flag.store(interp::kInterruptRequested);
  state_->wake();
}

void InterruptHandle::clear() const {
  uint32_t requested = interp::kInterruptRequested;
  state_->flag.compare_exchange_strong(requested, interp::kNoInterrupt);
}

bool Store::suspend_and_retry(BlockedOn what) {
  internal::StoreImpl& s = impl();
  if (!s.exec.sliced || s.exec.host_depth != 1) return false;
  s.exec.retry_requested = true;
  s.blocked_on = std::move(what);
  return true;
}

uint64_t Store::host_call_id() const {
  const internal::StoreImpl& s = impl();
  return s.exec.host_depth > 0 ? s.exec.host_call_id : 0;
}

const Store::BlockedOn* Store::blocked_on() const {
  const internal::StoreImpl& s = impl();
  return s.sliced_suspended && s.blocked_on ? &*s.blocked_on : nullptr;
}

bool Store::request_yield() {
  // host_depth counts the host functions on the stack: only one reached from the outermost activation
  // returns into a frame that can suspend (see the interpreter's host-call return path).
  internal::StoreImpl& s = impl();
  if (!s.exec.sliced || s.exec.host_depth != 1) return false;
  s.exec.yield_requested = true;
  return true;
}

}  // namespace airwasm
