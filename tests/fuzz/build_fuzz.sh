#!/bin/sh
# Builds the fuzz targets with clang-19 + libFuzzer + ASan/UBSan into $1 (default build-fuzz/): the component
# front end (reader, validator, WIT printer), the canonical ABI codec and the WIT text parser; if a seed
# directory is given as $2, runs the component target for $3 seconds (default 600). The other targets:
# `$1/canon_fuzz -max_total_time=N DIR`, `$1/wit_parser_fuzz CORPUS SEEDS` (WIT files as seeds).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$here/build-fuzz}
mkdir -p "$out"
flags="-std=c++23 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$here/include -I$here/src"
srcs="$here/tests/fuzz/component_decoder_fuzz.cc $here/src/component/*.cc $here/src/base/*.cc $here/src/wasm/*.cc $here/src/decode/*.cc $here/src/validate/*.cc"
clang++-19 $flags $srcs -o "$out/component_decoder_fuzz"
# The canonical ABI codec on hostile memories, flat values and reallocs (run: $out/canon_fuzz -max_total_time=N DIR).
clang++-19 $flags "$here/tests/fuzz/canon_fuzz.cc" $here/src/canon/*.cc $here/src/component/*.cc $here/src/base/*.cc \
  $here/src/wasm/*.cc $here/src/decode/*.cc $here/src/validate/*.cc -o "$out/canon_fuzz"
clang++-19 $flags "$here/tests/fuzz/wit_parser_fuzz.cc" $here/src/wit/*.cc $here/src/component/*.cc \
  $here/src/base/*.cc $here/src/wasm/*.cc $here/src/decode/*.cc $here/src/validate/*.cc -o "$out/wit_parser_fuzz"
if [ $# -ge 2 ]; then
  mkdir -p "$out/corpus"
  "$out/component_decoder_fuzz" -max_total_time="${3:-600}" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    "$out/corpus" "$2"
fi
