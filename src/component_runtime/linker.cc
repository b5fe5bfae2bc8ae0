// component runtime: the component Linker. Definitions form a tree of named nodes (instances holding
// functions, resource types and nested instances; or items exported by an instantiated component).
// Imports are looked up by exact name first, then by the Component Model's semver compatibility: an
// interface name `ns:pkg/iface@X.Y.Z` matches a definition of the same interface whose version is on the
// same compatibility track (same major; for 0.x the same minor; for 0.0.x the same patch), the newest
// such definition winning.
#include <charconv>

#include "component_runtime/internal.hh"

namespace airwasm::component {

namespace rt {
namespace {

struct Version {
  uint64_t major = 0, minor = 0, patch = 0;
  bool ok = false;
};

// "name@1.2.3" -> ("name", 1.2.3); prerelease/build suffixes make a version exact-match only.
std::pair<std::string_view, Version> split_version(std::string_view name) {
  size_t at = name.rfind('@');
  if (at == std::string_view::npos) return {name, {}};
  std::string_view v = name.substr(at + 1);
  Version out;
  uint64_t* parts[3] = {&out.major, &out.minor, &out.patch};
  size_t pos = 0;
  for (int i = 0; i < 3; ++i) {
    size_t end = i < 2 ? v.find('.', pos) : v.size();
    if (end == std::string_view::npos) return {name.substr(0, at), {}};
    auto [p, ec] = std::from_chars(v.data() + pos, v.data() + end, *parts[i]);
    if (ec != std::errc() || p != v.data() + end) return {name.substr(0, at), {}};
    pos = end + 1;
  }
  out.ok = true;
  return {name.substr(0, at), out};
}

bool same_track(const Version& a, const Version& b) {
  if (a.major != b.major) return false;
  if (a.major > 0) return true;
  if (a.minor != b.minor) return false;
  if (a.minor > 0) return true;
  return a.patch == b.patch;
}

}  // namespace

std::shared_ptr<const LinkerNode> find_import(const LinkerNode& parent, std::string_view name) {
  auto it = parent.children.find(name);
  if (it != parent.children.end()) return it->second;
  auto [base, want] = split_version(name);
  if (!want.ok) return nullptr;
  std::shared_ptr<const LinkerNode> best;
  Version best_v;
  for (auto& [key, node] : parent.children) {
    auto [kbase, have] = split_version(key);
    if (!have.ok || kbase != base || !same_track(want, have)) continue;
    if (!best ||
        std::tie(have.major, have.minor, have.patch) > std::tie(best_v.major, best_v.minor, best_v.patch)) {
      best = node;
      best_v = have;
    }
  }
  return best;
}

}  // namespace rt

namespace {

Result<rt::LinkerNode*> add_child(rt::LinkerImpl& linker, rt::LinkerNode& parent, std::string_view name,
                                  rt::LinkerNode node) {
  auto it = parent.children.find(name);
  if (it != parent.children.end()) {
    if (!linker.shadowing)
      return make_error(ErrorKind::kUsage, "duplicate definition of `" + std::string(name) + "`");
    *it->second = std::move(node);
    return it->second.get();
  }
  auto ptr = std::make_shared<rt::LinkerNode>(std::move(node));
  rt::LinkerNode* raw = ptr.get();
  parent.children.emplace(std::string(name), std::move(ptr));
  return raw;
}

}  // namespace

Result<void> LinkerInstance::func_new(std::string_view name, HostFunc func) {
  rt::LinkerNode node;
  node.kind = rt::LinkerNode::Kind::kFunc;
  node.func = std::make_shared<const HostFunc>(std::move(func));
  AIRWASM_TRY(add_child(*linker_, *node_, name, std::move(node)));
  return {};
}

Result<void> LinkerInstance::func_typed(std::string_view name, std::shared_ptr<const abi::TypedHost> func) {
  if (!func) return make_error(ErrorKind::kUsage, "func_typed needs a function");
  rt::LinkerNode node;
  node.kind = rt::LinkerNode::Kind::kFunc;
  node.typed = std::move(func);
  AIRWASM_TRY(add_child(*linker_, *node_, name, std::move(node)));
  return {};
}

Result<void> LinkerInstance::resource(std::string_view name, ResourceType type, ResourceDtor dtor) {
  if (!type.is_host()) return make_error(ErrorKind::kUsage, "a Linker resource must be a host resource type");
  rt::LinkerNode node;
  node.kind = rt::LinkerNode::Kind::kResource;
  node.resource = type;
  node.dtor = std::make_shared<const ResourceDtor>(std::move(dtor));
  AIRWASM_TRY(add_child(*linker_, *node_, name, std::move(node)));
  return {};
}

LinkerInstance LinkerInstance::instance(std::string_view name) {
  auto it = node_->children.find(name);
  if (it != node_->children.end() && it->second->kind == rt::LinkerNode::Kind::kInstance)
    return LinkerInstance(it->second.get(), linker_);
  auto ptr = std::make_shared<rt::LinkerNode>();
  rt::LinkerNode* raw = ptr.get();
  node_->children[std::string(name)] = std::move(ptr);
  return LinkerInstance(raw, linker_);
}

Linker::Linker(const Engine& engine) : impl_(std::make_unique<rt::LinkerImpl>()) {
  impl_->engine = engine;
}
Linker::~Linker() = default;
Linker::Linker(Linker&&) noexcept = default;
Linker& Linker::operator=(Linker&&) noexcept = default;

LinkerInstance Linker::root() {
  return LinkerInstance(&impl_->root, impl_.get());
}
void Linker::allow_shadowing(bool allow) {
  impl_->shadowing = allow;
}

Result<void> Linker::define_instance(Store& store, std::string_view name, const Instance& instance) {
  rt::ComponentStore& cs = rt::ComponentStore::of(store);
  if (instance.store_id() != store.id() || instance.index() >= cs.instances.size() ||
      !cs.instances[instance.index()].scope)
    return make_error(ErrorKind::kUsage, "instance does not belong to this store");
  rt::LinkerNode* target = &impl_->root;
  if (!name.empty()) target = instance_node(name);
  for (auto& [export_name, item] : cs.instances[instance.index()].scope->exports) {
    rt::LinkerNode node;
    node.kind = rt::LinkerNode::Kind::kItem;
    node.store_id = store.id();
    node.item = item;
    AIRWASM_TRY(add_child(*impl_, *target, export_name, std::move(node)));
  }
  return {};
}

rt::LinkerNode* Linker::instance_node(std::string_view name) {
  auto it = impl_->root.children.find(name);
  if (it != impl_->root.children.end()) return it->second.get();
  auto ptr = std::make_shared<rt::LinkerNode>();
  rt::LinkerNode* raw = ptr.get();
  impl_->root.children[std::string(name)] = std::move(ptr);
  return raw;
}

Result<InstancePre> Linker::instantiate_pre(const Component& component) const {
  auto pre = std::make_shared<rt::InstancePreImpl>();
  pre->component = component.shared_impl();
  const TypeStore& ts = component.impl().types();
  for (const NamedEntity& imp : ts.component(component.impl().validated.type).imports) {
    std::shared_ptr<const rt::LinkerNode> node = rt::find_import(impl_->root, imp.name);
    if (!node) return make_error(ErrorKind::kUnlinkable, "import `" + imp.name + "` has not been defined");
    AIRWASM_TRY(rt::check_import(ts, imp, *node));
    pre->imports.push_back(std::move(node));
  }
  pre->resolved = rt::resolve_plan_imports(component.impl(), pre->imports);
  return InstancePre(std::move(pre));
}

Result<Instance> Linker::instantiate(Store& store, const Component& component) const {
  AIRWASM_TRY_ASSIGN(InstancePre pre, instantiate_pre(component));
  return pre.instantiate(store);
}

Result<Instance> InstancePre::instantiate(Store& store) const {
  return rt::instantiate(store, *impl_);
}

namespace rt {

// Shape check of a definition against an import's type: the kinds and names must be there. Function
// signatures of Val host functions are dynamic and checked at each call, typed ones (func_wrap) here;
// exported functions of other components are compared structurally.
Result<void> check_import(const TypeStore& ts, const NamedEntity& imp, const LinkerNode& node) {
  std::function<Result<void>(const Entity&, const LinkerNode&, const std::string&)> check =
      [&](const Entity& e, const LinkerNode& n, const std::string& path) -> Result<void> {
    auto mismatch = [&](const char* what) {
      return make_error(ErrorKind::kUnlinkable, "import `" + path + "` has the wrong type: expected " + what);
    };
    if (n.kind == LinkerNode::Kind::kItem) return {};  // checked when instantiating
    switch (e.kind) {
      case Entity::Kind::kFunc:
        if (n.kind != LinkerNode::Kind::kFunc) return mismatch("a function");
        // Typed host functions have a static signature: it must match the import's.
        if (n.typed) return check_typed_host(ts, e.type, *n.typed, path);
        return {};
      case Entity::Kind::kInstance: {
        if (n.kind != LinkerNode::Kind::kInstance) return mismatch("an instance");
        for (const NamedEntity& x : ts.instance(e.type).exports) {
          // Value types need no definition: only resource types have a run-time identity.
          if (x.entity.kind == Entity::Kind::kType && ts.canon(x.entity.type).kind != TypeKind::kResource)
            continue;
          auto it = n.children.find(x.name);
          if (it == n.children.end())
            return make_error(ErrorKind::kUnlinkable,
                              "import `" + path + "` has no export `" + x.name + "` defined");
          AIRWASM_TRY(check(x.entity, *it->second, path + "#" + x.name));
        }
        return {};
      }
      case Entity::Kind::kType:
        if (ts.canon(e.type).kind == TypeKind::kResource && n.kind != LinkerNode::Kind::kResource)
          return mismatch("a resource type");
        return {};
      default:
        return make_error(ErrorKind::kUnsupported, "importing a " + std::string(entity_kind_name(e.kind)) +
                                                       " from the host is not supported");
    }
  };
  return check(imp.entity, node, imp.name);
}

}  // namespace rt

}  // namespace airwasm::component
