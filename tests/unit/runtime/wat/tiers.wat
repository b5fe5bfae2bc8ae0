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
)
