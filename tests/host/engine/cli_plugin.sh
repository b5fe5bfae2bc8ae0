#!/bin/sh
# tests/host/engine: `airwasm plugin` on the engine tests' components: one WAVE line per action, host
# failures printed as the engine's error with exit status 1.
# Usage: cli_plugin.sh AIRWASM WASM_DIR
set -u
airwasm=$1
dir=$2
fail=0
check() {  # check EXPECTED_STATUS EXPECTED_OUTPUT ARGS...
  want_status=$1 want=$2
  shift 2
  got=$("$airwasm" plugin "$@" 2>&1)
  status=$?
  if [ "$got" != "$want" ] || [ "$status" != "$want_status" ]; then
    printf 'FAIL: airwasm plugin %s\n--- expected (status %s)\n%s\n--- got (status %s)\n%s\n' "$*" "$want_status" "$want" "$status" "$got"
    fail=1
  fi
}
check 0 'ok(some([49]))
ok(some([50]))
ok
healthy' "$dir/counter.wasm" --send a --send-hex 0aff --callback x --health
check 0 '{name: "echo", version: "1.0.0", description: "airwasm engine test component", author: "airwasm", license: "MIT", supported-operations: ["message"], stateful: false}
ok(some([104, 105]))
ok(some([]))' "$dir/echo.wasm" --id demo/echo/1 --metadata --send hi --send ''
check 1 'err(runtime-error("asked to fail"))
resource-limit-exceeded("fuel exhausted (max-fuel 100000 per call)")
unhealthy' "$dir/runaway.wasm" --fuel 100000 --send err --send loop --health
check 1 'timeout' "$dir/runaway.wasm" --timeout 50ms --send loop
check 1 'resource-limit-exceeded("memory limit of 2097152 bytes reached (then trap: unreachable)")' \
  "$dir/runaway.wasm" --max-memory 2MiB --send alloc
check 1 'runtime-error("trap: unreachable")' "$dir/runaway.wasm" --send trap
# initialize runs under the limits too: one unit of fuel cannot load it (nothing is printed on stdout).
check 1 "$dir/runaway.wasm: load failed: resource-limit-exceeded(\"fuel exhausted (max-fuel 1 per call)\")" \
  "$dir/runaway.wasm" --fuel 1 --send x
# The same answers and limits in each tier (--compiler; auto is the default above).
for mode in interpreter baseline; do
  check 0 'ok(some([49]))
ok(some([50]))' "$dir/counter.wasm" --compiler $mode --send a --send b
  check 1 'resource-limit-exceeded("fuel exhausted (max-fuel 100000 per call)")' \
    "$dir/runaway.wasm" --compiler=$mode --fuel 100000 --send loop
done
check 2 "airwasm plugin: --compiler needs interpreter, baseline or auto
Run 'airwasm plugin --help' for usage." "$dir/echo.wasm" --compiler fast
check 2 "airwasm plugin: --id: expected NAMESPACE/NAME/INSTANCE, got x
Run 'airwasm plugin --help' for usage." "$dir/echo.wasm" --id x
[ $fail = 0 ] && echo "cli_plugin: all passed"
exit $fail
