;; bench/component: the core module of a small airssys plugin (world airssys:core/runtime-host@1.0.0), used
;; by the bindgen benchmark (bindgen_bench.cc) and tests/bindgen. Made a component by
;; bench/component/make_airssys_echo.sh (wat2wasm, then jco's componentEmbed + componentNew with the airssys
;; WIT); the component is committed as airssys_echo.wasm because the unit tests and benchmarks run without
;; npm. Rerun the script after editing.
;;
;; component-lifecycle: handle-message echoes the payload (ok(some(payload))), or fails with
;; runtime-error("empty payload") for an empty one; handle-callback asks the host for current-time-millis
;; and answers ok, or err(timeout) when the host says 0; metadata is a constant record; health is
;; `healthy`; initialize and shutdown answer ok.
(module
  (import "airssys:core/host-services@1.0.0" "current-time-millis" (func $now (result i64)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 8192))

  ;; strings
  (data (i32.const 1024) "echo")
  (data (i32.const 1032) "1.0.0")
  (data (i32.const 1040) "airssys echo component")
  (data (i32.const 1064) "airwasm")
  (data (i32.const 1072) "MIT")
  (data (i32.const 1080) "empty payload")
  ;; supported-operations: ["echo"]
  (data (i32.const 1100) "\00\04\00\00\04\00\00\00")
  ;; component-metadata { name, version, description, author, license, supported-operations, stateful }
  (data (i32.const 512)
    "\00\04\00\00\04\00\00\00" "\08\04\00\00\05\00\00\00" "\10\04\00\00\16\00\00\00"
    "\28\04\00\00\07\00\00\00" "\30\04\00\00\03\00\00\00" "\4c\04\00\00\01\00\00\00" "\00")

  ;; bump allocator, reset after every call (post-return): arguments never outlive a call
  (func $realloc (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    (local $p i32) (local $end i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get 2))))
    (local.set $end (i32.add (local.get $p) (local.get 3)))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then (if (i32.eq (memory.grow (i32.add (i32.shr_u (i32.sub (local.get $end)
                                                                  (i32.mul (memory.size) (i32.const 65536)))
                                                          (i32.const 16))
                                              (i32.const 1)))
                        (i32.const -1))
              (then unreachable))))
    (global.set $heap (local.get $end))
    (local.get $p))
  (func $reset (param i32) (global.set $heap (i32.const 8192)))

  ;; result<_, E> = ok: discriminant 0 at 4160
  (func $ok (result i32) (i32.store8 (i32.const 4160) (i32.const 0)) (i32.const 4160))

  (func (export "airssys:core/component-lifecycle@1.0.0#initialize")
    (param i32 i32 i32 i32 i32 i64 i64 i32 i64) (result i32)
    (call $ok))

  ;; msg: a spilled component-message at $m: sender (3 strings) at 0, payload (ptr, len) at 24
  (func (export "airssys:core/component-lifecycle@1.0.0#handle-message") (param $m i32) (result i32)
    (if (i32.eqz (i32.load offset=28 (local.get $m)))
      (then
        ;; err(runtime-error("empty payload")): result disc 1, variant disc 6 at +4, string at +8
        (i32.store8 (i32.const 4096) (i32.const 1))
        (i32.store8 (i32.const 4100) (i32.const 6))
        (i32.store (i32.const 4104) (i32.const 1080))
        (i32.store (i32.const 4108) (i32.const 13))
        (return (i32.const 4096))))
    ;; ok(some(payload)): result disc 0, option disc 1 at +4, list at +8
    (i32.store8 (i32.const 4096) (i32.const 0))
    (i32.store8 (i32.const 4100) (i32.const 1))
    (i32.store (i32.const 4104) (i32.load offset=24 (local.get $m)))
    (i32.store (i32.const 4108) (i32.load offset=28 (local.get $m)))
    (i32.const 4096))
  (func (export "cabi_post_airssys:core/component-lifecycle@1.0.0#handle-message") (param i32)
    (call $reset (local.get 0)))

  (func (export "airssys:core/component-lifecycle@1.0.0#handle-callback") (param i32) (result i32)
    (if (i64.eqz (call $now))
      (then
        ;; err(timeout): result disc 1, variant disc 3
        (i32.store8 (i32.const 4096) (i32.const 1))
        (i32.store8 (i32.const 4100) (i32.const 3))
        (return (i32.const 4096))))
    (call $ok))
  (func (export "cabi_post_airssys:core/component-lifecycle@1.0.0#handle-callback") (param i32)
    (call $reset (local.get 0)))

  (func (export "airssys:core/component-lifecycle@1.0.0#metadata") (result i32) (i32.const 512))
  (func (export "airssys:core/component-lifecycle@1.0.0#health") (result i32) (i32.const 0))
  (func (export "airssys:core/component-lifecycle@1.0.0#shutdown") (result i32) (call $ok)))
