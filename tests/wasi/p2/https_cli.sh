#!/bin/bash
# tests/wasi/p2: HTTPS end to end through `airwasm run`: wat/http_client.wat's fetch-https posts to a
# loopback HTTPS server (https_server.py) whose certificate a CA made here signs (make_test_ca.sh,
# openssl). With -S http -S http-ca-file=CA the request succeeds; without the CA option the guest gets
# TLS-certificate-error (err(518): stage 2, case 6), not a trap; an unreadable CA file is exit 1 with a
# message, and an empty one a usage error (exit 2).
# usage: https_cli.sh AIRWASM HTTP_CLIENT.wasm
set -u
airwasm=$1 component=$2
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$dir"' EXIT
sh "$here/make_test_ca.sh" "$dir" || { echo "FAIL: make_test_ca.sh (openssl)"; exit 1; }
python3 "$here/https_server.py" "$dir/server.pem" "$dir/server.key" > "$dir/port" &
server=$!
for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
port=$(cat "$dir/port")
[ -n "$port" ] || { echo "FAIL: https_server.py did not start"; exit 1; }
fail=0
expect() {  # expect WANTED_OUTPUT ARGS...
  local want=$1
  shift
  local got
  got=$("$airwasm" run "$@" --invoke "fetch-https(\"127.0.0.1:$port\")" "$component" 2>&1)
  if [ "$got" = "$want" ]; then echo "ok: $* -> $got"; else echo "FAIL: $* -> $got (wanted $want)"; fail=1; fi
}
expect 'ok("201 you sent POST /echo?q=1 x-airwasm=yes body=ping")' -S http -S "http-ca-file=$dir/ca.pem"
expect 'ok("201 you sent POST /echo?q=1 x-airwasm=yes body=ping")' -S "http,http-ca-file=$dir/ca.pem"
expect 'err(518)' -S http
expect 'err(257)' -S "http-ca-file=$dir/ca.pem"  # trust alone does not allow requests
out=$("$airwasm" run -S http -S http-ca-file=/nonexistent/ca.pem --invoke 'fetch-https("127.0.0.1:1")' "$component" 2>&1)
status=$?
if [ $status -eq 1 ] && [[ $out == *"cannot read the HTTP CA file '/nonexistent/ca.pem'"* ]]; then
  echo "ok: unreadable CA file: $out"
else
  echo "FAIL: unreadable CA file: $status $out"; fail=1
fi
out=$("$airwasm" run -S http-ca-file= "$component" 2>&1); status=$?
if [ $status -eq 2 ]; then echo "ok: empty CA path: $out"; else echo "FAIL: empty CA path: $status $out"; fail=1; fi
exit $fail
