;; A component whose airssys:core/component-lifecycle instance exports only `health`: it loads (there is no
;; initialize to run), and the engine answers export-not-found for the exports it lacks.
(component
  (type $health-status' (enum "healthy" "degraded" "unhealthy" "unknown"))
  (export $health-status "health-status" (type $health-status'))
  (core module $M (func (export "health") (result i32) (i32.const 1)))
  (core instance $m (instantiate $M))
  (func $health (result $health-status) (canon lift (core func $m "health")))
  (instance $lifecycle (export "health-status" (type $health-status)) (export "health" (func $health)))
  (export "airssys:core/component-lifecycle@1.0.0" (instance $lifecycle))
)
