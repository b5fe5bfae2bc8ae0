;; Calls between functions compiled in different batches (lazy tiering, lazy_tier_test.cc): $callee
;; becomes hot first, alone; $caller's loop later, in a batch of its own, whose calls then enter $callee's
;; code at its registers entry (docs/compiler.md "Calls"), passing the arguments in the registers $callee
;; holds them in (an i32 and an f64) without storing them, and without zeroing the slot of the declared
;; local $callee holds and reads before writing.
(module
  (func $callee (export "callee") (param $a i32) (param $x f64) (result i32) (local $z i32)
    (local.set $z (i32.add (local.get $z) (local.get $a)))
    (local.set $z (i32.mul (local.get $z) (local.get $a)))
    (local.set $a (i32.add (local.get $a) (i32.trunc_f64_s (local.get $x))))
    (local.set $x (f64.add (local.get $x) (local.get $x)))
    (local.set $x (f64.mul (local.get $x) (local.get $x)))
    (i32.add (i32.add (local.get $z) (local.get $a)) (i32.trunc_f64_s (local.get $x))))
  (func (export "caller") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (local.set $s
        (i32.add (local.get $s)
                 (call $callee (i32.xor (local.get $i) (local.get $s))
                               (f64.convert_i32_s (i32.and (local.get $i) (i32.const 15))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s)))
