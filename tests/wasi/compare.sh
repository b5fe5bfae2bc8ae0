#!/usr/bin/env bash
# tests/wasi: runs one test program natively and under `airwasm run`, and requires the same stdout and
# the same exit status. Each side runs in a fresh empty directory (the guest gets it as its pre-opened
# "."), with an environment holding only the --env variables (native: env -i).
# usage: compare.sh AIRWASM WASM NATIVE [--env NAME=VALUE]... [--stdin FILE] [--exit N] [--host-time]
#                   [-- ARGS...]
#   --exit N       both must exit with N
#   --host-time    pass the host's current time (seconds since the epoch) as the last argument
set -u
airwasm=$1 wasm=$2 native=$3
shift 3
envs=() stdin=/dev/null expect_exit="" host_time=0 args=()
while (($#)); do
  case $1 in
    --env) envs+=("$2"); shift 2 ;;
    --stdin) stdin=$2; shift 2 ;;
    --exit) expect_exit=$2; shift 2 ;;
    --host-time) host_time=1; shift ;;
    --) shift; args=("$@"); break ;;
    *) echo "compare.sh: bad option $1" >&2; exit 2 ;;
  esac
done
for f in "$airwasm" "$wasm" "$native"; do
  [[ -e $f ]] || { echo "FAIL: $f does not exist (was the build run?)" >&2; exit 1; }
done
(( host_time )) && args+=("$(date +%s)")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/native" "$tmp/wasm"
env_flags=()
for e in "${envs[@]}"; do env_flags+=(--env "$e"); done

(cd "$tmp/native" && env -i "${envs[@]}" "$native" "${args[@]}" <"$stdin" >"$tmp/native.out" 2>"$tmp/native.err")
native_status=$?
(cd "$tmp/wasm" && "$airwasm" run --dir . "${env_flags[@]}" "$wasm" "${args[@]}" <"$stdin" >"$tmp/wasm.out" 2>"$tmp/wasm.err")
wasm_status=$?

fail=0
if ! diff -u --label native "$tmp/native.out" --label airwasm "$tmp/wasm.out"; then
  echo "FAIL: stdout differs between the native build and airwasm" >&2
  fail=1
fi
if [[ $native_status != "$wasm_status" ]]; then
  echo "FAIL: exit status: native $native_status, airwasm $wasm_status" >&2
  fail=1
fi
if [[ -n $expect_exit && $wasm_status != "$expect_exit" ]]; then
  echo "FAIL: expected exit status $expect_exit, got $wasm_status" >&2
  fail=1
fi
if ((fail)); then
  echo "--- airwasm stderr:" >&2
  cat "$tmp/wasm.err" >&2
  exit 1
fi
echo "ok: $(basename "$wasm") ${args[*]}: same output ($(wc -l <"$tmp/wasm.out") lines) and exit status $wasm_status"
