;; bench/component: the component behind component_bench.cc. Converted to bench.wasm (committed beside this
;; file) with jco's parse(), the same converter the runtime tests use:
;;   cd build/tests/component/runtime && node wat2component.mjs OUT_DIR ../../../../bench/component/bench.wat
;; (the bench build runs without npm, so the binary is kept in the repository; rerun after editing).
(component
  (import "bench:host/api" (instance $host
    (export "twice" (func (param "x" u32) (result u32)))))

  (core module $Mem
    (memory (export "mem") 1)
    ;; one allocation in flight per call (the argument string): always at 1024, so the benchmark loop does
    ;; not grow memory
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 1024)))
  (core instance $mem (instantiate $Mem))
  (core func $twice (canon lower (func $host "twice")))

  (core module $M
    (import "host" "twice" (func $twice (param i32) (result i32)))
    (import "mem" "mem" (memory 1))
    (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 16) (local.get 0))
      (i32.store (i32.const 20) (local.get 1))
      (i32.const 16))
    (func (export "call-host") (param i32) (result i32) (call $twice (local.get 0))))
  (core instance $m (instantiate $M (with "mem" (instance $mem))
                                    (with "host" (instance (export "twice" (func $twice))))))

  (func (export "inc") (param "x" u32) (result u32) (canon lift (core func $m "inc")))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $m "echo") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (func (export "call-host") (param "x" u32) (result u32) (canon lift (core func $m "call-host"))))
