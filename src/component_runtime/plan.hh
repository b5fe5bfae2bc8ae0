// component runtime: the flat instantiation plan. Component::compile translates a component once into a
// list of steps (translate_plan): the definitions of the root component and of every component it
// instantiates, nested ones inlined, reduced to the work an instantiation must do at run time (make a
// component instance record, instantiate a core module with its imports given by position, lift, lower,
// define a resource type, ...). Everything else a definition walk resolves per instance (index spaces,
// aliases, export bags, name lookups, outer scopes, which static resource stands for which) is resolved
// here, once. Each step that makes something appends it to one of the run-time vectors of an
// instantiation (externs, funcs, core instances, component instances, resources, resource maps), so every
// operand is a position in one of them, known at compile time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "airwasm/module.hh"
#include "canon/abi.hh"
#include "component/types.hh"

namespace airwasm::component::rt {

struct LowerShape;
struct ComponentImpl;

constexpr uint32_t kNoSlot = ~uint32_t{0};

// Canonical options whose core items are extern slots of the plan.
struct PlanOptions {
  canon::StringEncoding encoding = canon::StringEncoding::kUtf8;
  uint32_t memory = kNoSlot, realloc = kNoSlot, post_return = kNoSlot;
  bool async = false, callback = false;
};

// A function or resource type the root component imports, addressed by the root import and the export
// names below it ("wasi:io/streams@0.2.0" then "[method]output-stream.write"). InstancePre resolves each
// one against the Linker once.
struct PlanImport {
  uint32_t root = 0;
  std::vector<std::string> names;
  std::string text;  // the path as error messages spell it: root#name#...
  bool resource = false;
  TypeId type = kNoType;  // a function import's function type
};

struct PlanStep {
  enum class Op : uint8_t {
    kNewInstance,     // instances += a component instance record whose parent is instance slot `a`
    kImportFunc,      // funcs += the function of plan import `a`
    kImportResource,  // resources += the resource type of plan import `a`
    kDefineResource,  // resources += a guest resource type of `instance` (destructor: extern `a`)
    kResourceMap,     // maps += static resource id -> resources[slot], for `entries`
    kInstantiate,     // core_instances += `module` instantiated with `args` (extern slots, by position)
    kCoreExport,      // externs += export number `a` of core instance `b`
    kLift,            // funcs += `(canon lift)` of extern `a`
    kLower,           // externs += `(canon lower)` of func `a`
    kResourceNew,     // externs += resource.new of resource `a`
    kResourceRep,     // externs += resource.rep of resource `a`
    kResourceDrop,    // externs += resource.drop of resource `a`
    kTaskReturn,      // externs += task.return
    kBackpressure,    // externs += backpressure.inc (a = 1) or .dec (a = 0)
    kContext,         // externs += context.get (b = 0) / context.set (b = 1) of slot `a`
    kUnsupported,     // externs += a built-in that traps ("not supported yet")
  };
  Op op = Op::kNewInstance;
  uint32_t a = 0, b = 0;
  uint32_t instance = 0;   // the component instance slot the step belongs to
  uint32_t map = kNoSlot;  // the resource map slot of the scope (lift, lower, task.return)
  TypeId type = kNoType;   // lift: function type; lower: callee type
  TypeId func_node = kNoType;
  std::optional<TypeId> result;  // task.return
  ValType rep = ValType::kI32;   // resource.new / rep
  PlanOptions options;
  std::vector<uint32_t> args;
  std::optional<Module> module;
  std::shared_ptr<const LowerShape> shape;  // lower: computed at compile time
  std::vector<std::pair<ResourceId, uint32_t>> entries;
  FuncType builtin_type;
  std::string builtin_name;
};

// A root export, as the Instance API and Linker::define_instance see it.
struct PlanItem {
  enum class Kind : uint8_t { kFunc, kInstance, kType, kModule };
  Kind kind = Kind::kFunc;
  uint32_t func = kNoSlot;                                // kFunc: func slot
  std::vector<std::pair<std::string, PlanItem>> exports;  // kInstance
  TypeId type = kNoType;                                  // kType
  uint32_t resource = kNoSlot;                            // kType of a resource: resource slot
  std::optional<Module> module;                           // kModule
};

struct Plan {
  std::vector<PlanStep> steps;
  std::vector<PlanImport> imports;
  std::vector<std::pair<std::string, PlanItem>> exports;
  uint32_t externs = 0, funcs = 0, core_instances = 0, instances = 0, resources = 0, maps = 0;
};

// Translates a validated component into its plan. An error means that the plan cannot express this
// component (a root import of a component or core module, a root export of a component definition) or
// that instantiation would fail anyway; instantiation then walks the definitions (instantiate.cc), which
// gives the same result and error messages.
Result<std::shared_ptr<const Plan>> translate_plan(const ComponentImpl& component);

}  // namespace airwasm::component::rt
