#!/usr/bin/env bash
# tests/spec: converts one group of the official spec suite (a folder of .wast files) with wabt's wast2json
# into the build tree, then runs the JSON scripts with `airwasm wast`. Exit status: the runner's (0 iff
# every assertion passed), or 1 with a clear message if the suite, wast2json or a conversion is missing.
#
#   run_suite.sh AIRWASM_BINARY WAST_DIR OUT_DIR [airwasm wast options...]
#
# Conversion is redone only for .wast files newer than their .json. Set AIRWASM_SPEC_VERBOSE=1 to pass -v.
# AIRWASM_WAST2JSON_FLAGS adds wast2json options (a proposal's suite needs its --enable-... flag).
set -u

if [ $# -lt 3 ]; then
  echo "usage: $0 AIRWASM_BINARY WAST_DIR OUT_DIR [airwasm wast options...]" >&2
  exit 2
fi
airwasm=$1
wast_dir=$2
out_dir=$3
shift 3

if [ ! -d "$wast_dir" ]; then
  echo "error: spec test suite folder '$wast_dir' not found." >&2
  echo "Set AIRWASM_TESTSUITE_DIR (CMake cache or environment) to the testsuite folder (the one holding wasm-2.0/)." >&2
  exit 1
fi
if ! command -v wast2json > /dev/null 2>&1; then
  echo "error: wast2json not found on PATH (Debian package 'wabt', version 1.0.32)." >&2
  exit 1
fi
if [ ! -x "$airwasm" ]; then
  echo "error: airwasm binary '$airwasm' not found or not executable." >&2
  exit 1
fi

shopt -s nullglob
wasts=("$wast_dir"/*.wast)
if [ ${#wasts[@]} -eq 0 ]; then
  echo "error: no .wast files in '$wast_dir'." >&2
  exit 1
fi

mkdir -p "$out_dir" || exit 1
jsons=()
conversion_failures=0
for wast in "${wasts[@]}"; do
  name=$(basename "$wast" .wast)
  json="$out_dir/$name.json"
  if [ ! -f "$json" ] || [ "$wast" -nt "$json" ]; then
    # shellcheck disable=SC2086  # the flags are a word list on purpose
    if ! wast2json ${AIRWASM_WAST2JSON_FLAGS:-} "$wast" -o "$json"; then
      echo "error: wast2json failed on $wast" >&2
      rm -f "$json"
      conversion_failures=$((conversion_failures + 1))
      continue
    fi
  fi
  jsons+=("$json")
done

args=()
if [ "${AIRWASM_SPEC_VERBOSE:-0}" != "0" ]; then args+=(-v); fi
"$airwasm" wast "${args[@]}" "$@" "${jsons[@]}"
status=$?
if [ $conversion_failures -ne 0 ]; then
  echo "error: $conversion_failures file(s) of '$wast_dir' failed to convert" >&2
  exit 1
fi
exit $status
