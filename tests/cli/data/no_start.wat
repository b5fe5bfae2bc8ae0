;; tests/cli: a WASI-free module without `_start`: `run` without --invoke must say so.
(module $no_start
  (func (export "answer") (result i32) i32.const 42))
