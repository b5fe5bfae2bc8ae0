;; Functions for baseline_tiers_test.cc: the same calls run by the interpreter and by compiled code must
;; give the same results, traps, backtraces and fuel. The test leaves $interp_* (functions 4 and 9) to the
;; interpreter, so calls between them and compiled functions cross tiers in both directions; they also use
;; SIMD ops, which compiled code runs through out-of-line functions.
(module
  (import "host" "add1" (func $add1 (param i32) (result i32)))
  (import "host" "yield" (func $yield))
  (table 5 funcref)  ;; element 4 stays null
  (elem (i32.const 0) $fib $interp_double $add1 $leaf)
  (type $i2i (func (param i32) (result i32)))

  (func $fib (export "fib") (param $n i32) (result i32)
    local.get $n
    i32.const 2
    i32.lt_s
    if (result i32)
      local.get $n
    else
      local.get $n
      i32.const 1
      i32.sub
      call $fib
      local.get $n
      i32.const 2
      i32.sub
      call $fib
      i32.add
    end)

  ;; n + (n-1) + ... + 1 in a loop
  (func $sum (export "sum") (param $n i32) (result i32) (local $s i32)
    block $done
      loop $top
        local.get $n
        i32.eqz
        br_if $done
        local.get $s
        local.get $n
        i32.add
        local.set $s
        local.get $n
        i32.const 1
        i32.sub
        local.set $n
        br $top
      end
    end
    local.get $s)

  ;; interpreted (SIMD): 2 * x, by calling the compiled $leaf twice
  (func $interp_double (param $x i32) (result i32)
    (i32x4.extract_lane 0 (i32x4.splat (local.get $x)))
    call $leaf
    local.get $x
    call $leaf
    i32.add
    i32.const 2
    i32.sub)

  (func $leaf (param $x i32) (result i32)
    local.get $x
    i32.const 1
    i32.add)

  ;; compiled -> interpreted -> compiled, n times, with direct, indirect and host calls in the mix
  (func (export "mixed") (param $n i32) (result i32) (local $acc i32)
    block $done
      loop $top
        local.get $n
        i32.eqz
        br_if $done
        local.get $acc
        local.get $n
        call $interp_double
        i32.add
        i32.const 1
        i32.const 1
        call_indirect (type $i2i)   ;; $interp_double through the table
        i32.add
        local.get $n
        i32.const 2
        call_indirect (type $i2i)   ;; the host's add1 through the table
        i32.add
        local.set $acc
        local.get $n
        i32.const 1
        i32.sub
        local.set $n
        br $top
      end
    end
    local.get $acc)

  ;; a call_indirect that traps for $which = 4 (a null element) and 5 (outside the table)
  (func (export "bad_indirect") (param $which i32) (result i32)
    i32.const 5
    local.get $which
    call_indirect (type $i2i))

  ;; unbounded recursion: "call stack exhausted" at the engine's depth limit
  (func $deep (export "deep") (param $n i32) (result i32)
    local.get $n
    i32.const 1
    i32.add
    call $deep)

  ;; a trap three frames down, in an interpreted function called from compiled ones
  (func $interp_trap (param i32) (result i32)
    (drop (i32x4.extract_lane 0 (i32x4.splat (local.get 0))))
    unreachable)
  (func $middle (param i32) (result i32)
    local.get 0
    call $interp_trap)
  (func (export "trap_below") (param i32) (result i32)
    local.get 0
    call $middle)

  ;; spins until interrupted
  (func (export "spin")
    loop $l
      br $l
    end)

  ;; asks the host to yield (sliced calls suspend there) on every iteration
  (func (export "yielding") (param $n i32) (result i32) (local $s i32)
    block $done
      loop $top
        local.get $n
        i32.eqz
        br_if $done
        call $yield
        local.get $s
        local.get $n
        call $add1
        i32.add
        local.set $s
        local.get $n
        i32.const 1
        i32.sub
        local.set $n
        br $top
      end
    end
    local.get $s)

  ;; br_table with a default, in a loop
  (func (export "switch") (param $n i32) (result i32) (local $s i32)
    block $done
      loop $top
        local.get $n
        i32.eqz
        br_if $done
        block $d
          block $c
            block $b
              block $a
                local.get $n
                br_table $a $b $c $d
              end
              local.get $s
              i32.const 1
              i32.add
              local.set $s
              br $d
            end
            local.get $s
            i32.const 10
            i32.add
            local.set $s
            br $d
          end
          local.get $s
          i32.const 100
          i32.add
          local.set $s
        end
        local.get $n
        i32.const 1
        i32.sub
        local.set $n
        br $top
      end
    end
    local.get $s)
;; 1 + 1 + ... (n times) by recursion. Compiled code nests at most 4,096 calls as native calls
  ;; (translate.cc, kNativeCallFrames); deeper frames are entered by jumps and return through their
  ;; Frame, so depth 12,000 returns through both kinds.
  (func $depth (export "depth") (param $n i32) (result i32)
    local.get $n
    i32.eqz
    if (result i32)
      i32.const 0
    else
      local.get $n
      i32.const 1
      i32.sub
      call $depth
      i32.const 1
      i32.add
    end)

  ;; The same depth with arguments held in registers on both sides of the call (the slot of the first
  ;; argument is the busiest operand-stack slot of the function): a call that passes an argument in a
  ;; register does not store it, so the calls beyond the 4,096 native ones, which take the call helper,
  ;; must store it first (the helper and the callee's entry read it from the slot).
  (func $depth_args (export "depth_args") (param $n i32) (param $acc i32) (result i32)
    (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 3)) (local.get $n)))
    (local.set $acc (i32.xor (local.get $acc) (i32.shr_u (local.get $acc) (i32.const 5))))
    (local.set $acc (i32.add (local.get $acc) (i32.rotl (local.get $acc) (local.get $n))))
    (if (result i32) (i32.eqz (local.get $n))
      (then (local.get $acc))
      (else (call $depth_args (i32.sub (local.get $n) (i32.const 1)) (local.get $acc)))))

  ;; call_indirect leaves zeroing the callee's declared locals to the callee (the entries that zero
  ;; them, by a loop beyond 16 locals): $fresh and $fresh_few, called through a second table, read
  ;; their locals before writing them, at the same frame position as $dirty's, which $indirect_locals
  ;; calls just before with nonzero values in them. Each returns x + the sum of what it read (x when
  ;; the locals were zero).
  (table $fresh_table 2 funcref)
  (elem (table $fresh_table) (i32.const 0) func $fresh $fresh_few)
  (func $dirty (param $x i32) (result i32)
    (local $s i64) (local $d0 i64) (local $d1 i64) (local $d2 i64) (local $d3 i64) (local $d4 i64) (local $d5 i64) (local $d6 i64) (local $d7 i64) (local $d8 i64) (local $d9 i64) (local $d10 i64) (local $d11 i64) (local $d12 i64) (local $d13 i64) (local $d14 i64) (local $d15 i64) (local $d16 i64) (local $d17 i64) (local $d18 i64) (local $d19 i64)
    (local.set $d0 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 1)))
    (local.set $d1 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 2)))
    (local.set $d2 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 3)))
    (local.set $d3 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 4)))
    (local.set $d4 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 5)))
    (local.set $d5 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 6)))
    (local.set $d6 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 7)))
    (local.set $d7 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 8)))
    (local.set $d8 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 9)))
    (local.set $d9 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 10)))
    (local.set $d10 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 11)))
    (local.set $d11 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 12)))
    (local.set $d12 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 13)))
    (local.set $d13 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 14)))
    (local.set $d14 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 15)))
    (local.set $d15 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 16)))
    (local.set $d16 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 17)))
    (local.set $d17 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 18)))
    (local.set $d18 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 19)))
    (local.set $d19 (i64.add (i64.extend_i32_u (local.get $x)) (i64.const 20)))
    (local.set $s (i64.add (local.get $s) (local.get $d0)))
    (local.set $s (i64.add (local.get $s) (local.get $d1)))
    (local.set $s (i64.add (local.get $s) (local.get $d2)))
    (local.set $s (i64.add (local.get $s) (local.get $d3)))
    (local.set $s (i64.add (local.get $s) (local.get $d4)))
    (local.set $s (i64.add (local.get $s) (local.get $d5)))
    (local.set $s (i64.add (local.get $s) (local.get $d6)))
    (local.set $s (i64.add (local.get $s) (local.get $d7)))
    (local.set $s (i64.add (local.get $s) (local.get $d8)))
    (local.set $s (i64.add (local.get $s) (local.get $d9)))
    (local.set $s (i64.add (local.get $s) (local.get $d10)))
    (local.set $s (i64.add (local.get $s) (local.get $d11)))
    (local.set $s (i64.add (local.get $s) (local.get $d12)))
    (local.set $s (i64.add (local.get $s) (local.get $d13)))
    (local.set $s (i64.add (local.get $s) (local.get $d14)))
    (local.set $s (i64.add (local.get $s) (local.get $d15)))
    (local.set $s (i64.add (local.get $s) (local.get $d16)))
    (local.set $s (i64.add (local.get $s) (local.get $d17)))
    (local.set $s (i64.add (local.get $s) (local.get $d18)))
    (local.set $s (i64.add (local.get $s) (local.get $d19)))
    (i32.wrap_i64 (local.get $s)))
  (func $fresh (param $x i32) (result i32)
    (local $s i64) (local $l0 i64) (local $l1 i64) (local $l2 i64) (local $l3 i64) (local $l4 i64) (local $l5 i64) (local $l6 i64) (local $l7 i64) (local $l8 i64) (local $l9 i64) (local $l10 i64) (local $l11 i64) (local $l12 i64) (local $l13 i64) (local $l14 i64) (local $l15 i64) (local $l16 i64) (local $l17 i64) (local $l18 i64) (local $l19 i64)
    (local.set $s (i64.add (local.get $s) (local.get $l0)))
    (local.set $s (i64.add (local.get $s) (local.get $l1)))
    (local.set $s (i64.add (local.get $s) (local.get $l2)))
    (local.set $s (i64.add (local.get $s) (local.get $l3)))
    (local.set $s (i64.add (local.get $s) (local.get $l4)))
    (local.set $s (i64.add (local.get $s) (local.get $l5)))
    (local.set $s (i64.add (local.get $s) (local.get $l6)))
    (local.set $s (i64.add (local.get $s) (local.get $l7)))
    (local.set $s (i64.add (local.get $s) (local.get $l8)))
    (local.set $s (i64.add (local.get $s) (local.get $l9)))
    (local.set $s (i64.add (local.get $s) (local.get $l10)))
    (local.set $s (i64.add (local.get $s) (local.get $l11)))
    (local.set $s (i64.add (local.get $s) (local.get $l12)))
    (local.set $s (i64.add (local.get $s) (local.get $l13)))
    (local.set $s (i64.add (local.get $s) (local.get $l14)))
    (local.set $s (i64.add (local.get $s) (local.get $l15)))
    (local.set $s (i64.add (local.get $s) (local.get $l16)))
    (local.set $s (i64.add (local.get $s) (local.get $l17)))
    (local.set $s (i64.add (local.get $s) (local.get $l18)))
    (local.set $s (i64.add (local.get $s) (local.get $l19)))
    (i32.add (local.get $x) (i32.wrap_i64 (local.get $s))))
  ;; (12 locals, the last three read: where $dirty keeps its least used, in their slots)
  (func $fresh_few (param $x i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64) (local $a i32) (local $b i64) (local $c f64)
    (i32.add (i32.add (local.get $x) (local.get $a))
             (i32.add (i32.wrap_i64 (local.get $b)) (i32.trunc_f64_s (local.get $c)))))
  ;; the sum over i < n of (x + what the callee read), alternating the two callees: n*(n-1)/2 when
  ;; every read local was zero
  (func $indirect_locals (export "indirect_locals") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.sub (local.get $acc) (call $dirty (local.get $i))))
        (local.set $acc (i32.add (local.get $acc) (call $dirty (local.get $i))))
        (local.set $acc (i32.add (local.get $acc)
          (call_indirect $fresh_table (type $i2i) (local.get $i) (i32.and (local.get $i) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))
)
