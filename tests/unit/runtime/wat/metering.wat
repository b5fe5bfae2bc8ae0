;; Fixtures for fuel, interruption, limits and sliced-call tests. Fuel costs (wasmtime's accounting):
;; 0 for nop/drop/block/loop/unreachable/return/else/end, 1 for everything else.
(module
  (import "host" "yield" (func $yield))
  (import "host" "charge" (func $charge (param i32)))
  (import "host" "reenter" (func $reenter (param i32) (result i32)))
  (memory (export "memory") 1)
  (table (export "table") 1 funcref)

  ;; 5 fuel per iteration: local.get, i32.const, i32.add, local.set, br.
  (func (export "spin") (local i32)
    (loop
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (br 0)))

  ;; i32.const, i32.const, i32.add = 3 fuel.
  (func (export "three") (result i32)
    (i32.add (i32.const 1) (i32.const 2)))

  ;; Sum 1..n with a counted loop: returns n(n+1)/2 (as i64).
  (func $sum (export "sum") (param i32) (result i64) (local i64)
    (block
      (loop
        (br_if 1 (i32.eqz (local.get 0)))
        (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br 0)))
    (local.get 1))

  ;; Exponential recursion of depth n without any loop: only call checks can stop it.
  (func $tree (export "tree") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (i32.add (call $tree (i32.sub (local.get 0) (i32.const 1)))
                     (call $tree (i32.sub (local.get 0) (i32.const 1)))))))

  ;; Linear recursion to depth n, then spin forever at the bottom.
  (func $deep (export "deep") (param i32)
    (if (i32.eqz (local.get 0))
      (then (loop (br 0))))
    (call $deep (i32.sub (local.get 0) (i32.const 1))))

  ;; memory.grow by n pages: returns the old size or -1.
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "table_grow") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0)))

  ;; Calls the host, which asks to yield, k times; returns k.
  (func (export "yield_n") (param i32) (result i32) (local i32)
    (block
      (loop
        (br_if 1 (i32.ge_u (local.get 1) (local.get 0)))
        (call $yield)
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br 0)))
    (local.get 1))

  ;; Host charges n fuel, then 2 more for this function's own instructions before the call.
  (func (export "charge") (param i32) (call $charge (local.get 0)))

  ;; Calls into the host, which re-enters `sum`; returns what the host returned.
  (func (export "outer") (param i32) (result i32) (call $reenter (local.get 0)))
)
