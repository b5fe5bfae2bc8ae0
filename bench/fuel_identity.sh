#!/bin/sh
# bench: the fuel-identity test of the baseline compiler (issue 15): every benchmark program runs under
# `airwasm run --fuel` with the interpreter, with the compiler forced, and in auto mode (interpreted first,
# hot functions and loops moving to compiled code mid-run); stdout, stderr (which ends with
# "fuel consumed: N") and the exit status must be identical, and N must be non-zero.
#
#   fuel_identity.sh AIRWASM WASM_DIR
set -u
airwasm=$1
dir=$2
fuel=1000000000000000000
status=0
count=0
for wasm in "$dir"/*.wasm; do
  [ -e "$wasm" ] || { echo "no programs in $dir" >&2; exit 1; }
  name=$(basename "$wasm" .wasm)
  interp=$("$airwasm" run --fuel $fuel --print-fuel --compiler interpreter "$wasm" 2>&1; echo "exit $?")
  compiled=$("$airwasm" run --fuel $fuel --print-fuel --compiler baseline "$wasm" 2>&1; echo "exit $?")
  auto=$("$airwasm" run --fuel $fuel --print-fuel --compiler auto "$wasm" 2>&1; echo "exit $?")
  used=$(printf '%s\n' "$interp" | sed -n 's/^fuel consumed: //p')
  if [ -z "$used" ] || [ "$used" = 0 ]; then
    echo "FAIL $name: no fuel figure from the interpreter run:"; printf '%s\n' "$interp" | tail -5
    status=1
  elif [ "$interp" != "$compiled" ]; then
    echo "FAIL $name: the runs differ"
    echo "--- interpreter"; printf '%s\n' "$interp" | tail -5
    echo "--- baseline"; printf '%s\n' "$compiled" | tail -5
    status=1
  elif [ "$interp" != "$auto" ]; then
    echo "FAIL $name: the interpreter and auto runs differ"
    echo "--- interpreter"; printf '%s\n' "$interp" | tail -5
    echo "--- auto"; printf '%s\n' "$auto" | tail -5
    status=1
  else
    echo "ok   $name: fuel $used in the interpreter, baseline and auto"
  fi
  count=$((count + 1))
done
echo "$count programs"
exit $status
