;; tests/wasi/p2: a TCP client written against wasi:sockets directly (Debian's wasi-libc predates
;; wasm32-wasip2). echo(port) connects to 127.0.0.1:port with the start-/finish-connect state machine,
;; waiting on the socket's pollable, writes "hello from wasm" on the output stream, then reads the
;; input stream until the peer closes it, and returns what it read: ok(text), or err(stage * 256 +
;; error-code index) where stage is 1 create-tcp-socket, 2 start-connect, 3 finish-connect, 4 write,
;; 5 read (a stream error other than closed). The error-code enum is declared in full, in WIT order, so
;; the index is the WIT's.
(component
  (import "wasi:io/poll@0.2.0" (instance $poll
    (export "pollable" (type (sub resource)))
    (export "[method]pollable.block" (func (param "self" (borrow 0))))
  ))
  (alias export $poll "pollable" (type $pollable))
  (import "wasi:io/error@0.2.0" (instance $ioerr
    (export "error" (type (sub resource)))
  ))
  (alias export $ioerr "error" (type $io-error))
  (import "wasi:io/streams@0.2.0" (instance $streams
    (export "error" (type $e (eq $io-error)))
    (export "pollable" (type $p (eq $pollable)))
    (type $se (variant (case "last-operation-failed" (own $e)) (case "closed")))
    (export "stream-error" (type $serr (eq $se)))
    (export "input-stream" (type $in (sub resource)))
    (export "output-stream" (type $out (sub resource)))
    (export "[method]input-stream.blocking-read" (func (param "self" (borrow $in)) (param "len" u64)
                                                       (result (result (list u8) (error $serr)))))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $out)) (param "contents" (list u8)) (result (result (error $serr)))))
  ))
  (alias export $streams "input-stream" (type $input-stream))
  (alias export $streams "output-stream" (type $output-stream))
  (import "wasi:sockets/network@0.2.0" (instance $net
    (export "network" (type (sub resource)))
    (type $ec (enum "unknown" "access-denied" "not-supported" "invalid-argument" "out-of-memory" "timeout"
                    "concurrency-conflict" "not-in-progress" "would-block" "invalid-state" "new-socket-limit"
                    "address-not-bindable" "address-in-use" "remote-unreachable" "connection-refused"
                    "connection-reset" "connection-aborted" "datagram-too-large" "name-unresolvable"
                    "temporary-resolver-failure" "permanent-resolver-failure"))
    (export "error-code" (type $e (eq $ec)))
    (type $af (enum "ipv4" "ipv6"))
    (export "ip-address-family" (type (eq $af)))
    (type $v4 (tuple u8 u8 u8 u8))
    (export "ipv4-address" (type $v4e (eq $v4)))
    (type $v6 (tuple u16 u16 u16 u16 u16 u16 u16 u16))
    (export "ipv6-address" (type $v6e (eq $v6)))
    (type $v4s (record (field "port" u16) (field "address" $v4e)))
    (export "ipv4-socket-address" (type $v4se (eq $v4s)))
    (type $v6s (record (field "port" u16) (field "flow-info" u32) (field "address" $v6e) (field "scope-id" u32)))
    (export "ipv6-socket-address" (type $v6se (eq $v6s)))
    (type $sa (variant (case "ipv4" $v4se) (case "ipv6" $v6se)))
    (export "ip-socket-address" (type (eq $sa)))
  ))
  (alias export $net "network" (type $network))
  (alias export $net "error-code" (type $net-err))
  (alias export $net "ip-address-family" (type $family))
  (alias export $net "ip-socket-address" (type $sockaddr))
  (import "wasi:sockets/instance-network@0.2.0" (instance $inet
    (export "network" (type $n (eq $network)))
    (export "instance-network" (func (result (own $n))))
  ))
  (import "wasi:sockets/tcp@0.2.0" (instance $tcp
    (export "network" (type $n (eq $network)))
    (export "error-code" (type $e (eq $net-err)))
    (export "ip-socket-address" (type $a (eq $sockaddr)))
    (export "pollable" (type $p (eq $pollable)))
    (export "input-stream" (type $in (eq $input-stream)))
    (export "output-stream" (type $out (eq $output-stream)))
    (export "tcp-socket" (type $s (sub resource)))
    (export "[method]tcp-socket.start-connect"
      (func (param "self" (borrow $s)) (param "network" (borrow $n)) (param "remote-address" $a)
            (result (result (error $e)))))
    (export "[method]tcp-socket.finish-connect"
      (func (param "self" (borrow $s)) (result (result (tuple (own $in) (own $out)) (error $e)))))
    (export "[method]tcp-socket.subscribe" (func (param "self" (borrow $s)) (result (own $p))))
  ))
  (alias export $tcp "tcp-socket" (type $tcp-socket))
  (import "wasi:sockets/tcp-create-socket@0.2.0" (instance $create
    (export "error-code" (type $e (eq $net-err)))
    (export "ip-address-family" (type $f (eq $family)))
    (export "tcp-socket" (type $s (eq $tcp-socket)))
    (export "create-tcp-socket" (func (param "address-family" $f) (result (result (own $s) (error $e)))))
  ))

  (core module $Mem
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 8192))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $next (i32.add (local.get $p) (local.get 3)))
      (local.get $p))
    (data (i32.const 512) "hello from wasm"))
  (core instance $mem (instantiate $Mem))

  (core func $instance-network (canon lower (func $inet "instance-network")))
  (core func $create (canon lower (func $create "create-tcp-socket") (memory (core memory $mem "mem"))))
  (core func $start-connect (canon lower (func $tcp "[method]tcp-socket.start-connect")
                              (memory (core memory $mem "mem"))))
  (core func $finish-connect (canon lower (func $tcp "[method]tcp-socket.finish-connect")
                               (memory (core memory $mem "mem"))))
  (core func $subscribe (canon lower (func $tcp "[method]tcp-socket.subscribe")))
  (core func $block (canon lower (func $poll "[method]pollable.block")))
  (core func $write (canon lower (func $streams "[method]output-stream.blocking-write-and-flush")
                      (memory (core memory $mem "mem"))))
  (core func $read (canon lower (func $streams "[method]input-stream.blocking-read")
                     (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))

  (core module $M
    (import "mem" "mem" (memory 1))
    (import "w" "instance-network" (func $instance-network (result i32)))
    (import "w" "create" (func $create (param i32 i32)))
    (import "w" "start-connect" (func $start-connect (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
    (import "w" "finish-connect" (func $finish-connect (param i32 i32)))
    (import "w" "subscribe" (func $subscribe (param i32) (result i32)))
    (import "w" "block" (func $block (param i32)))
    (import "w" "write" (func $write (param i32 i32 i32 i32)))
    (import "w" "read" (func $read (param i32 i64 i32)))
    ;; result<string, u32> at 256: tag at 256, payload at 260 (ptr, len) or (code)
    (func $fail (param $code i32) (result i32)
      (i32.store8 (i32.const 256) (i32.const 1))
      (i32.store (i32.const 260) (local.get $code))
      (i32.const 256))
    (func (export "echo") (param $port i32) (result i32)
      (local $sock i32) (local $in i32) (local $out i32) (local $len i32) (local $n i32)
      ;; create-tcp-socket(ipv4) -> result at 64
      (call $create (i32.const 0) (i32.const 64))
      (if (i32.load8_u (i32.const 64))
        (then (return (call $fail (i32.add (i32.const 256) (i32.load8_u (i32.const 68)))))))
      (local.set $sock (i32.load (i32.const 68)))
      ;; start-connect(sock, network, ipv4 {port, 127.0.0.1}): the variant's 11 joined slots
      (call $start-connect (local.get $sock) (call $instance-network)
        (i32.const 0) (local.get $port) (i32.const 127) (i32.const 0) (i32.const 0) (i32.const 1)
        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
        (i32.const 64))
      (if (i32.load8_u (i32.const 64))
        (then (return (call $fail (i32.add (i32.const 512) (i32.load8_u (i32.const 68)))))))
      ;; wait on the socket's pollable, then finish-connect -> (in, out)
      (call $block (call $subscribe (local.get $sock)))
      (call $finish-connect (local.get $sock) (i32.const 64))
      (if (i32.load8_u (i32.const 64))
        (then (return (call $fail (i32.add (i32.const 768) (i32.load8_u (i32.const 68)))))))
      (local.set $in (i32.load (i32.const 68)))
      (local.set $out (i32.load (i32.const 72)))
      (call $write (local.get $out) (i32.const 512) (i32.const 15) (i32.const 64))
      (if (i32.load8_u (i32.const 64))
        (then (return (call $fail (i32.add (i32.const 1024) (i32.load8_u (i32.const 68)))))))
      ;; read until closed, appending at 4096
      (block $done
        (loop $more
          (call $read (local.get $in) (i64.const 256) (i32.const 64))
          (if (i32.load8_u (i32.const 64))
            (then
              (br_if $done (i32.eq (i32.load8_u (i32.const 68)) (i32.const 1)))  ;; closed
              (return (call $fail (i32.const 1280)))))
          (local.set $n (i32.load (i32.const 72)))
          (br_if $done (i32.gt_u (i32.add (local.get $len) (local.get $n)) (i32.const 2048)))
          (memory.copy (i32.add (i32.const 4096) (local.get $len)) (i32.load (i32.const 68)) (local.get $n))
          (local.set $len (i32.add (local.get $len) (local.get $n)))
          (br $more)))
      (i32.store8 (i32.const 256) (i32.const 0))
      (i32.store (i32.const 260) (i32.const 4096))
      (i32.store (i32.const 264) (local.get $len))
      (i32.const 256)))
  (core instance $m (instantiate $M
    (with "mem" (instance $mem))
    (with "w" (instance
      (export "instance-network" (func $instance-network)) (export "create" (func $create))
      (export "start-connect" (func $start-connect)) (export "finish-connect" (func $finish-connect))
      (export "subscribe" (func $subscribe)) (export "block" (func $block))
      (export "write" (func $write)) (export "read" (func $read))))))

  (func (export "echo") (param "port" u16) (result (result string (error u32)))
    (canon lift (core func $m "echo") (memory (core memory $mem "mem"))))
)
