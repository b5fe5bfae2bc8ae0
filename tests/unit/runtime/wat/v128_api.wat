;; v128 at the embedding API (v128_api_test.cc): a host import mixing v128 and scalar parameters and
;; results, and a mutable v128 global read and written from both sides.
(module
  (import "host" "mix" (func $mix (param v128 i32 v128) (result v128 i64 v128)))
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
  (func (export "run") (param v128 v128) (result v128 i64 v128)
    (call $mix (local.get 0) (i32.const 5) (local.get 1)))
  (func (export "get_g") (result v128) (global.get $g))
  (func (export "set_g") (param v128) (global.set $g (local.get 0)))
  (func (export "add_g") (param v128) (result v128)
    (i32x4.add (local.get 0) (global.get $g))))
