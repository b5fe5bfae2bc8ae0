#!/bin/sh
# tests/bindgen: the WASI 0.2 worlds (the WIT packages jco ships, lib/wit/builtin/0.2.12) through
# `airwasm bindgen`, each generated source compiled with -Wall -Wextra -Werror: wasi:cli command and
# imports, wasi:http proxy and imports, and the imports worlds of io, clocks, random, filesystem, sockets.
# Every world is generated; only the two that include all the others (cli:command: io, clocks, random,
# filesystem, sockets and cli; http:proxy: http) are compiled, with -O1 (whose analyses find
# maybe-uninitialized and the like): compiling each of the nine at -O2 took eight minutes of the test
# command on a loaded machine, and the other seven generate the same per-interface code again.
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
  case $spec in
    cli:command | http:proxy) ;;
    *)
      echo "ok: wasi:$pkg/$world generated ($(wc -l <"$out/$world.hh") header lines; its interfaces are compiled with cli:command or http:proxy)"
      continue
      ;;
  esac
  if ! "$cxx" -std=c++23 -O1 -c -o "$out/$world.o" -Wall -Wextra -Werror -I"$include" -I"$out" "$out/$world.cc"; then
    echo "FAILED: compile wasi:$pkg/$world"
    failed=$((failed + 1))
    continue
  fi
  echo "ok: wasi:$pkg/$world ($(wc -l < "$out/$world.hh") header lines)"
done
echo "$((count - failed)) of $count WASI 0.2 worlds generated and compiled without warnings"
[ "$failed" -eq 0 ]
