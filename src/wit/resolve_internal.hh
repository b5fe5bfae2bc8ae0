// wit: the resolver's state, shared by resolve.cc (packages, interfaces, worlds, elaboration) and
// resolve_types.cc (type expressions, functions, cycle checks). One Resolver turns the syntax trees of
// all parsed files into one component::wit::Resolve, package by package in dependency order.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "wit/ast.hh"
#include "wit/wit.hh"

namespace airwasm::wit {

namespace model = component::wit;

// A package before resolution: where its items are written.
struct PendingPackage {
  ast::PackageName name;
  model::Docs docs;
  std::vector<const ast::Interface*> interfaces;
  std::vector<const ast::World*> worlds;
  std::map<std::string, size_t> iface_index, world_index;  // name -> index in interfaces / worlds
  uint32_t model = ~0u;                                    // its index in Resolve::packages once resolved
  std::vector<uint32_t> iface_ids, world_ids;              // model ids, parallel to interfaces / worlds
  std::vector<uint8_t> iface_state, world_state;           // 0 new, 1 resolving, 2 done
};

// The names of types visible in an interface or world body.
struct Scope {
  struct Entry {
    uint32_t id = 0;
    const ast::TypeDecl* decl = nullptr;  // a local `type x = ...` still to be filled
    uint8_t state = 0;                    // for decl: 0 new, 1 filling, 2 done
  };
  std::map<std::string, Entry> names;
  const Source* src = nullptr;
  model::Owner owner;
};

class Resolver {
 public:
  explicit Resolver(const ParseOptions& options) : options_(options) {}
  Result<model::Resolve> run(std::vector<SourceGroup> groups);

 private:
  friend class TypeResolver;
  // resolve.cc
  Result<void> add_group(SourceGroup& group, bool is_main);
  Result<void> add_package(const ast::PackageName& name, const model::Docs& docs,
                           const ast::PackageBody& body, uint32_t source);
  Result<void> order_packages();
  Result<void> visit_package(uint32_t p, std::vector<uint32_t>& order, std::vector<uint8_t>& state);
  Result<std::vector<std::pair<std::string, uint32_t>>> package_refs(uint32_t p);
  Result<uint32_t> find_package(const ast::UsePath& path, const Source& src);
  Result<uint32_t> lookup_interface(uint32_t pkg, const ast::UsePath& path, uint32_t file);
  Result<uint32_t> lookup_world(uint32_t pkg, const ast::UsePath& path, uint32_t file);
  Result<void> resolve_package(uint32_t p);
  // `file`/`offset`: where the interface is needed (a `use`), for the cycle message.
  Result<uint32_t> resolve_interface(uint32_t pkg, size_t idx, uint32_t file = ~0u, uint32_t offset = 0);
  Result<void> fill_interface(uint32_t pkg, const ast::Interface& ai, uint32_t id);
  Result<uint32_t> resolve_world(uint32_t pkg, size_t idx);
  Result<void> fill_world(uint32_t pkg, const ast::World& aw, uint32_t id);
  Result<void> add_uses(uint32_t pkg, const std::vector<ast::Use>& uses, Scope& scope,
                        std::vector<std::pair<std::string, uint32_t>>& out, uint32_t file);
  Result<void> elaborate(uint32_t world, const ast::World& aw);
  std::vector<uint32_t> interface_deps(uint32_t iface) const;
  bool enabled(const model::Stability& s) const;

  // resolve_types.cc
  Result<void> declare_types(const std::vector<ast::TypeDecl>& decls, Scope& scope,
                             std::vector<std::pair<std::string, uint32_t>>& out);
  Result<void> fill_types(Scope& scope);
  Result<void> fill_decl(Scope& scope, Scope::Entry& e);
  Result<model::Ty> type(Scope& scope, const ast::Type& t, int depth);
  Result<model::TypeDef> structure(Scope& scope, const ast::Type& t, int depth);
  Result<uint32_t> lookup_type(Scope& scope, const ast::Id& name);
  Result<uint32_t> resource_of(Scope& scope, const ast::Id& name);
  bool is_resource(uint32_t id) const;
  uint32_t anonymous(model::TypeDef def);
  Result<model::Function> function(Scope& scope, const ast::Func& f, std::optional<uint32_t> resource,
                                   const std::string& resource_name);
  Result<std::vector<model::Function>> resource_functions(Scope& scope,
                                                          const std::vector<ast::TypeDecl>& decls);
  Result<void> check_cycles(const Scope& scope);
  Result<void> visit_type(uint32_t id, const Scope& scope, int depth);

  const Source& source(uint32_t i) const { return sources_[i]; }
  std::unexpected<Error> error(uint32_t file, uint32_t offset, const std::string& m) const {
    return error_at(sources_[file], offset, m);
  }

  const ParseOptions& options_;
  std::deque<Source> sources_;  // stable addresses: scopes point at them
  std::deque<ast::File> files_;
  std::vector<PendingPackage> pending_;
  std::map<std::string, uint32_t> by_key_;                             // "ns:pkg@v" -> pending index
  std::map<std::pair<uint32_t, std::string>, ast::UsePath> top_uses_;  // (file, name) -> path
  std::vector<uint32_t> order_;                                        // pending indices in dependency order
  uint32_t main_ = 0;                                                  // pending index of the main package
  model::Resolve r_;
  std::map<std::string, uint32_t> anon_;  // structural key -> anonymous TypeDef
  std::vector<uint8_t> type_color_;       // check_cycles: 0 new, 1 on the path, 2 done
  int depth_ = 0;                         // recursion of the resolver (interfaces, worlds, aliases)
};

// Bounds a recursive step of the resolver: hostile input (a chain of a million aliases written last to
// first) must give an error, not exhaust the native stack.
inline constexpr int kMaxResolveDepth = 500;
class DepthGuard {
 public:
  explicit DepthGuard(int& d) : d_(d) { ++d_; }
  ~DepthGuard() { --d_; }
  bool too_deep() const { return d_ > kMaxResolveDepth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  int& d_;
};

}  // namespace airwasm::wit
