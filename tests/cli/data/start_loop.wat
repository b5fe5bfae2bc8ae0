;; tests/cli: a start function that never returns: `run --timeout` must stop it during instantiation.
(module $start_loop
  (func $forever (loop br 0))
  (start $forever)
  (func (export "_start")))
