;; Sliced component calls (sliced_test.cc): a loop long enough to need many slices, and a function that
;; calls a host function twice (the host asks the call to suspend there) and then returns a string from
;; memory, with a post-return function that counts its runs, so that lifting and post-return after a
;; suspension are checked.
(component
  (import "test:sliced/host" (instance $host
    (export "nap" (func (param "ms" u32) (result bool)))))

  (core module $Mem
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 4096)))
  (core instance $mem (instantiate $Mem))
  (core func $nap (canon lower (func $host "nap")))

  (core module $M
    (import "mem" "mem" (memory 1))
    (import "host" "nap" (func $nap (param i32) (result i32)))
    (global $post (mut i32) (i32.const 0))
    (data (memory 0) (i32.const 200) "awake")
    ;; sum of n, n-1, ..., 1 (wrapping), one loop iteration per step
    (func (export "spin") (param $n i32) (result i32)
      (local $acc i32)
      (block $done
        (loop $l
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (i32.add (local.get $acc) (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $l)))
      (local.get $acc))
    ;; two naps; "awake" when both said true, "" otherwise
    (func (export "nap-twice") (param $ms i32) (result i32)
      (local $ok i32)
      (local.set $ok (i32.and (call $nap (local.get $ms)) (call $nap (local.get $ms))))
      (i32.store (i32.const 300) (i32.const 200))
      (i32.store (i32.const 304) (select (i32.const 5) (i32.const 0) (local.get $ok)))
      (i32.const 300))
    (func (export "post") (param i32)
      (global.set $post (i32.add (global.get $post) (i32.const 1))))
    (func (export "post-count") (result i32) (global.get $post)))
  (core instance $m (instantiate $M
    (with "mem" (instance (export "mem" (memory $mem "mem"))))
    (with "host" (instance (export "nap" (func $nap))))))

  (func (export "spin") (param "n" u32) (result u32) (canon lift (core func $m "spin")))
  (func (export "nap-twice") (param "ms" u32) (result string)
    (canon lift (core func $m "nap-twice") (memory (core memory $mem "mem"))
      (realloc (core func $mem "realloc")) (post-return (core func $m "post"))))
  (func (export "post-count") (result u32) (canon lift (core func $m "post-count"))))
