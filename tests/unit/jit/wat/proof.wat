;; Functions for the baseline proof test (baseline_proof_test.cc): loops, if/else, block exits,
;; constants, i32 arithmetic, comparisons, locals, calls, v128 locals. No memory or globals.
(module
  ;; n + (n-1) + ... + 1, with the exit test at the top of the loop
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

  ;; steps of the Collatz sequence from x to 1 (x > 0), with if/else and a test at the bottom
  (func (export "collatz") (param $x i32) (result i32) (local $steps i32)
    local.get $x
    i32.const 1
    i32.eq
    if
      i32.const 0
      return
    end
    loop $next
      local.get $x
      i32.const 1
      i32.and
      if
        local.get $x
        i32.const 3
        i32.mul
        i32.const 1
        i32.add
        local.set $x
      else
        local.get $x
        i32.const 1
        i32.shr_u
        local.set $x
      end
      local.get $steps
      i32.const 1
      i32.add
      local.set $steps
      local.get $x
      i32.const 1
      i32.ne
      br_if $next
    end
    local.get $steps)

  ;; sum over 0 <= j < i < n of (i xor j) * (i < 2j), nested loops and a comparison as a value
  (func (export "nested") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $acc i32)
    block $outer_done
      loop $outer
        local.get $i
        local.get $n
        i32.ge_u
        br_if $outer_done
        i32.const 0
        local.set $j
        block $inner_done
          loop $inner
            local.get $j
            local.get $i
            i32.ge_s
            br_if $inner_done
            local.get $acc
            local.get $i
            local.get $j
            i32.xor
            local.get $i
            local.get $j
            i32.const 1
            i32.shl
            i32.lt_u
            i32.mul
            i32.add
            local.set $acc
            local.get $j
            i32.const 1
            i32.add
            local.set $j
            br $inner
          end
        end
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br $outer
      end
    end
    local.get $acc)

;; Regions of held registers (docs/compiler.md, "Registers"): loops that each keep other locals in
  ;; registers, one nested in another, left by a branch past the end of the loop around it, by a br_table
  ;; back to the header of the loop around it and by falling through its end; a call inside a loop.
  (func (export "regions") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32)
    (local $k i32)
    (local.set $a (i32.const 1))
    (block $done1
      (loop $l1
        (br_if $done1 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $a (i32.add (i32.mul (local.get $a) (i32.const 3)) (local.get $i)))
        (local.set $b (i32.xor (local.get $b) (local.get $a)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l1)))
    (block $done2
      (loop $l2
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $done2 (i32.gt_u (local.get $j) (local.get $n)))
        (local.set $c (i32.add (local.get $c) (call $sum (local.get $j))))
        (local.set $k (i32.const 0))
        (loop $l3
          (local.set $d (i32.add (local.get $d) (i32.mul (local.get $k) (local.get $j))))
          (local.set $e (i32.xor (local.get $e) (i32.shl (local.get $d) (i32.const 1))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $done2 (i32.gt_u (local.get $d) (i32.const 1000000)))
          ;; k < j: this loop again (the default), else the header of $l2
          (br_table $l2 $l3 (i32.lt_u (local.get $k) (local.get $j))))))
    (local.set $i (i32.const 0))
    (loop $l4
      (local.set $a (i32.add (local.get $a) (local.get $e)))
      (local.set $e (i32.rotl (local.get $e) (i32.const 7)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l4 (i32.lt_u (local.get $i) (local.get $n))))
    (i32.xor (i32.xor (i32.xor (local.get $a) (local.get $b)) (i32.xor (local.get $c) (local.get $d)))
             (i32.xor (local.get $e) (local.get $j))))

;; v128 locals held in xmm registers across a call whose callee holds its own v128s in the same
  ;; registers: the caller must load its own back after the call (a missing reload reads the callee's)
  (func $vclobber (param $x i32) (result i32) (local $a v128) (local $b v128) (local $i i32)
    (local.set $a (i32x4.splat (local.get $x)))
    (local.set $b (i32x4.splat (i32.const 7)))
    (loop $l
      (local.set $a (i32x4.add (local.get $a) (local.get $b)))
      (local.set $b (i32x4.mul (local.get $b) (local.get $a)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 4))))
    (i32x4.extract_lane 1 (i32x4.add (local.get $a) (local.get $b))))
  (func (export "vkeep") (param $x i32) (result i32) (local $v v128) (local $w v128)
    (local.set $v (i32x4.splat (local.get $x)))
    (local.set $w (i32x4.add (local.get $v) (local.get $v)))
    (local.set $v (i32x4.sub (local.get $w) (i32x4.splat (i32.const 3))))
    (i32.add (call $vclobber (local.get $x))
             (i32x4.extract_lane 2 (i32x4.add (local.get $v) (local.get $w)))))

  ;; Calls between compiled functions that pass arguments and results in registers (ModuleStubs::Entries in
  ;; src/baseline/translate.cc): $rot calls itself with its arguments rotated (general and xmm registers,
  ;; register-to-register moves, loads of arguments not held), $half returns an f64 (the result's bits
  ;; in rcx, moved to an xmm register), $zeroed reads a declared local before writing it (held in a
  ;; register: the callee zeroes it, the caller does not zero its slot, which holds garbage), and
  ;; $even / $odd recurse into each other (a cycle: one of the two calls does not know its callee's
  ;; entries and takes the path through NativeFunc).
  (func $rot (param $a i32) (param $b i32) (param $c i32) (param $x f64) (param $y f64) (param $k i32)
    (result i32)
    (if (result i32) (i32.eqz (local.get $k))
      (then
        (i32.add
          (i32.add (local.get $a)
                   (i32.add (i32.mul (local.get $b) (i32.const 3)) (i32.mul (local.get $c) (i32.const 5))))
          (i32.trunc_f64_s (f64.add (f64.add (local.get $x) (f64.mul (local.get $x) (f64.const 0.5)))
                                    (f64.mul (local.get $y) (f64.const 7))))))
      (else
        (call $rot
          (i32.xor (local.get $b) (i32.add (local.get $k) (local.get $b)))
          (i32.add (local.get $c) (i32.and (local.get $a) (i32.const 1)))
          (i32.sub (local.get $a) (i32.and (local.get $c) (i32.const 1)))
          (f64.sub (local.get $y) (f64.mul (local.get $y) (f64.const 0.125)))
          (f64.add (local.get $x) (f64.convert_i32_u (i32.and (local.get $a) (i32.const 3))))
          (i32.sub (local.get $k) (i32.const 1))))))
  (func $half (param $v f64) (result f64) (f64.mul (local.get $v) (f64.const 0.5)))
  (func $zeroed (param $p i32) (result i32) (local $z i32)
    (local.set $z (i32.add (local.get $z) (local.get $p)))
    (local.set $z (i32.mul (local.get $z) (local.get $z)))
    (i32.add (local.get $z) (local.get $p)))
  (func $even (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 1))
      (else (call $odd (i32.sub (local.get $n) (i32.const 1))))))
  (func $odd (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
      (else (call $even (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "passing") (param $n i32) (result i32) (local $s i32) (local $i i32) (local $h f64)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h (call $half (f64.convert_i32_u (local.get $i))))
        (local.set $s
          (i32.add (local.get $s)
                   (call $rot (local.get $i) (local.get $n) (local.get $s) (local.get $h)
                              (f64.convert_i32_u (local.get $n)) (i32.and (local.get $i) (i32.const 7)))))
        (local.set $s (i32.xor (local.get $s) (call $zeroed (local.get $i))))
        (local.set $s (i32.add (local.get $s) (call $even (i32.and (local.get $i) (i32.const 7)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $s))

  ;; The arguments of a call whose caller holds them in the registers its callee holds its parameters
  ;; in, crosswise (the caller's busiest slots are the arguments, the callee's busiest parameter is the
  ;; second): passing them is a cycle of moves, broken through rax.
  (global $swap_g (mut i32) (i32.const 0))
  (func $swap_callee (param $p i32) (param $q i32) (result i32)
    (local.set $q (i32.add (local.get $q) (local.get $q)))
    (local.set $q (i32.xor (local.get $q) (i32.const 5)))
    (local.set $q (i32.add (local.get $q) (local.get $q)))
    (local.set $q (i32.xor (local.get $q) (i32.const 9)))
    (local.set $p (i32.add (local.get $p) (local.get $p)))
    (local.set $p (i32.xor (local.get $p) (i32.const 3)))
    (i32.sub (local.get $p) (local.get $q)))
  (func (export "swap") (param $n i32) (result i32)
    (global.set $swap_g (local.get $n))
    (global.set $swap_g
      (i32.add (i32.mul (global.get $swap_g) (i32.const 3)) (i32.mul (global.get $swap_g) (i32.const 5))))
    (global.set $swap_g
      (i32.add (i32.mul (global.get $swap_g) (i32.const 7)) (i32.mul (global.get $swap_g) (i32.const 9))))
    (global.set $swap_g (i32.mul (i32.add (global.get $swap_g) (i32.const 11)) (i32.const 13)))
    (global.set $swap_g (i32.mul (i32.add (global.get $swap_g) (i32.const 15)) (i32.const 17)))
    (call $swap_callee (i32.mul (global.get $swap_g) (i32.const 3))
                       (i32.add (global.get $swap_g) (local.get $n))))

  ;; an empty infinite loop: a branch to itself, which only an interrupt or the fuel limit ends
  (func (export "spin") (param i32)
    loop $self
      br $self
    end))
