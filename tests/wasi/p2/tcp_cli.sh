#!/bin/bash
# tests/wasi/p2: the network flags of `airwasm run` on the TCP client of wat/tcp_client.wat, against a
# loopback echo server this script starts (python3): no flag -> access-denied (err(257)); -S
# inherit-network or --allow-net naming the server -> the echo; --allow-net naming another port ->
# access-denied at start-connect (err(513)); a malformed --allow-net -> exit 1 with a message.
# usage: tcp_cli.sh AIRWASM TCP_CLIENT.wasm
set -u
airwasm=$1 component=$2
dir=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
python3 -u -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1])
while True:
    c, _ = s.accept(); c.sendall(b"echo: " + c.recv(1024)); c.close()
' > "$dir/port" &
server=$!
for _ in $(seq 50); do [ -s "$dir/port" ] && break; sleep 0.1; done
port=$(cat "$dir/port")
other=$((port == 65535 ? 1 : port + 1))
fail=0
expect() {  # expect WANTED_OUTPUT ARGS...
  local want=$1
  shift
  local got
  got=$("$airwasm" run "$@" --invoke "echo($port)" "$component" 2>&1)
  if [ "$got" = "$want" ]; then echo "ok: $* -> $got"; else echo "FAIL: $* -> $got (wanted $want)"; fail=1; fi
}
expect 'err(257)'
expect 'ok("echo: hello from wasm")' -S inherit-network
expect 'ok("echo: hello from wasm")' -Sinherit-network=y
expect 'err(257)' -S inherit-network=n
expect 'ok("echo: hello from wasm")' --allow-net "127.0.0.1:$port"
expect 'err(513)' --allow-net "127.0.0.1:$other"
expect 'err(257)' -S http,allow-ip-name-lookup
out=$("$airwasm" run --allow-net 127.0.0.1:99999 --invoke "echo($port)" "$component" 2>&1); status=$?
if [ $status -eq 1 ] && [[ $out == *"bad network address '127.0.0.1:99999'"* ]]; then echo "ok: bad --allow-net: $out"; else echo "FAIL: bad --allow-net: $status $out"; fail=1; fi
out=$("$airwasm" run -S everything "$component" 2>&1); status=$?
if [ $status -eq 2 ]; then echo "ok: unknown -S: $out"; else echo "FAIL: unknown -S: $status $out"; fail=1; fi
exit $fail
