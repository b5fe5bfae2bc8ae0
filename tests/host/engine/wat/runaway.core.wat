  ;; runaway: misbehaves on request. The payload's first byte selects: 'l' loops forever (fuel, deadline),
  ;; 't' traps (unreachable), 'a' grows memory until refused, then traps (memory bomb), 'e' answers
  ;; err(runtime-error("asked to fail")), 's' sleeps an hour in the host (host-services.sleep-millis);
  ;; anything else is echoed. initialize fails when config-data is "fail-init".
  (data (i32.const 1016) "\00\00\00\00\07\00\00\00runaway")
  (data (i32.const 2100) "asked to fail")
  (data (i32.const 2120) "config asked to fail")
  (func (export "initialize") (param i32) (param i32) (param $some i32) (param $ptr i32) (param $len i32) (param i64 i64 i32 i64) (result i32)
    (if (i32.and (local.get $some) (i32.eq (local.get $len) (i32.const 9)))
      (then (if (i64.eq (i64.load (local.get $ptr)) (i64.const 0x696e692d6c696166)) ;; "fail-ini"
              (then (i32.store8 (i32.const 608) (i32.const 1)) (i32.store8 (i32.const 612) (i32.const 0))
                    (i32.store (i32.const 616) (i32.const 2120)) (i32.store (i32.const 620) (i32.const 20))
                    (return (i32.const 608))))))
    (call $init-ok))
  (func (export "handle-message") (param $m i32) (result i32)
    (local $c i32)
    (if (i32.eqz (i32.load offset=28 (local.get $m))) (then (return (call $echo (local.get $m)))))
    (local.set $c (i32.load8_u (i32.load offset=24 (local.get $m))))
    (if (i32.eq (local.get $c) (i32.const 108)) (then (loop $l (br $l))))
    (if (i32.eq (local.get $c) (i32.const 116)) (then unreachable))
    (if (i32.eq (local.get $c) (i32.const 97))
      (then (loop $g (br_if $g (i32.ge_s (memory.grow (i32.const 16)) (i32.const 0)))) unreachable))
    (if (i32.eq (local.get $c) (i32.const 115))
      (then (call $sleep-millis (i64.const 3600000)) (return (call $echo (local.get $m)))))
    (if (i32.eq (local.get $c) (i32.const 101)) (then (return (call $fail (i32.const 2100) (i32.const 13)))))
    (call $echo (local.get $m)))
