  ;; echo: handle-message answers ok(some(payload)).
  (data (i32.const 1016) "\00\00\00\00\04\00\00\00echo")
  (func (export "initialize") (param i32 i32 i32 i32 i32 i64 i64 i32 i64) (result i32) (call $init-ok))
  (func (export "handle-message") (param $m i32) (result i32) (call $echo (local.get $m)))
