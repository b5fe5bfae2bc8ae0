// airwasm public API (components): typed calls and typed host functions, without Val.
//
//   auto add = instance.get_typed_func<uint32_t(uint32_t, uint32_t)>(store, "add");   //
//   Result<TypedFunc<...>> TrapResult<uint32_t> sum = add->call(store, 1, 2);
//   linker.instance("test:host/api").func_wrap("greet", [](std::string_view who) { return "hi " +
//   std::string(who); });
//
// The C++ signature is checked against the component function's type when the handle is obtained (or, for
// host functions, at instantiate_pre), so a call cannot disagree with the component: a mismatch is a
// kUsage (calls) or kUnlinkable (imports) error that names the parameter, field or case and both types.
// Calls lower arguments straight from the C++ values into the callee (flat slots, or memory through its
// realloc) and lift results straight out of its slots and memory, with exactly the checks and trap texts
// of the Val path (the same canon functions do strings, list bounds and allocation). Scalar signatures
// allocate nothing.
//
// Type mapping (C++ -> WIT):
//   bool, int8_t..int64_t, uint8_t..uint64_t, float, double, char32_t   bool, s8..s64, u8..u64, f32, f64,
//   char std::string (params and results), std::string_view (params only)    string std::vector<T> list<T>
//   std::optional<T>       option<T> std::tuple<T...>               tuple<T...>      WitResult<T, E>
//   result<T, E> (T or E may be void) ResourceAny                    own<R> / borrow<R> (an owned host handle
//   is moved into the guest) user types through WitType<T>:
//     record   template <> struct WitType<Point> {
//                static constexpr auto fields = std::make_tuple(wit_field("x", &Point::x), wit_field("y",
//                &Point::y)); };
//     flags    struct of bools:  static constexpr auto flags = std::make_tuple(wit_field("read",
//     &Perms::read), ...); enum     a C++ enum with values 0..n-1:  static constexpr std::array cases{"red",
//     "green", "blue"}; variant  a std::variant (or a class derived from one), one alternative per case in
//     order, std::monostate
//              for a case without payload:  static constexpr std::array cases{"circle", "square", "none"};
//     bit-set flags  `T::bits` (an unsigned integer, bit i = flag i) and
//              static constexpr std::array flag_names{"read", "write"};  (what `airwasm bindgen` generates)
//   Own<Tag> / Borrow<Tag>  own<R> / borrow<R> with a static type: Own is an RAII owned handle (typed_abi.hh)
//   Names and order must be the component's (checked when the handle is obtained).
//
// Host functions (LinkerInstance::func_wrap) take the same types (optionally `Store&` first) and return R or
// TrapResult<R>. Their parameters are lifted as the owning types (std::string for std::string_view).
#pragma once

#include <memory>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "airwasm/component/func.hh"
#include "airwasm/component/instance.hh"
#include "airwasm/component/linker.hh"
#include "airwasm/component/sliced.hh"
#include "airwasm/component/typed_abi.hh"

namespace airwasm::component {

// ---------------------------------------------------------------- TypedSlicedCall

// A sliced call of a TypedFunc (TypedFunc::start_sliced; airwasm/component/sliced.hh says what slicing is).
template <typename R>
class TypedSlicedCall {
 public:
  // Runs the next slice. A trap ends the call.
  TrapResult<CallStatus> resume(Store& store, uint64_t slice_fuel) {
    if (!call_) return std::unexpected(Trap(TrapCode::kHostError, "the call has already finished"));
    auto r = abi::resume_sliced(store, *call_, slice_fuel);
    status_ = r ? *r : CallStatus::kFinished;
    if (status_ == CallStatus::kFinished) call_.reset();
    return r;
  }
  CallStatus status() const { return status_; }
  bool finished() const { return status_ == CallStatus::kFinished; }
  // The result, once finished without a trap.
  R take_result()
    requires(!std::is_void_v<R>)
  {
    return std::move(box_->result.value);
  }
  // Drops a suspended call (the entered instances stay poisoned, as after a trap).
  void abandon(Store& store) {
    if (call_) abi::abandon_sliced(store, *call_);
    call_.reset();
    status_ = CallStatus::kFinished;
  }

 private:
  template <typename>
  friend class TypedFunc;
  struct Box {
    const void* args = nullptr;  // the argument tuple, during start only
    abi::Slot<R> result;
  };
  TypedSlicedCall(std::unique_ptr<Box> box, abi::SlicedLiftedPtr call, CallStatus status)
      : box_(std::move(box)), call_(std::move(call)), status_(status) {
    if (status_ == CallStatus::kFinished) call_.reset();
  }
  std::unique_ptr<Box> box_;   // heap: the lift writes into it when the call finishes
  abi::SlicedLiftedPtr call_;  // declared after box_: destroyed (abandoning a suspended call) first
  CallStatus status_ = CallStatus::kFinished;
};

// ---------------------------------------------------------------- TypedFunc

template <typename R, typename... A>
class TypedFunc<R(A...)> {
  using P = abi::Params<A...>;

 public:
  // Checks `func`'s type against R(A...); kUsage error naming the first mismatch.
  static Result<TypedFunc> from(Store& store, const Func& func) {
    auto ok = abi::check_func(store, func, &check);
    if (!ok) return std::unexpected(std::move(ok.error()));
    return TypedFunc(func);
  }

  TrapResult<R> call(Store& store, const A&... args) const { return call_with(store, nullptr, args...); }
  TrapResult<R> call(Store& store, const CallOptions& options, const A&... args) const {
    return call_with(store, &options, args...);
  }
  // Starts a sliced call (airwasm/component/sliced.hh): lowers the arguments and runs the first slice.
  TrapResult<TypedSlicedCall<R>> start_sliced(Store& store, uint64_t slice_fuel, const A&... args) const {
    const std::tuple<const A&...> tuple(args...);
    auto box = std::make_unique<typename TypedSlicedCall<R>::Box>();
    box->args = &tuple;
    CallStatus status = CallStatus::kFinished;
    auto call = abi::start_sliced(store, func_, abi::Marshal{box.get(), &sliced_lower, &sliced_lift},
                                  slice_fuel, &status);
    if (!call) return std::unexpected(std::move(call.error()));
    box->args = nullptr;  // lowered: `tuple` goes out of scope
    return TypedSlicedCall<R>(std::move(box), std::move(*call), status);
  }
  const Func& func() const { return func_; }

 private:
  explicit TypedFunc(const Func& f) : func_(f) {}

  static TrapResult<void> sliced_lower(void* self, abi::Cx& cx, uint64_t* slots) {
    const auto* args = static_cast<const std::tuple<const A&...>*>(static_cast<Box*>(self)->args);
    return P::lower(cx, *args, slots, abi::kMaxFlatParams, typename P::Seq{});
  }
  static TrapResult<void> sliced_lift(void* self, abi::Cx& cx, const uint64_t* slots) {
    if constexpr (std::is_void_v<R>) {
      return {};
    } else {
      return abi::ResultOf<R>::lift(cx, slots, static_cast<Box*>(self)->result.value);
    }
  }
  using Box = typename TypedSlicedCall<R>::Box;

  static bool check(abi::Checker& c, const abi::TypeView& fn) {
    return P::check(c, fn, typename P::Seq{}) && abi::ResultOf<R>::check(c, fn);
  }

  struct Frame {
    std::tuple<const A&...> args;
    abi::Slot<R> result;
  };
  static TrapResult<void> lower(void* self, abi::Cx& cx, uint64_t* slots) {
    return P::lower(cx, static_cast<Frame*>(self)->args, slots, abi::kMaxFlatParams, typename P::Seq{});
  }
  static TrapResult<void> lift(void* self, abi::Cx& cx, const uint64_t* slots) {
    if constexpr (std::is_void_v<R>) {
      return {};
    } else {
      return abi::ResultOf<R>::lift(cx, slots, static_cast<Frame*>(self)->result.value);
    }
  }

  TrapResult<R> call_with(Store& store, const CallOptions* options, const A&... args) const {
    Frame frame{std::tuple<const A&...>(args...), {}};
    const abi::Marshal m{&frame, &lower, &lift};
    auto r = abi::call(store, func_, m, options);
    if (!r) return std::unexpected(std::move(r.error()));
    if constexpr (std::is_void_v<R>) {
      return {};
    } else {
      return std::move(frame.result.value);
    }
  }

  Func func_;
};

template <typename Sig>
Result<TypedFunc<Sig>> Instance::get_typed_func(Store& store, std::string_view name) const {
  auto f = get_func(store, name);
  if (!f) return make_error(ErrorKind::kUsage, "no exported function `" + std::string(name) + "`");
  return TypedFunc<Sig>::from(store, *f);
}

// ---------------------------------------------------------------- typed host functions

namespace abi {

template <typename T>
struct Unwrap {
  using type = T;
};
template <typename T>
struct Unwrap<TrapResult<T>> {
  using type = T;
};

template <typename F, typename Sig>
class TypedHostImpl;
template <typename F, typename Ret, typename... A>
class TypedHostImpl<F, Ret(A...)> final : public TypedHost {
  using R = typename Unwrap<Ret>::type;
  static constexpr bool kStore =
      sizeof...(A) > 0 && std::is_same_v<std::tuple_element_t<0, std::tuple<A..., void>>, Store&>;

 public:
  explicit TypedHostImpl(F f) : f_(std::move(f)) {}

  bool check(Checker& c, const TypeView& fn) const override {
    return check_params(c, fn, std::integral_constant<bool, kStore>{}) && ResultOf<R>::check(c, fn);
  }

  TrapResult<void> call(Store& store, Cx& cx, uint64_t* slots, size_t max_params,
                        const uint32_t* retptr) const override {
    return call_params(store, cx, slots, max_params, retptr, std::integral_constant<bool, kStore>{});
  }

 private:
  template <typename S, typename... B>
  static bool check_with(Checker& c, const TypeView& fn, std::tuple<S, B...>*) {
    return Params<B...>::check(c, fn, std::index_sequence_for<B...>{});
  }
  template <typename... B>
  static bool check_without(Checker& c, const TypeView& fn, std::tuple<B...>*) {
    return Params<B...>::check(c, fn, std::index_sequence_for<B...>{});
  }
  static bool check_params(Checker& c, const TypeView& fn, std::true_type) {
    return check_with(c, fn, static_cast<std::tuple<A...>*>(nullptr));
  }
  static bool check_params(Checker& c, const TypeView& fn, std::false_type) {
    return check_without(c, fn, static_cast<std::tuple<A...>*>(nullptr));
  }

  template <typename... B>
  TrapResult<void> run(Store& store, Cx& cx, uint64_t* slots, size_t max_params,
                       const uint32_t* retptr) const {
    std::tuple<Owned<B>...> args;
    if (auto lifted = Params<B...>::lift(cx, args, slots, max_params, std::index_sequence_for<B...>{});
        !lifted)
      return lifted;
    auto invoke = [&]() -> decltype(auto) {
      return std::apply(
          [&](auto&... a) -> decltype(auto) {
            if constexpr (kStore)
              return f_(store, a...);
            else
              return f_(a...);
          },
          args);
    };
    if constexpr (std::is_void_v<Ret>) {
      invoke();
      return {};
    } else if constexpr (std::is_same_v<Ret, TrapResult<void>>) {
      return invoke();
    } else if constexpr (!std::is_same_v<Ret, R>) {  // TrapResult<R>
      Ret r = invoke();
      if (!r) return std::unexpected(std::move(r.error()));
      return ResultOf<R>::lower(cx, *r, slots, retptr);
    } else {
      const R r = invoke();
      return ResultOf<R>::lower(cx, r, slots, retptr);
    }
  }
  template <typename S, typename... B>
  TrapResult<void> run_tuple(Store& s, Cx& cx, uint64_t* slots, size_t m, const uint32_t* rp,
                             std::tuple<S, B...>*) const {
    return run<B...>(s, cx, slots, m, rp);
  }
  template <typename... B>
  TrapResult<void> run_all(Store& s, Cx& cx, uint64_t* slots, size_t m, const uint32_t* rp,
                           std::tuple<B...>*) const {
    return run<B...>(s, cx, slots, m, rp);
  }
  TrapResult<void> call_params(Store& s, Cx& cx, uint64_t* slots, size_t m, const uint32_t* rp,
                               std::true_type) const {
    return run_tuple(s, cx, slots, m, rp, static_cast<std::tuple<A...>*>(nullptr));
  }
  TrapResult<void> call_params(Store& s, Cx& cx, uint64_t* slots, size_t m, const uint32_t* rp,
                               std::false_type) const {
    return run_all(s, cx, slots, m, rp, static_cast<std::tuple<A...>*>(nullptr));
  }

  mutable F f_;
};

// The signature of a callable (lambda, function pointer, functor with one operator()).
template <typename F>
struct Signature : Signature<decltype(&F::operator())> {};
template <typename Ret, typename... A>
struct Signature<Ret (*)(A...)> {
  using type = Ret(A...);
};
template <typename C, typename Ret, typename... A>
struct Signature<Ret (C::*)(A...) const> {
  using type = Ret(A...);
};
template <typename C, typename Ret, typename... A>
struct Signature<Ret (C::*)(A...)> {
  using type = Ret(A...);
};

}  // namespace abi

template <typename F>
Result<void> LinkerInstance::func_wrap(std::string_view name, F func) {
  using Sig = typename abi::Signature<std::decay_t<F>>::type;
  return func_typed(name, std::make_shared<abi::TypedHostImpl<std::decay_t<F>, Sig>>(std::move(func)));
}

}  // namespace airwasm::component
