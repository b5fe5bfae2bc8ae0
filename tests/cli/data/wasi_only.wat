;; tests/cli: a module that imports only WASI and has no `_start`, and one unknown import in another
;; module name, so that `run` reports the unresolvable import.
(module $needs_env
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "env" "missing" (func $missing))
  (func (export "_start") call $missing))
