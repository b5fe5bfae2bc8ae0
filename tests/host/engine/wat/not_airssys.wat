;; A valid component that is no airssys component (no component-lifecycle export): invalid-component.
(component
  (core module $M (func (export "f") (result i32) (i32.const 7)))
  (core instance $m (instantiate $M))
  (func $f (result u32) (canon lift (core func $m "f")))
  (export "f" (func $f))
)
