// component_runtime: what the instantiation plan's translator (plan.cc) and the definition walk
// (instantiate.cc) both do with a component scope, written once: its component-level index spaces (funcs,
// instances, types, components, core modules), which the two fill with different items (static slots in
// the plan, run-time values in the walk), and the reading of a canon definition's options, which the two
// resolve to different things (slots, or the Store's memory and function instances).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "airwasm/error.hh"
#include "airwasm/module.hh"
#include "canon/abi.hh"
#include "component/ast.hh"

namespace airwasm::component::rt {

// ItemT has `kind` (an Item::Kind-like enum with kFunc, kInstance, kType, kComponent, kModule) and, for
// kModule, `module` (a std::optional<Module>). CoreT is what a core func/table/memory/global/tag is (an
// Extern in the walk, a slot of the plan).
template <typename ItemT, typename CoreT>
struct ScopeSpaces {
  std::vector<CoreT> core_funcs, core_memories, core_tables, core_globals, core_tags;
  std::vector<Module> core_modules;
  std::vector<ItemT> funcs, instances, types, components;

  // The core index space of a core func/table/memory/global/tag sort; null for any other sort.
  std::vector<CoreT>* core_space(ast::Sort sort) {
    switch (sort) {
      case ast::Sort::kCoreFunc:
        return &core_funcs;
      case ast::Sort::kCoreTable:
        return &core_tables;
      case ast::Sort::kCoreMemory:
        return &core_memories;
      case ast::Sort::kCoreGlobal:
        return &core_globals;
      case ast::Sort::kCoreTag:
        return &core_tags;
      default:
        return nullptr;
    }
  }

  void push(const ItemT& item) {
    using Kind = decltype(item.kind);
    switch (item.kind) {
      case Kind::kFunc:
        funcs.push_back(item);
        break;
      case Kind::kInstance:
        instances.push_back(item);
        break;
      case Kind::kType:
        types.push_back(item);
        break;
      case Kind::kComponent:
        components.push_back(item);
        break;
      case Kind::kModule:
        core_modules.push_back(*item.module);
        break;
    }
  }

  // An outer alias: item `index` of `sort` in the enclosing scope `from` (checked by validation) joins
  // this scope. Core types have no run-time value, so nothing is added for them.
  void alias_outer(const ScopeSpaces& from, ast::Sort sort, uint32_t index) {
    switch (sort) {
      case ast::Sort::kCoreModule:
        core_modules.push_back(from.core_modules.at(index));
        break;
      case ast::Sort::kComponent:
        components.push_back(from.components.at(index));
        break;
      case ast::Sort::kType:
        types.push_back(from.types.at(index));
        break;
      default:
        break;
    }
  }

  // The item at `index` of `sort`'s space. Component-level `value`s and core sorts are not held here:
  // for them the result is `not_here()`, the caller's error.
  template <typename NotHere>
  Result<ItemT> at(ast::Sort sort, uint32_t index, NotHere not_here) const {
    auto oob = [&] {
      return make_error(ErrorKind::kInvalid, std::string("index out of bounds for ") + ast::sort_name(sort));
    };
    auto get = [&](const std::vector<ItemT>& v) -> Result<ItemT> {
      if (index >= v.size()) return oob();
      return v[index];
    };
    switch (sort) {
      case ast::Sort::kFunc:
        return get(funcs);
      case ast::Sort::kInstance:
        return get(instances);
      case ast::Sort::kType:
        return get(types);
      case ast::Sort::kComponent:
        return get(components);
      case ast::Sort::kCoreModule: {
        if (index >= core_modules.size()) return oob();
        ItemT it;
        it.kind = decltype(it.kind)::kModule;
        it.module = core_modules[index];
        return it;
      }
      default:
        return not_here();
    }
  }
};

// A canon definition's options into `Out` (fields encoding, memory, realloc, post_return, async, callback):
// the memory, realloc and post-return are what `memory_of` / `func_of` give for their core indices.
template <typename Out, typename MemoryOf, typename FuncOf>
Out read_canon_options(const std::vector<ast::CanonOpt>& opts, MemoryOf memory_of, FuncOf func_of) {
  Out o;
  for (const ast::CanonOpt& opt : opts) {
    using K = ast::CanonOpt::Kind;
    switch (opt.kind) {
      case K::kUtf8:
        o.encoding = canon::StringEncoding::kUtf8;
        break;
      case K::kUtf16:
        o.encoding = canon::StringEncoding::kUtf16;
        break;
      case K::kLatin1Utf16:
        o.encoding = canon::StringEncoding::kLatin1Utf16;
        break;
      case K::kMemory:
        o.memory = memory_of(opt.index);
        break;
      case K::kRealloc:
        o.realloc = func_of(opt.index);
        break;
      case K::kPostReturn:
        o.post_return = func_of(opt.index);
        break;
      case K::kAsync:
        o.async = true;
        break;
      case K::kCallback:
        o.callback = true;
        break;
    }
  }
  return o;
}

}  // namespace airwasm::component::rt
