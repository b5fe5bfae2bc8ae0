#!/bin/sh
# tests/component/real: runs a real component under airwasm (real_run) and under jco's transpile on Node
# (transpile_run.mjs) with the same host behaviour and inputs, and requires identical output.
# Usage: real_compare.sh WORK_DIR NAME REAL_RUN
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$1 name=$2 real_run=$3
cd "$work"
[ -f "$name.wasm" ] || { echo "FAIL: $work/$name.wasm was not built (see component_real_build)" >&2; exit 1; }
cp "$here/transpile_run.mjs" .
"$real_run" "$name.wasm" > "$name.airwasm.out"
node --no-warnings transpile_run.mjs "$name.wasm" "transpiled-$name" > "$name.jco.out"
if ! diff -u "$name.jco.out" "$name.airwasm.out"; then
  echo "FAIL: airwasm and jco transpile (V8) disagree on $name.wasm" >&2
  exit 1
fi
echo "ok: $name.wasm gives the same $(wc -l < "$name.airwasm.out") lines under airwasm and under jco transpile on V8"
