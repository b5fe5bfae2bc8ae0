#!/bin/sh
# tests/component/real: the ctest driver of the real-toolchain components (label `component`).
# usage: build.sh build WORK_DIR            installs the npm tools into WORK_DIR from the committed
#                                          package.json / package-lock.json (only when they changed),
#                                          compiles the C guest with clang-19 + wasi-libc and builds
#                                          WORK_DIR/c_plugin.wasm and WORK_DIR/js_plugin.wasm
#        build.sh wit WORK_DIR NAME        jco's componentWit of WORK_DIR/NAME.wasm into NAME.jco.wit;
#                                          checks that it has the plugin world's import and export
#        build.sh validate WORK_DIR NAME AIRWASM   `airwasm validate NAME.wasm` must print
#                                          "NAME.wasm: valid" and exit 0
#        build.sh inspect WORK_DIR NAME AIRWASM    `airwasm inspect NAME.wasm` must show the plugin
#                                          world's types and functions with their signatures
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mode=$1
work=$2
mkdir -p "$work"
cd "$work"

now_ms() { date +%s%3N; }

case $mode in
build)
  for tool in clang-19 node npm; do
    command -v $tool >/dev/null 2>&1 || { echo "FAIL: $tool not found (scripts/install_deps.sh installs it)" >&2; exit 1; }
  done
  t0=$(now_ms)
  if ! cmp -s "$here/package-lock.json" package-lock.json || [ ! -d node_modules/@bytecodealliance/jco ]; then
    cp "$here/package.json" "$here/package-lock.json" .
    npm ci --no-audit --no-fund --loglevel=error
  fi
  cp "$here/build.mjs" .
  t1=$(now_ms)
  echo "npm tools ready in $((t1 - t0)) ms"

  # C: a wasi-libc reactor (no main; printf needs wasi_snapshot_preview1, hence the adapter).
  clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -mexec-model=reactor \
    -o c_plugin.core.wasm "$here/c/plugin.c"
  AIRWASM_REAL_SRC=$here node build.mjs c c_plugin.core.wasm c_plugin.wasm
  t2=$(now_ms)
  echo "C component built in $((t2 - t1)) ms"

  AIRWASM_REAL_SRC=$here node build.mjs js js_plugin.wasm
  t3=$(now_ms)
  echo "JS component built in $((t3 - t2)) ms"
  ;;
wit)
  name=$3
  AIRWASM_REAL_SRC=$here node build.mjs wit "$name.wasm" > "$name.jco.wit"
  cat "$name.jco.wit"
  for line in "import airwasm:plugin/host@0.1.0;" "export airwasm:plugin/guest@0.1.0;"; do
    grep -qF "$line" "$name.jco.wit" || { echo "FAIL: jco's componentWit of $name.wasm lacks '$line'" >&2; exit 1; }
  done
  echo "ok: jco's componentWit accepts $name.wasm"
  ;;
validate)
  name=$3 airwasm=$4
  [ -f "$name.wasm" ] || { echo "FAIL: $work/$name.wasm was not built (see component_real_build)" >&2; exit 1; }
  t0=$(now_ms)
  status=0
  out=$("$airwasm" validate "$name.wasm") || status=$?
  t1=$(now_ms)
  echo "$out"
  if [ $status -ne 0 ] || [ "$out" != "$name.wasm: valid" ]; then
    echo "FAIL: airwasm validate $name.wasm (exit $status)" >&2
    exit 1
  fi
  echo "ok: $name.wasm ($(wc -c < "$name.wasm") bytes) validated in $((t1 - t0)) ms"
  ;;
inspect)
  name=$3 airwasm=$4
  "$airwasm" inspect "$name.wasm" > "$name.inspect.txt"
  sed -n '/^imports:/,/^core modules:/p' "$name.inspect.txt"
  while IFS= read -r line; do
    grep -qxF -- "$line" "$name.inspect.txt" || { echo "FAIL: airwasm inspect $name.wasm lacks: $line" >&2; exit 1; }
  done <<'LINES'
  airwasm:plugin/host@0.1.0: instance (11 exports)
    kv-store: type = resource
    message-meta: type = record { sender: string, sequence: u64, tags: list<string> }
    payload: type = variant { text(string), binary(list<u8>), empty }
    level: type = enum { trace, debug, info, warn, error }
    capabilities: type = flags { storage, network, timers }
    [constructor]kv-store: func(name: string) -> own<kv-store>
    [method]kv-store.get: func(self: borrow<kv-store>, key: string) -> option<list<u8>>
    [method]kv-store.set: func(self: borrow<kv-store>, key: string, value: list<u8>)
    log: func(level: level, msg: string)
    now-ms: func() -> u64
    send: func(to: string, meta: message-meta, body: payload) -> result<u32, string>
exports: 1
  airwasm:plugin/guest@0.1.0: instance (6 exports)
    plugin-info: type = record { name: string, version: tuple<u16, u16, u16>, needs: capabilities, verbosity: level }
    describe: func() -> plugin-info
    handle-message: func(msg: list<u8>) -> option<list<u8>>
    handle-callback: func(id: u32, outcome: result<list<u8>, string>) -> bool
LINES
  echo "ok: airwasm inspect $name.wasm shows the plugin world"
  ;;
*)
  echo "usage: build.sh build WORK_DIR | wit WORK_DIR NAME | validate WORK_DIR NAME AIRWASM | inspect WORK_DIR NAME AIRWASM" >&2
  exit 2
  ;;
esac
