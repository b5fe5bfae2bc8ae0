// airwasm public API (components): resource handles held by the host.
//
// ResourceType names a resource type at run time: a host-defined type (registered with the component
// Linker, implemented by a C++ object) or a guest-defined type (each instantiation of a component that
// defines `(type (resource ...))` makes a new one).
//
// ResourceAny is a handle the host holds to a resource of any type, owned or borrowed. It is an index into
// the Store's table of host-held handles, not the resource itself: lowering an owned handle into a call
// moves it into the guest and consumes the host's entry (using it again is an "unknown handle" error), so
// an owned resource is never dropped twice. A borrowed handle the host receives as a parameter of a host
// function is valid until that host function returns.
#pragma once

#include <cstdint>

namespace airwasm {
class Store;
}

namespace airwasm::component {

class ResourceType {
 public:
  ResourceType() = default;
  // Host-defined: an id allocated once per defined host resource type (see Linker).
  static ResourceType host(uint64_t id) { return ResourceType((id << 1) | 1); }
  // Guest-defined: an index into the Store's resource types, made at instantiation.
  static ResourceType guest(uint64_t store_index) { return ResourceType(store_index << 1); }
  bool is_host() const { return (bits_ & 1) != 0; }
  uint64_t id() const { return bits_ >> 1; }
  uint64_t bits() const { return bits_; }
  bool operator==(const ResourceType&) const = default;

 private:
  explicit ResourceType(uint64_t bits) : bits_(bits) {}
  uint64_t bits_ = ~uint64_t{0};
};

class ResourceAny {
 public:
  ResourceAny() = default;
  ResourceAny(uint64_t store_id, uint32_t index, uint32_t generation, ResourceType type, bool owned)
      : store_id_(store_id), index_(index), generation_(generation), type_(type), owned_(owned) {}

  bool owned() const { return owned_; }
  ResourceType type() const { return type_; }
  uint64_t store_id() const { return store_id_; }
  uint32_t index() const { return index_; }
  uint32_t generation() const { return generation_; }
  bool operator==(const ResourceAny&) const = default;

 private:
  uint64_t store_id_ = 0;
  uint32_t index_ = 0;
  uint32_t generation_ = 0;
  ResourceType type_;
  bool owned_ = false;
};

}  // namespace airwasm::component
