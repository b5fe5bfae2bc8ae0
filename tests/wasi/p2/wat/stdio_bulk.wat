;; tests/wasi/p2: large writes to stdout in one host call, to test writes that cannot complete at once (a
;; pipe holds 64 KiB). write(len) fills len bytes with 32-bit little-endian counters (0, 1, 2, ... so a
;; byte written twice or lost shows) and writes them with one blocking-write-and-flush; it returns 0 (ok),
;; 1 (last-operation-failed) or 2 (closed). splice() moves stdin to stdout with blocking-splice of up to
;; 1 MiB at a time until stdin is closed, and returns how many bytes it moved (all ones on a failure).
(component
  (import "wasi:io/error@0.2.0" (instance $ioerr
    (export "error" (type (sub resource)))
  ))
  (alias export $ioerr "error" (type $io-error))
  (import "wasi:io/streams@0.2.0" (instance $streams
    (export "error" (type $e (eq $io-error)))
    (type $se (variant (case "last-operation-failed" (own $e)) (case "closed")))
    (export "stream-error" (type $serr (eq $se)))
    (export "input-stream" (type $in (sub resource)))
    (export "output-stream" (type $out (sub resource)))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $out)) (param "contents" (list u8)) (result (result (error $serr)))))
    (export "[method]output-stream.blocking-splice"
      (func (param "self" (borrow $out)) (param "src" (borrow $in)) (param "len" u64)
            (result (result u64 (error $serr)))))
  ))
  (alias export $streams "input-stream" (type $input-stream))
  (alias export $streams "output-stream" (type $output-stream))
  (import "wasi:cli/stdin@0.2.0" (instance $stdin
    (export "input-stream" (type $in (eq $input-stream)))
    (export "get-stdin" (func (result (own $in))))
  ))
  (import "wasi:cli/stdout@0.2.0" (instance $stdout
    (export "output-stream" (type $out (eq $output-stream)))
    (export "get-stdout" (func (result (own $out))))
  ))

  (core module $Mem
    (memory (export "mem") 20))
  (core instance $mem (instantiate $Mem))

  (core func $get-stdin (canon lower (func $stdin "get-stdin")))
  (core func $get-stdout (canon lower (func $stdout "get-stdout")))
  (core func $write (canon lower (func $streams "[method]output-stream.blocking-write-and-flush")
                      (memory (core memory $mem "mem"))))
  (core func $splice (canon lower (func $streams "[method]output-stream.blocking-splice")
                       (memory (core memory $mem "mem"))))

  (core module $M
    (import "mem" "mem" (memory 20))
    (import "w" "get-stdin" (func $get-stdin (result i32)))
    (import "w" "get-stdout" (func $get-stdout (result i32)))
    (import "w" "write" (func $write (param i32 i32 i32 i32)))
    (import "w" "splice" (func $splice (param i32 i32 i64 i32)))
    ;; the data at 64 KiB (at most 1 MiB, what the host accepts in one write); results at 64
    (func (export "write") (param $len i32) (result i32)
      (local $i i32)
      (block $filled
        (loop $fill
          (br_if $filled (i32.ge_u (local.get $i) (local.get $len)))
          (i32.store (i32.add (i32.const 65536) (local.get $i)) (i32.shr_u (local.get $i) (i32.const 2)))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $fill)))
      ;; result<_, stream-error>: tag at 64, the stream-error's case at 68
      (call $write (call $get-stdout) (i32.const 65536) (local.get $len) (i32.const 64))
      (if (result i32) (i32.load8_u (i32.const 64))
        (then (i32.add (i32.const 1) (i32.load8_u (i32.const 68))))
        (else (i32.const 0))))
    (func (export "splice") (result i64)
      (local $out i32) (local $in i32) (local $total i64)
      (local.set $out (call $get-stdout))
      (local.set $in (call $get-stdin))
      (loop $more
        ;; result<u64, stream-error>: tag at 64, the u64 or the stream-error's case at 72
        (call $splice (local.get $out) (local.get $in) (i64.const 1048576) (i32.const 64))
        (if (i32.load8_u (i32.const 64))
          (then
            (return (select (local.get $total) (i64.const -1)
                            (i32.eq (i32.load8_u (i32.const 72)) (i32.const 1))))))
        (local.set $total (i64.add (local.get $total) (i64.load (i32.const 72))))
        (br $more))
      (unreachable)))
  (core instance $m (instantiate $M
    (with "mem" (instance $mem))
    (with "w" (instance
      (export "get-stdin" (func $get-stdin)) (export "get-stdout" (func $get-stdout))
      (export "write" (func $write)) (export "splice" (func $splice))))))

  (func (export "write") (param "len" u32) (result u32)
    (canon lift (core func $m "write")))
  (func (export "splice") (result u64)
    (canon lift (core func $m "splice")))
)
