#!/usr/bin/env bash
# tests/wasi: the host holds against hostile.c (see there). usage: hostile.sh AIRWASM HOSTILE.wasm CASE
# Cases: sleep and read (--timeout 1s must stop a guest blocked in the host within 1.2 s, exit 134),
# yes (`airwasm run hostile.wasm yes | head -1` exits 0, the guest saw EPIPE), open (EMFILE at the cap).
set -u
airwasm=$1 wasm=$2 case=$3
now_ms() { date +%s%3N; }
fail() { echo "FAIL: $*" >&2; exit 1; }
case $case in
  sleep | read)
    # For `read`, stdin is a FIFO whose writer stays open (and silent) for 10 s.
    d=$(mktemp -d)
    mkfifo "$d/fifo"
    sleep 10 >"$d/fifo" &
    writer=$!
    trap 'kill $writer 2>/dev/null; rm -rf "$d"' EXIT
    input=/dev/null
    [[ $case == read ]] && input=$d/fifo
    start=$(now_ms)
    out=$("$airwasm" run --timeout 1s "$wasm" "$case" 2>&1 <"$input")
    status=$?
    elapsed=$(($(now_ms) - start))
    [[ $status == 134 ]] || fail "exit status $status, expected 134; output: $out"
    grep -q "deadline exceeded" <<<"$out" || fail "no 'deadline exceeded' in: $out"
    ((elapsed < 1200)) || fail "took $elapsed ms, expected under 1200"
    echo "ok: $case stopped after $elapsed ms"
    ;;
  yes)
    err=$(mktemp)
    trap 'rm -f "$err"' EXIT
    out=$(set -o pipefail; "$airwasm" run "$wasm" yes 2>"$err" | head -1)
    status=$?
    [[ $status == 0 ]] || fail "exit status $status, expected 0; stderr: $(cat "$err")"
    [[ $out == y ]] || fail "stdout '$out', expected 'y'"
    grep -q "write failed: EPIPE" "$err" || fail "the guest did not see EPIPE: $(cat "$err")"
    echo "ok: yes | head -1 exits 0, the guest saw EPIPE"
    ;;
  open)
    d=$(mktemp -d)
    trap 'rm -rf "$d"' EXIT
    out=$("$airwasm" run --dir "$d::." "$wasm" open 2>&1 </dev/null)
    status=$?
    [[ $status == 0 ]] || fail "exit status $status; output: $out"
    # 256 descriptors: stdin, stdout, stderr, the pre-opened directory and 252 files.
    grep -q "opened 252, then EMFILE" <<<"$out" || fail "unexpected output: $out"
    grep -q "reopened after a close" <<<"$out" || fail "could not open again after a close: $out"
    echo "ok: $out" | tr '\n' ' '
    echo
    ;;
  *) fail "unknown case $case" ;;
esac
