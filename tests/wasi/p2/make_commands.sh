#!/bin/sh
# tests/wasi/p2: the ctest fixture wasi_p2_commands. Turns the preview 1 test programs of tests/wasi
# (wasm32-wasi core modules, built by the tests/wasi rules) into command components with jco's
# componentNew and its preview1 command adapter. jco comes from the real-component work folder (fixture
# component_real installs it there from the committed package-lock.json); make_command.mjs is copied
# beside its node_modules because bare imports resolve from the script's own location.
# usage: make_commands.sh JCO_WORK_DIR OUT_DIR IN.wasm...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jco_dir=$1 out=$2
shift 2
[ -d "$jco_dir/node_modules/@bytecodealliance/jco" ] || { echo "FAIL: jco is not installed in $jco_dir (fixture component_real)" >&2; exit 1; }
mkdir -p "$out"
cp "$here/make_command.mjs" "$jco_dir/"
cd "$jco_dir"
exec node make_command.mjs "$out" "$@"
