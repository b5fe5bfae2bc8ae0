;; tests/cli: a module that decodes but does not validate (its body leaves an i64 where an i32 is due).
;; Assembled with `wat2wasm --no-check`, then wrapped into a component by make_component.py, so that
;; `airwasm validate` must find the error inside the component's core module.
(module
  (func (export "f") (result i32) i64.const 0))
