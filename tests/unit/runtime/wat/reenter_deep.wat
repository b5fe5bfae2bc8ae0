;; For baseline_tiers_test.cc: compiled recursion whose innermost call re-enters wasm through a host
;; function, nesting activations on one ExecContext while the outer one still has frames entered by
;; native calls (docs/compiler.md, "Calls"): rec(n, k) = n + reenter(k), reenter(k) = k == 0 ? 0 :
;; rec(n, k - 1) in a nested activation; each level is deeper than the 4,096 native calls an activation
;; may nest, so both kinds of frames are live at every level.
(module
  (import "host" "reenter" (func $reenter (param i32 i32) (result i32)))
  (func $rec (export "rec") (param $n i32) (param $k i32) (result i32)
    local.get $n
    i32.eqz
    if (result i32)
      local.get $n
      local.get $k
      call $reenter
    else
      local.get $n
      i32.const 1
      i32.sub
      local.get $k
      call $rec
      i32.const 1
      i32.add
    end))
