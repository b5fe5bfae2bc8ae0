;; tests/readme: the module the README's embedding example runs: it imports the two host functions the
;; example defines (env.add, env.log) and exports `run` and a memory.
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "hello")
  (func (export "run") (param i32) (result i32)
    (call $log (i32.const 0) (i32.const 5))
    (call $add (local.get 0) (i32.const 1))))
