#!/usr/bin/env bash
# tests/cli: golden-file check of one airwasm command line.
# usage: golden.sh GOLDEN_FILE WORKDIR AIRWASM [ARGS...]
# Runs AIRWASM ARGS in WORKDIR and compares its stdout, stderr and exit status (in one text block) with
# GOLDEN_FILE. AIRWASM_UPDATE_GOLDEN=1 rewrites the golden file instead (review the diff before committing).
set -u
golden=$1 workdir=$2 airwasm=$3
shift 3
if [[ ! -x $airwasm ]]; then
  echo "FAIL: airwasm binary not found at $airwasm" >&2
  exit 1
fi
cd "$workdir" || { echo "FAIL: no work directory $workdir" >&2; exit 1; }
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err" "$actual"' EXIT
"$airwasm" "$@" >"$out" 2>"$err" </dev/null
status=$?
actual=$(mktemp)
{
  echo "\$ airwasm $*"
  echo "--- stdout"
  cat "$out"
  echo "--- stderr"
  cat "$err"
  echo "--- exit $status"
} >"$actual"
if [[ ${AIRWASM_UPDATE_GOLDEN:-0} == 1 ]]; then
  cp "$actual" "$golden"
  echo "updated $golden"
  exit 0
fi
if [[ ! -f $golden ]]; then
  echo "FAIL: golden file $golden is missing; actual output:" >&2
  cat "$actual" >&2
  exit 1
fi
if ! diff -u "$golden" "$actual"; then
  echo "FAIL: output differs from $golden (AIRWASM_UPDATE_GOLDEN=1 regenerates it)" >&2
  exit 1
fi
echo "ok: matches $(basename "$golden")"
