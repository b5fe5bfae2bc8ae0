// airwasm public API: host functions as ordinary C++ callables. The WebAssembly signature is deduced
// from the callable's C++ signature, so it cannot disagree with the code:
//
//   func_wrap(linker, "env", "add", [](int32_t a, int32_t b) { return a + b; });        // (i32 i32) -> i32
//   func_wrap(linker, "env", "log", [&](Caller& c, uint32_t ptr, uint32_t len) { ... }); // Caller first
//   Func f = wrap_func(store, [](double x) -> TrapResult<double> {                       // may trap
//     if (x < 0) return std::unexpected(Trap(TrapCode::kHostError, "negative"));
//     return std::sqrt(x);
//   });
//
// Parameter types: int32_t/uint32_t (i32), int64_t/uint64_t (i64), float (f32), double (f64), V128 (v128),
// FuncRefArg / ExternRefArg (references). Results: void, one of those, a std::tuple of them (several
// results), or TrapResult<...> of any of these. An optional first parameter `Caller&` gives access to the
// calling instance. The wrapper works on the interpreter's raw slots directly (no Val conversion).
#pragma once

#include <cstring>
#include <tuple>
#include <type_traits>
#include <utility>

#include "airwasm/extern.hh"
#include "airwasm/instance.hh"

namespace airwasm {

// Reference arguments and results of typed host functions.
struct FuncRefArg {
  Ref ref;
};
struct ExternRefArg {
  Ref ref;
};

namespace typed {

template <typename T>
struct ValTypeOf;
template <>
struct ValTypeOf<int32_t> {
  static constexpr ValType value = ValType::kI32;
};
template <>
struct ValTypeOf<uint32_t> {
  static constexpr ValType value = ValType::kI32;
};
template <>
struct ValTypeOf<int64_t> {
  static constexpr ValType value = ValType::kI64;
};
template <>
struct ValTypeOf<uint64_t> {
  static constexpr ValType value = ValType::kI64;
};
template <>
struct ValTypeOf<float> {
  static constexpr ValType value = ValType::kF32;
};
template <>
struct ValTypeOf<double> {
  static constexpr ValType value = ValType::kF64;
};
template <>
struct ValTypeOf<V128> {
  static constexpr ValType value = ValType::kV128;
};
template <>
struct ValTypeOf<FuncRefArg> {
  static constexpr ValType value = ValType::kFuncRef;
};
template <>
struct ValTypeOf<ExternRefArg> {
  static constexpr ValType value = ValType::kExternRef;
};

template <typename T>
constexpr unsigned kSlots = std::is_same_v<T, V128> ? 2 : 1;

// Slot encoding of references differs from the Val encoding for funcref (the interpreter keeps
// function-instance pointers); these two helpers convert through the runtime (runtime/call.cc).
Ref funcref_from_slot(uint64_t bits);
uint64_t funcref_to_slot(Caller& caller, Ref ref);

template <typename T>
T read_slot(Caller& caller, const uint64_t* slot) {
  if constexpr (std::is_same_v<T, FuncRefArg>) {
    return FuncRefArg{funcref_from_slot(slot[0])};
  } else if constexpr (std::is_same_v<T, ExternRefArg>) {
    return ExternRefArg{Ref{slot[0]}};
  } else {
    T v;
    std::memcpy(static_cast<void*>(&v), slot, sizeof(T));  // V128 is trivially copyable
    return v;
  }
}

template <typename T>
void write_slot(Caller& caller, uint64_t* slot, const T& v) {
  if constexpr (std::is_same_v<T, FuncRefArg>) {
    slot[0] = funcref_to_slot(caller, v.ref);
  } else if constexpr (std::is_same_v<T, ExternRefArg>) {
    slot[0] = v.ref.bits;
  } else {
    slot[0] = 0;
    std::memcpy(slot, &v, sizeof(T));
  }
}

template <typename T>
struct IsTuple : std::false_type {};
template <typename... Ts>
struct IsTuple<std::tuple<Ts...>> : std::true_type {};
template <typename T>
struct IsTrapResult : std::false_type {};
template <typename T>
struct IsTrapResult<TrapResult<T>> : std::true_type {};
template <typename R>
struct UnwrapTrapResult {
  using type = R;
};
template <typename T>
struct UnwrapTrapResult<TrapResult<T>> {
  using type = T;
};

// The result list of a return type R (TrapResult unwrapped, tuples expanded).
template <typename R>
struct Results {
  using tuple = std::tuple<R>;
};
template <>
struct Results<void> {
  using tuple = std::tuple<>;
};
template <typename... Ts>
struct Results<std::tuple<Ts...>> {
  using tuple = std::tuple<Ts...>;
};

template <typename Tuple>
struct TypeList;
template <typename... Ts>
struct TypeList<std::tuple<Ts...>> {
  static std::vector<ValType> get() { return {ValTypeOf<std::decay_t<Ts>>::value...}; }
};

template <typename F>
struct Signature : Signature<decltype(&F::operator())> {};
template <typename C, typename R, typename... A>
struct Signature<R (C::*)(A...) const> {
  using result = R;
  using args = std::tuple<A...>;
};
template <typename C, typename R, typename... A>
struct Signature<R (C::*)(A...)> {
  using result = R;
  using args = std::tuple<A...>;
};
template <typename R, typename... A>
struct Signature<R (*)(A...)> {
  using result = R;
  using args = std::tuple<A...>;
};

template <typename Args>
struct DropCaller {
  using type = Args;
  static constexpr bool has_caller = false;
};
template <typename First, typename... Rest>
struct DropCaller<std::tuple<First, Rest...>> {
  static constexpr bool has_caller = std::is_same_v<First, Caller&>;
  using type = std::conditional_t<has_caller, std::tuple<Rest...>, std::tuple<First, Rest...>>;
};

template <typename Tuple, size_t... I>
Tuple read_args(Caller& caller, const uint64_t* slots, std::index_sequence<I...>) {
  constexpr unsigned sizes[] = {kSlots<std::tuple_element_t<I, Tuple>>..., 0};
  unsigned offsets[sizeof...(I) + 1] = {};
  for (size_t i = 0; i < sizeof...(I); ++i) offsets[i + 1] = offsets[i] + sizes[i];
  (void)slots;  // unused for a function without parameters
  return Tuple{read_slot<std::tuple_element_t<I, Tuple>>(caller, slots + offsets[I])...};
}

template <typename Tuple, size_t... I>
void write_results(Caller& caller, uint64_t* slots, const Tuple& values, std::index_sequence<I...>) {
  unsigned offset = 0;
  ((write_slot(caller, slots + offset, std::get<I>(values)),
    offset += kSlots<std::tuple_element_t<I, Tuple>>),
   ...);
}

template <typename F>
std::pair<FuncType, RawHostCallback> make(F&& f) {
  using Sig = Signature<std::decay_t<F>>;
  using Drop = DropCaller<typename Sig::args>;
  using Params = typename Drop::type;
  using R = typename Sig::result;
  using Value = typename UnwrapTrapResult<R>::type;
  using ResultTuple = typename Results<Value>::tuple;
  FuncType type{TypeList<Params>::get(), TypeList<ResultTuple>::get()};
  RawHostCallback raw = [f = std::forward<F>(f)](Caller& caller,
                                                 uint64_t* slots) mutable -> TrapResult<void> {
    Params params = read_args<Params>(caller, slots, std::make_index_sequence<std::tuple_size_v<Params>>());
    const auto invoke = [&]() -> decltype(auto) {
      if constexpr (Drop::has_caller)
        return std::apply([&](auto&&... a) -> decltype(auto) { return f(caller, a...); }, params);
      else
        return std::apply(f, params);
    };
    if constexpr (std::is_void_v<R>) {
      invoke();
    } else if constexpr (IsTrapResult<R>::value) {
      R r = invoke();
      if (!r) return std::unexpected(std::move(r.error()));
      if constexpr (!std::is_void_v<Value>) {
        ResultTuple values{std::move(*r)};
        write_results(caller, slots, values, std::make_index_sequence<std::tuple_size_v<ResultTuple>>());
      }
    } else {
      ResultTuple values{invoke()};
      write_results(caller, slots, values, std::make_index_sequence<std::tuple_size_v<ResultTuple>>());
    }
    return {};
  };
  return {std::move(type), std::move(raw)};
}

}  // namespace typed

// Creates a host function in `store` from a C++ callable (see the top of this file).
template <typename F>
Func wrap_func(Store& store, F&& f) {
  auto [type, raw] = typed::make(std::forward<F>(f));
  return Func::wrap_raw(store, std::move(type), std::move(raw));
}

// Defines a Store-independent host function in `linker` from a C++ callable.
template <typename F>
Result<void> func_wrap(Linker& linker, std::string_view module, std::string_view name, F&& f) {
  auto [type, raw] = typed::make(std::forward<F>(f));
  return linker.define_func_raw(module, name, std::move(type), std::move(raw));
}

}  // namespace airwasm
