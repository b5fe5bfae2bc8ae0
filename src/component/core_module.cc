// component: core module header scanning for the component validator (see core_module.hh).
#include "component/core_module.hh"

#include <set>

#include "component/reader_internal.hh"
#include "component/try_set.hh"
#include "decode/instr_reader.hh"
#include "validate/module_check.hh"

namespace airwasm::component {

using namespace ast;  // the front end works on the syntax throughout

namespace {

int section_rank(uint8_t id) {
  // Core section order: type import func table mem tag global export start elem datacount code data.
  static constexpr int kRank[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return id < 14 ? kRank[id] : -1;
}

}  // namespace

Result<ModuleTypeInfo> core_module_type(std::span<const uint8_t> bytes, size_t base) {
  detail::Reader r(bytes.subspan(8), base + 8);
  std::vector<CoreSubType> types;
  std::vector<uint32_t> funcs;  // type index per function
  std::vector<CoreEntity> tables, memories, globals, tags;
  ModuleTypeInfo info;
  std::set<std::string> import_names;
  int last_rank = 0;

  auto func_type = [&](uint32_t idx, size_t at) -> Result<CoreFuncType> {
    if (idx >= types.size()) return base::invalid("unknown type: type index out of bounds", at);
    if (types[idx].comp != CoreSubType::Comp::kFunc)
      return base::invalid("type mismatch: not a function type", at);
    return types[idx].func;
  };
  auto entity_of = [&](const CoreExternType& t, size_t at) -> Result<CoreEntity> {
    CoreEntity e;
    e.kind = t.kind;
    e.val = t.val;
    e.limits = t.limits;
    e.mut = t.mut;
    if (t.kind == 0 || t.kind == 4) {
      AIRWASM_SET(e.func, func_type(t.type, at));
    }
    if (t.kind == 2 && !t.limits.is64 && (t.limits.min > 65536 || (t.limits.max && *t.limits.max > 65536))) {
      return base::invalid("memory size must be at most 65536 pages (4GiB)", at);
    }
    return e;
  };

  while (!r.at_end()) {
    size_t id_at = r.offset();
    AIRWASM_TRY_ASSIGN(uint8_t id, r.u8());
    AIRWASM_TRY_ASSIGN(uint32_t size, r.u32());
    size_t start = r.offset();
    AIRWASM_TRY_ASSIGN(auto payload, r.raw().bytes(size, detail::kEof));
    if (id == 0) continue;
    int rank = section_rank(id);
    if (rank < 0) return base::malformed("malformed section id", id_at);
    if (rank <= last_rank) return base::malformed("section out of order", id_at);
    last_rank = rank;
    detail::Reader s(payload, start);
    switch (id) {
      case 1: {
        AIRWASM_TRY_ASSIGN(uint32_t n, s.count());
        for (uint32_t i = 0; i < n; ++i) {
          AIRWASM_TRY_ASSIGN(auto def, s.core_type(true, 0));
          if (def.rec.size() != 1) info.beyond_wasm2 = true;
          for (auto& st : def.rec) {
            if (st.comp != CoreSubType::Comp::kFunc || !st.final || !st.supers.empty())
              info.beyond_wasm2 = true;
            types.push_back(std::move(st));
          }
        }
        break;
      }
      case 2: {
        AIRWASM_TRY_ASSIGN(uint32_t n, s.count());
        for (uint32_t i = 0; i < n; ++i) {
          size_t at = s.offset();
          AIRWASM_TRY_ASSIGN(auto m, s.name());
          AIRWASM_TRY_ASSIGN(auto nm, s.name());
          AIRWASM_TRY_ASSIGN(auto t, s.core_externtype());
          if (!import_names.insert(m + ":" + nm).second) {
            return base::invalid("duplicate import name `" + m + ":" + nm + "`", at);
          }
          AIRWASM_TRY_ASSIGN(auto e, entity_of(t, at));
          switch (t.kind) {
            case 0:
              funcs.push_back(t.type);
              break;
            case 1:
              tables.push_back(e);
              break;
            case 2:
              memories.push_back(e);
              break;
            case 3:
              globals.push_back(e);
              break;
            case 4:
              tags.push_back(e);
              break;
          }
          info.imports.push_back({{m, nm}, e});
        }
        break;
      }
      case 3: {
        AIRWASM_TRY_ASSIGN(uint32_t n, s.count());
        for (uint32_t i = 0; i < n; ++i) {
          size_t at = s.offset();
          AIRWASM_TRY_ASSIGN(uint32_t t, s.u32());
          AIRWASM_TRY(func_type(t, at));
          funcs.push_back(t);
        }
        break;
      }
      case 4:
      case 5:
      case 13: {
        AIRWASM_TRY_ASSIGN(uint32_t n, s.count());
        for (uint32_t i = 0; i < n; ++i) {
          size_t at = s.offset();
          CoreExternType t;
          if (id == 4) {
            // table ::= reftype limits | 0x40 0x00 reftype limits expr
            AIRWASM_TRY_ASSIGN(uint8_t b, s.u8());
            if (b == 0x40) return base::malformed("unsupported: table initializer", at);
            t.kind = 1;
            AIRWASM_SET(t.val, s.core_reftype_from(b, at));
            detail::Reader& sr = s;
            AIRWASM_TRY_ASSIGN(uint8_t flags, sr.u8());
            t.limits.is64 = flags & 4;
            AIRWASM_SET(t.limits.min, sr.raw().u64());
            if (flags & 1) {
              AIRWASM_TRY_ASSIGN(uint64_t mx, sr.raw().u64());
              t.limits.max = mx;
            }
            tables.push_back(CoreEntity{1, {}, t.val, t.limits, false});
          } else if (id == 5) {
            AIRWASM_TRY_ASSIGN(uint8_t flags, s.u8());
            t.kind = 2;
            t.limits.shared = flags & 2;
            t.limits.is64 = flags & 4;
            AIRWASM_SET(t.limits.min, s.raw().u64());
            if (flags & 1) {
              AIRWASM_TRY_ASSIGN(uint64_t mx, s.raw().u64());
              t.limits.max = mx;
            }
            AIRWASM_TRY_ASSIGN(auto e, entity_of(t, at));
            memories.push_back(e);
          } else {
            AIRWASM_TRY_ASSIGN(uint8_t z, s.u8());
            (void)z;
            AIRWASM_SET(t.type, s.u32());
            t.kind = 4;
            AIRWASM_TRY_ASSIGN(auto e, entity_of(t, at));
            tags.push_back(e);
          }
        }
        break;
      }
      case 6: {
        AIRWASM_TRY_ASSIGN(uint32_t n, s.count());
        for (uint32_t i = 0; i < n; ++i) {
          CoreEntity e;
          e.kind = 3;
          AIRWASM_SET(e.val, s.core_valtype());
          AIRWASM_TRY_ASSIGN(uint8_t m, s.u8());
          e.mut = m == 1;
          decode::InstrReader ir(s.raw(), Features{});
          wasm::Instr ins;
          for (int guard = 0;; ++guard) {
            AIRWASM_TRY(ir.next(ins));
            if (ins.op == wasm::Opcode::End) break;
          }
          globals.push_back(e);
        }
        break;
      }
      case 7: {
        AIRWASM_TRY_ASSIGN(uint32_t n, s.count());
        std::set<std::string> names;
        for (uint32_t i = 0; i < n; ++i) {
          size_t at = s.offset();
          AIRWASM_TRY_ASSIGN(auto nm, s.name());
          AIRWASM_TRY_ASSIGN(uint8_t kind, s.u8());
          AIRWASM_TRY_ASSIGN(uint32_t idx, s.u32());
          if (!names.insert(nm).second) return base::invalid("duplicate export name `" + nm + "`", at);
          CoreEntity e;
          e.kind = kind;
          auto pick = [&](std::vector<CoreEntity>& v, const char* what) -> Result<void> {
            if (idx >= v.size()) return base::invalid(std::string("unknown ") + what, at);
            e = v[idx];
            return {};
          };
          switch (kind) {
            case 0:
              if (idx >= funcs.size()) return base::invalid("unknown function", at);
              e.func = types[funcs[idx]].func;
              break;
            case 1:
              AIRWASM_TRY(pick(tables, "table"));
              break;
            case 2:
              AIRWASM_TRY(pick(memories, "memory"));
              break;
            case 3:
              AIRWASM_TRY(pick(globals, "global"));
              break;
            case 4:
              AIRWASM_TRY(pick(tags, "tag"));
              break;
            default:
              return base::malformed("malformed export kind", at);
          }
          info.exports.push_back({nm, e});
        }
        break;
      }
      default:
        break;  // start, elem, datacount, code, data: the core validator's business
    }
  }
  // Several memories (multi-memory) and tags (exception handling) are proposals the core engine
  // implements; whether they are on follows the default Features, as check_core_module does.
  if (memories.size() > 1 && !Features{}.multi_memory) info.beyond_wasm2 = true;
  if (!tags.empty() && !Features{}.exceptions) info.beyond_wasm2 = true;
  for (const auto& e : memories) info.beyond_wasm2 |= e.limits.shared || e.limits.is64;
  for (const auto& e : tables) info.beyond_wasm2 |= e.limits.is64;
  return info;
}

Result<void> check_core_module(std::span<const uint8_t> bytes, size_t base) {
  auto r = validate::check_module_binary(bytes, Features{});
  if (!r) {
    Error e = r.error();
    if (e.offset != Error::kNoOffset) e.offset += base;
    return std::unexpected(std::move(e));
  }
  return {};
}

}  // namespace airwasm::component
