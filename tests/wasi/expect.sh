#!/usr/bin/env bash
# tests/wasi: runs a command and requires an exit status and a pattern (grep -E) in its stdout+stderr.
# usage: expect.sh EXIT_STATUS REGEX COMMAND [ARGS...]
set -u
expect=$1 regex=$2
shift 2
output=$("$@" 2>&1 </dev/null)
status=$?
fail=0
[[ $status == "$expect" ]] || { echo "FAIL: exit status $status, expected $expect" >&2; fail=1; }
grep -Eq -- "$regex" <<<"$output" || { echo "FAIL: output does not match /$regex/" >&2; fail=1; }
if ((fail)); then
  echo "--- output:" >&2
  echo "$output" >&2
  exit 1
fi
echo "ok: exit $status, output matches /$regex/"
