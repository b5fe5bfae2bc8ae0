#!/bin/sh
# tests/component/runtime: `airwasm run --invoke 'name(args)'` on a component: WAVE arguments in, the
# result printed in WAVE, and the exit statuses (0 ok, 134 trap, 2 bad call, 1 unsatisfied import).
# Usage: cli_invoke.sh AIRWASM FIXTURE_DIR
set -u
airwasm=$1
dir=$2
fail=0
check() {  # check EXPECTED_STATUS EXPECTED_STDOUT FILE CALL
  out=$("$airwasm" run --invoke "$4" "$dir/$3" 2>/tmp/airwasm_invoke_err.$$)
  status=$?
  if [ "$status" != "$1" ] || [ "$out" != "$2" ]; then
    echo "FAIL: --invoke '$4' $3: status $status (want $1), stdout [$out] (want [$2])"
    cat /tmp/airwasm_invoke_err.$$
    fail=1
  else
    echo "ok: --invoke '$4' -> $out ($status)"
  fi
}
check 0 '42' values.wasm 'add(2, 40)'
check 0 '"héllo 😀"' values.wasm 'echo("héllo \u{1f600}")'
check 0 '[1, 2, 255]' values.wasm 'bytes([1, 2, 255])'
check 0 '{x: -1, y: 2}' values.wasm 'point({x: -1, y: 2})'
check 0 'some(7)' values.wasm 'opt(some(7))'
check 0 'none' values.wasm 'opt(none)'
check 0 'ok(5)' values.wasm 'res(ok(5))'
check 0 'err("bad")' values.wasm 'res(err("bad"))'
check 0 'blue' values.wasm 'color(blue)'
check 0 '{read, exec}' values.wasm 'perms({read, exec})'
check 0 "'ß'" values.wasm "char('ß')"
check 134 '' values.wasm 'trap()'
check 2 '' values.wasm 'add(1)'
check 2 '' values.wasm 'add(-1, 2)'
check 2 '' values.wasm 'nope()'
check 1 '' host_calls.wasm 'sum3(1, 2, 3)'
grep -q 'test:host/api@1.2.0' /tmp/airwasm_invoke_err.$$ || { echo "FAIL: the unsatisfied import is not named"; fail=1; }
rm -f /tmp/airwasm_invoke_err.$$
[ $fail = 0 ] && echo "all --invoke checks passed"
exit $fail
