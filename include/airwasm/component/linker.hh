// airwasm public API (components): the component Linker. Definitions form a tree of named instances
// ("wasi:cli/environment@0.2.6" holding functions and resource types); a component's imports are looked
// up in it by name, with the Component Model's semver rules for versioned interface names (an import of
// `@0.2.3` is satisfied by a definition at `@0.2.6`: same major version, or same minor for 0.x).
// `instantiate_pre` resolves and type-checks every import once; InstancePre::instantiate then does only
// the per-instance work. Instances of other components can be defined too (component-to-component
// linking: their exported functions become imports of the next component, with the canonical ABI
// adapting values, strings and handles between the two).
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "airwasm/component/component.hh"
#include "airwasm/component/instance.hh"
#include "airwasm/component/resource.hh"
#include "airwasm/component/val.hh"
#include "airwasm/store.hh"

namespace airwasm::component {

namespace rt {
struct LinkerImpl;
struct LinkerNode;
struct InstancePreImpl;
}  // namespace rt
namespace abi {
class TypedHost;
}

// A host function on dynamic values. `params` have the import's parameter types; `results` has one slot
// per result (0 or 1), to be filled with values of the result type. A returned Trap ends the guest call.
using HostFunc =
    std::function<TrapResult<void>(Store& store, std::span<const Val> params, std::span<Val> results)>;
// Called when the last owned handle of a host-defined resource is dropped by a guest (or the host).
using ResourceDtor = std::function<void(Store& store, uint32_t rep)>;

class LinkerInstance {
 public:
  Result<void> func_new(std::string_view name, HostFunc func);
  // A host function from a C++ callable on typed values (defined in airwasm/component/typed.hh, which
  // must be included to use it). Its signature is checked against the import at instantiate_pre.
  template <typename F>
  Result<void> func_wrap(std::string_view name, F func);
  Result<void> func_typed(std::string_view name, std::shared_ptr<const abi::TypedHost> func);
  // A host-defined resource type under `name`. Guests create handles through host functions that return
  // own handles made with resource_new_own (resource.hh).
  Result<void> resource(std::string_view name, ResourceType type, ResourceDtor dtor);
  // A nested instance (created on first use).
  LinkerInstance instance(std::string_view name);

  explicit LinkerInstance(rt::LinkerNode* node, rt::LinkerImpl* linker) : node_(node), linker_(linker) {}

 private:
  rt::LinkerNode* node_;
  rt::LinkerImpl* linker_;
};

class InstancePre {
 public:
  Result<Instance> instantiate(Store& store) const;
  explicit InstancePre(std::shared_ptr<const rt::InstancePreImpl> impl) : impl_(std::move(impl)) {}
  const rt::InstancePreImpl& impl() const { return *impl_; }

 private:
  std::shared_ptr<const rt::InstancePreImpl> impl_;
};

class Linker {
 public:
  explicit Linker(const Engine& engine);
  ~Linker();
  Linker(Linker&&) noexcept;
  Linker& operator=(Linker&&) noexcept;

  LinkerInstance root();
  LinkerInstance instance(std::string_view name) { return root().instance(name); }
  // Later definitions of a name replace earlier ones when allowed (default: a duplicate is an error).
  void allow_shadowing(bool allow);
  // Defines the exports of an instantiated component under `name` ("" = at the root): its functions and
  // instances become definitions bound to `store`.
  Result<void> define_instance(Store& store, std::string_view name, const Instance& instance);

  // Resolves and type-checks the component's imports. Errors are kUnlinkable and name the import.
  Result<InstancePre> instantiate_pre(const Component& component) const;
  Result<Instance> instantiate(Store& store, const Component& component) const;

  rt::LinkerImpl& impl() const { return *impl_; }

 private:
  rt::LinkerNode* instance_node(std::string_view name);
  std::unique_ptr<rt::LinkerImpl> impl_;
};

// Host-side handle operations (resource.hh types).
// A new owned handle of a host-defined resource type, for a host function to return.
Result<ResourceAny> resource_new_own(Store& store, ResourceType type, uint32_t rep);
// The representation of a host-defined resource behind a handle the host holds (own or borrow).
Result<uint32_t> resource_rep(Store& store, const ResourceAny& handle);
// Drops a handle the host holds: an owned one runs the resource's destructor (guest or host).
Result<void> resource_drop(Store& store, const ResourceAny& handle);

}  // namespace airwasm::component
