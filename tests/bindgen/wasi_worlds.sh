#!/bin/sh
# tests/bindgen: the WASI 0.2 worlds (the WIT packages jco ships, lib/wit/builtin/0.2.12) through
# `airwasm bindgen`, each generated source compiled with -Wall -Wextra -Werror -O2: wasi:cli command and
# imports, wasi:http proxy and imports, and the imports worlds of io, clocks, random, filesystem, sockets.
# Each package is the main package with the others as its deps/ (as wit-parser resolves a directory).
# Usage: wasi_worlds.sh BUILTIN_DIR AIRWASM CXX INCLUDE_DIR WORK_DIR
set -eu
builtin=$1/0.2.12
airwasm=$2
cxx=$3
include=$4
work=$5
rm -rf "$work"
mkdir -p "$work"
failed=0
count=0
for spec in cli:command cli:imports http:proxy http:imports io:imports clocks:imports random:imports \
            filesystem:imports sockets:imports; do
  pkg=${spec%%:*}
  world=${spec#*:}
  dir=$work/$pkg
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir/deps"
    cp "$builtin/wasi-$pkg"/*.wit "$dir/"
    for dep in "$builtin"/wasi-*; do
      [ "$(basename "$dep")" = "wasi-$pkg" ] || ln -s "$dep" "$dir/deps/$(basename "$dep")"
    done
  fi
  out=$work/out/$pkg-$world
  count=$((count + 1))
  if ! "$airwasm" bindgen "$dir" --world "$world" -o "$out"; then
    echo "FAILED: bindgen wasi:$pkg/$world"
    failed=$((failed + 1))
    continue
  fi
  if ! "$cxx" -std=c++23 -O2 -Wall -Wextra -Werror -I"$include" -I"$out" -c "$out/$world.cc" -o "$out/$world.o"; then
    echo "FAILED: compile wasi:$pkg/$world"
    failed=$((failed + 1))
    continue
  fi
  echo "ok: wasi:$pkg/$world ($(wc -l < "$out/$world.hh") header lines)"
done
echo "$((count - failed)) of $count WASI 0.2 worlds generated and compiled without warnings"
[ "$failed" -eq 0 ]
